// `repl-pki verify`: would mysqld (OpenSSL inside it) accept this certificate with these CA and CRL
// settings, and does it match the host? Reads the files, then runs the pure verifier.

import type { ParsedCrl } from "../core/crl/parse-crl.js";
import { DerError } from "../core/der/decode.js";
import { FLAVOURS, type Flavour } from "../core/identity/check-host.js";
import { classifyHost } from "../core/identity/validate-host.js";
import type { Clock } from "../core/time.js";
import { type CertInfo, certInfo } from "../core/verify/cert-info.js";
import type { Purpose } from "../core/verify/chain-checks.js";
import { type CrlInfo, crlInfo } from "../core/verify/crl-info.js";
import { type HashedDir, VerifyStore } from "../core/verify/store.js";
import { type VerifyReport, verifyCertificate } from "../core/verify/verify.js";
import type { ParsedCertificate } from "../core/x509/certificate-parse.js";
import { InputError, UsageError } from "../errors.js";
import { hashedDir, readPkiFile } from "../store/pki-files.js";

export interface VerifyOptions {
  /** Certificate file: the certificate first, then any intermediates the peer sends. */
  cert: string;
  /** CA bundle (ssl_ca / MASTER_SSL_CA). */
  ca?: string;
  /** Hashed CA directory (ssl_capath / MASTER_SSL_CAPATH). */
  capath?: string;
  /** CRL file (ssl_crl / MASTER_SSL_CRL). */
  crl?: string;
  /** Hashed CRL directory (ssl_crlpath / MASTER_SSL_CRLPATH). */
  crlpath?: string;
  /** The host the replica dials (MASTER_HOST), checked as `flavour` does. */
  host?: string;
  /** "server" (default): a replica checks its source; "client": a source checks a replica. */
  purpose?: Purpose;
  flavour?: Flavour;
  /** Verification time (default: the clock). */
  at?: Date;
}

export const PURPOSES: readonly Purpose[] = ["server", "client"];

export function parseFlavour(text: string): Flavour {
  if (!(FLAVOURS as readonly string[]).includes(text)) {
    throw new UsageError("INVALID_OPTION_VALUE", `unknown server flavour "${text}"`, {
      hint: `use one of: ${FLAVOURS.join(", ")}`,
    });
  }
  return text as Flavour;
}

export function parsePurpose(text: string): Purpose {
  if (!(PURPOSES as readonly string[]).includes(text)) {
    throw new UsageError("INVALID_OPTION_VALUE", `unknown purpose "${text}"`, {
      hint: "use server (a replica checks its source) or client (a source checks a replica)",
    });
  }
  return text as Purpose;
}

/** certInfo, with a name libcrypto cannot decode reported as an input error. */
export function toCertInfo(c: ParsedCertificate, source: string, path: string): CertInfo {
  try {
    return certInfo(c, source);
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
    throw new InputError("PEM_PARSE_FAILED", `${path}: a certificate has a name OpenSSL cannot decode`, {
      cause,
      hint: "OpenSSL refuses to load this certificate at all",
    });
  }
}

function toCrlInfo(c: ParsedCrl, source: string, path: string): CrlInfo {
  try {
    return crlInfo(c, source);
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
    throw new InputError("PEM_PARSE_FAILED", `${path}: a CRL has an issuer name OpenSSL cannot decode`, {
      cause,
    });
  }
}

function validate(opts: VerifyOptions): void {
  if (opts.ca === undefined && opts.capath === undefined) {
    throw new UsageError("MISSING_ARGUMENT", "give --ca FILE or --capath DIR", {
      hint: "without MASTER_SSL_CA/CAPATH a replica verifies nothing at all (and ignores MASTER_SSL_CRL)",
    });
  }
  if (opts.host !== undefined) {
    if ((opts.purpose ?? "server") !== "server") {
      throw new UsageError("CONFLICTING_OPTIONS", "--host only applies with --purpose server", {
        hint: "a source never checks the host name of a replica's certificate",
      });
    }
    classifyHost(opts.host);
  }
}

/**
 * @example
 * verifyFiles({ cert: "pki/certs/db1.pem", ca: "pki/ca/chain.pem", crl: "pki/crl.pem", host: "db1.example.com" },
 *   { clock: () => new Date() });
 */
export function verifyFiles(opts: VerifyOptions, deps: { clock: Clock }): VerifyReport {
  validate(opts);
  const certFile = readPkiFile(opts.cert, "certificate");
  const untrusted = certFile.certs.map((c) => toCertInfo(c, "cert file", opts.cert));
  const certs: CertInfo[] = [];
  const crls: CrlInfo[] = [];
  const bundleCas: CertInfo[] = [];
  const load = (path: string | undefined, kind: "ca" | "crl", label: string) => {
    if (path === undefined) return;
    const f = readPkiFile(path, kind);
    for (const c of f.certs) certs.push(toCertInfo(c, label, path));
    for (const c of f.crls) crls.push(toCrlInfo(c, label, path));
    if (kind === "ca") bundleCas.push(...certs.filter((c) => c.parsed.basicConstraints?.ca));
  };
  load(opts.ca, "ca", "--ca");
  load(opts.crl, "crl", "--crl");
  const dirs: HashedDir[] = [];
  if (opts.capath !== undefined) dirs.push(hashedDir(opts.capath, "--capath"));
  if (opts.crlpath !== undefined) dirs.push(hashedDir(opts.crlpath, "--crlpath"));
  return verifyCertificate({
    leaf: untrusted[0]!,
    untrusted,
    store: new VerifyStore(certs, crls, dirs),
    bundleCas,
    crlCheck: opts.crl !== undefined || opts.crlpath !== undefined,
    purpose: opts.purpose ?? "server",
    flavour: opts.flavour ?? "mysql-8",
    host: opts.host,
    at: opts.at ?? deps.clock(),
  });
}
