// The X509_STORE mysqld builds from ssl_ca/ssl_capath and ssl_crl/ssl_crlpath (spec §1, §2):
//   * files (CA bundle and CRL file) are loaded whole up front by X509_load_cert_crl_file: every
//     certificate in them, the CRL file included, is a trust-store certificate;
//   * hashed directories are one by_dir lookup holding both directories (X509_STORE_add_lookup returns
//     the existing one), probed lazily per name: "<hash>.0", ".1", … for certificates and ".r0", ".r1", …
//     for CRLs, stopping at the first missing or unreadable suffix (by_dir.c get_cert_by_subject_ex).
// For a certificate name the directories are consulted only when nothing of that name is cached yet;
// for CRLs always, but the directory walk stops at the first directory after which the cache holds a
// CRL of that name (so a CRL in the CA bundle hides ssl_crlpath for its issuer, as in OpenSSL).
// The directories are read through a callback, so this module stays free of file-system access.

import { parseCrlDer } from "../crl/parse-crl.js";
import { DerError } from "../der/decode.js";
import { parseCertificateDer } from "../x509/certificate-parse.js";
import { opensslNameHash } from "../x509/name-hash.js";
import { pemDecodeAll } from "../x509/pem.js";
import { type CertInfo, certInfo } from "./cert-info.js";
import { type CrlInfo, crlInfo } from "./crl-info.js";

export interface HashedDir {
  /** How reports name it: "--capath" or "--crlpath". */
  label: string;
  /** Contents of `file` in the directory, or undefined when there is no such file. */
  read(file: string): Buffer | undefined;
}

export const CERT_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE"]);

export class VerifyStore {
  private readonly certs: CertInfo[];
  private readonly crls: CrlInfo[];
  private readonly probed = new Set<string>();
  /** Files of the directories that were read, for reports. */
  readonly dirFilesRead: string[] = [];

  constructor(
    certs: CertInfo[],
    crls: CrlInfo[],
    private readonly dirs: HashedDir[],
  ) {
    this.certs = [...certs];
    this.crls = [...crls];
  }

  /** Trust-store certificates whose subject is `name` (canonical), in lookup order. */
  certsBySubject(nameDer: Buffer, canonical: Buffer): CertInfo[] {
    const cached = () => this.certs.filter((c) => c.subject.equals(canonical));
    if (cached().length === 0) {
      for (const dir of this.dirs) {
        this.probe(dir, nameDer, "");
        if (cached().length > 0) break;
      }
    }
    return cached();
  }

  /** CRLs whose issuer is `name` (canonical), in lookup order. */
  crlsByIssuer(nameDer: Buffer, canonical: Buffer): CrlInfo[] {
    const cached = () => this.crls.filter((c) => c.issuer.equals(canonical));
    for (const dir of this.dirs) {
      this.probe(dir, nameDer, "r");
      if (cached().length > 0) break;
    }
    return cached();
  }

  private probe(dir: HashedDir, nameDer: Buffer, postfix: "" | "r"): void {
    let hash: string;
    try {
      hash = opensslNameHash(nameDer);
    } catch {
      return;
    }
    for (let k = 0; ; k++) {
      const file = `${hash}.${postfix}${k}`;
      const key = `${dir.label}\0${file}`;
      if (this.probed.has(key)) continue;
      const data = dir.read(file);
      if (!data) return;
      this.probed.add(key);
      const loaded =
        postfix === "r"
          ? this.loadCrls(data, `${dir.label} ${file}`)
          : this.loadCerts(data, `${dir.label} ${file}`);
      if (!loaded) return; // X509_load_cert_file / X509_load_crl_file returned 0: the walk stops
      this.dirFilesRead.push(`${dir.label} ${file}`);
    }
  }

  private loadCerts(data: Buffer, source: string): boolean {
    try {
      const blocks = pemDecodeAll(data.toString("latin1")).filter((b) => CERT_LABELS.has(b.label));
      if (blocks.length === 0) return false;
      for (const b of blocks) this.addCert(certInfo(parseCertificateDer(b.der), source));
      return true;
    } catch (e) {
      if (e instanceof DerError) return false;
      throw e;
    }
  }

  private loadCrls(data: Buffer, source: string): boolean {
    try {
      const blocks = pemDecodeAll(data.toString("latin1")).filter((b) => b.label === "X509 CRL");
      if (blocks.length === 0) return false;
      for (const b of blocks) this.addCrl(crlInfo(parseCrlDer(b.der), source));
      return true;
    } catch (e) {
      if (e instanceof DerError) return false;
      throw e;
    }
  }

  /** X509_STORE_add_cert: an identical certificate already present is ignored. */
  private addCert(c: CertInfo): void {
    if (!this.certs.some((x) => x.parsed.der.equals(c.parsed.der))) this.certs.push(c);
  }

  private addCrl(c: CrlInfo): void {
    if (!this.crls.some((x) => x.crl.der.equals(c.crl.der))) this.crls.push(c);
  }
}
