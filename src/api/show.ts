// `repl-pki show NAME | --serial S`: one certificate in detail, with the REQUIRE strings mysqld compares.
import { createHash } from "node:crypto";
import { OID } from "../core/der/oids.js";
import { formatIp } from "../core/net/ip.js";
import { formatSerial } from "../core/serial.js";
import { formatTime } from "../core/time.js";
import { parseCertificateDer } from "../core/x509/certificate-parse.js";
import { opensslNameOneline } from "../core/x509/name-oneline.js";
import { pemDecodeAll } from "../core/x509/pem.js";
import { spkiKeyType } from "../crypto/keys.js";
import { InputError } from "../errors.js";
import { loadCa } from "../store/ca-store.js";
import { readInputFile } from "../store/files.js";
import { readJournal } from "../store/journal.js";
import { findCertificate } from "./select.js";

const EKU_NAMES: Record<string, string> = { [OID.serverAuth]: "serverAuth", [OID.clientAuth]: "clientAuth" };
const KU_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
];

export interface CertificateDetails {
  name: string;
  role: string;
  serial: string;
  status: "valid" | "revoked" | "expired";
  revokedAt: string | null;
  reason: string | null;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  ipAddresses: string[];
  keyType: string;
  keyUsage: string[];
  extendedKeyUsage: string[];
  sha256Fingerprint: string;
  /** REQUIRE SUBJECT / ISSUER strings as X509_NAME_oneline prints them (spec §6), per OpenSSL major. */
  require: {
    subject: { openssl3: string; openssl1: string };
    issuer: { openssl3: string; openssl1: string };
  };
  certPath: string;
  keyPath: string | null;
}

export function showCertificate(opts: {
  dir: string;
  name?: string;
  serial?: string;
  now: Date;
}): CertificateDetails {
  const ca = loadCa(opts.dir);
  const l = ca.layout;
  const entry = findCertificate(readJournal(l.index).entries, opts);
  if (entry.role === "imported") {
    throw new InputError(
      "UNKNOWN_CERTIFICATE",
      `${entry.name} was imported from an OpenSSL index: only its index line is here`,
      {
        hint: "repl-pki list --json shows its serial, subject, dates and status",
      },
    );
  }
  const isCa = entry.role === "root-ca" || entry.role === "intermediate-ca";
  const certPath = isCa ? (entry.role === "root-ca" ? l.rootCert : l.intermediateCert) : l.cert(entry.name);
  let pem: string;
  try {
    pem = readInputFile(certPath, "latin1");
  } catch (cause) {
    throw new InputError("CA_CORRUPT", `the certificate file ${certPath} is missing`, { cause });
  }
  const der = pemDecodeAll(pem).find((b) => b.label === "CERTIFICATE")?.der;
  if (!der) throw new InputError("CA_CORRUPT", `${certPath} holds no certificate`);
  const c = parseCertificateDer(der);
  if (formatSerial(c.serial) !== entry.serial) {
    throw new InputError(
      "CA_CORRUPT",
      `${certPath} does not hold serial ${entry.serial} recorded in the index`,
      {
        hint: "the certificate was replaced outside repl-pki",
      },
    );
  }
  const now = formatTime(opts.now);
  return {
    name: entry.name,
    role: entry.role,
    serial: entry.serial,
    status: entry.status === "R" ? "revoked" : entry.notAfter < now ? "expired" : "valid",
    revokedAt: entry.revokedAt || null,
    reason: entry.reason || null,
    subject: opensslNameOneline(c.subject, 3),
    issuer: opensslNameOneline(c.issuer, 3),
    notBefore: formatTime(c.notBefore),
    notAfter: formatTime(c.notAfter),
    dnsNames: c.san?.dns ?? [],
    ipAddresses: (c.san?.ip ?? []).map(formatIp),
    keyType: spkiKeyType(c.spki),
    keyUsage: (c.keyUsage ?? []).map((b) => KU_NAMES[b] ?? String(b)),
    extendedKeyUsage: (c.extKeyUsage ?? []).map((o) => EKU_NAMES[o] ?? o),
    sha256Fingerprint: createHash("sha256")
      .update(der)
      .digest("hex")
      .toUpperCase()
      .replace(/(..)(?!$)/g, "$1:"),
    require: {
      subject: { openssl3: opensslNameOneline(c.subject, 3), openssl1: opensslNameOneline(c.subject, 1) },
      issuer: { openssl3: opensslNameOneline(c.issuer, 3), openssl1: opensslNameOneline(c.issuer, 1) },
    },
    certPath,
    keyPath: isCa ? null : l.key(entry.name),
  };
}
