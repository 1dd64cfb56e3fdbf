// Hand-built certificates and CRLs for the verify tests: everything the issuing code refuses to make
// (v1 certificates, CAs without CA:TRUE, wrong signatures, look-alike roots, critical unknown
// extensions, CRLs signed by the wrong key), assembled with der/encode.ts and signed with node:crypto.
import type { KeyObject } from "node:crypto";
import { buildCrl, type CrlEntry } from "../../src/core/crl/build-crl.js";
import { bitString, seq, smallInteger, unsignedInteger } from "../../src/core/der/encode.js";
import { OID } from "../../src/core/der/oids.js";
import { x509Time } from "../../src/core/der/time.js";
import { signCertificate } from "../../src/core/x509/certificate-build.js";
import {
  authorityKeyIdentifier,
  basicConstraints,
  extension,
  extKeyUsage,
  KEY_USAGE,
  keyIdentifier,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
} from "../../src/core/x509/extensions.js";
import { commonNameDer } from "../../src/core/x509/name.js";
import { pemEncode } from "../../src/core/x509/pem.js";
import { generatePrivateKey, signerFor, spkiDer } from "../../src/crypto/keys.js";

export const DAY = 86_400_000;

export interface Party {
  key: KeyObject;
  subject: Buffer;
  keyId: Buffer;
  serial: Buffer;
  der: Buffer;
  pem: string;
}

export interface CertSpec {
  cn?: string;
  subject?: Buffer;
  /** The subject's key (default: a fresh P-256 key). */
  key?: KeyObject;
  /** Issuer (default: self-signed). */
  issuer?: Party;
  /** Sign with this key instead of the issuer's (a bad signature). */
  signKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Extensions, given the subject and issuer key ids (default: none). */
  ext?: (ski: Buffer, aki: Buffer) => Buffer[];
  /** X.509 v1: no version field, no extensions. */
  v1?: boolean;
}

let serialCounter = 0x5000;

export function makeCert(spec: CertSpec): Party {
  const key = spec.key ?? generatePrivateKey("ec-p256");
  const spki = spkiDer(key);
  const subject = spec.subject ?? commonNameDer(spec.cn ?? "test");
  const ski = keyIdentifier(spki);
  const issuerName = spec.issuer?.subject ?? subject;
  const aki = spec.issuer?.keyId ?? ski;
  const signer = signerFor(spec.signKey ?? spec.issuer?.key ?? key);
  const serial = Buffer.from((serialCounter++).toString(16).padStart(6, "0"), "hex");
  let der: Buffer;
  if (spec.v1) {
    const tbs = seq(
      unsignedInteger(serial),
      signer.algorithmIdentifier,
      issuerName,
      seq(x509Time(spec.notBefore), x509Time(spec.notAfter)),
      subject,
      spki,
    );
    der = seq(tbs, signer.algorithmIdentifier, bitString(signer.sign(tbs)));
  } else {
    der = signCertificate(
      {
        serial,
        issuer: issuerName,
        subject,
        notBefore: spec.notBefore,
        notAfter: spec.notAfter,
        spki,
        extensions: spec.ext?.(ski, aki) ?? [],
      },
      signer,
    );
  }
  return { key, subject, keyId: ski, serial, der, pem: pemEncode("CERTIFICATE", der) };
}

export const EXT = {
  ca: (pathLen?: number) => (ski: Buffer, aki: Buffer) => [
    basicConstraints(true, pathLen),
    keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
    subjectKeyIdentifier(ski),
    authorityKeyIdentifier(aki),
  ],
  /** A leaf profile; `ekus` null = no extendedKeyUsage extension. */
  leaf:
    (ekus: string[] | null = [OID.serverAuth], extra: Buffer[] = []) =>
    (ski: Buffer, aki: Buffer) => [
      basicConstraints(false),
      keyUsage([KEY_USAGE.digitalSignature]),
      ...(ekus ? [extKeyUsage(ekus)] : []),
      subjectKeyIdentifier(ski),
      authorityKeyIdentifier(aki),
      ...extra,
    ],
  /** A critical extension OpenSSL does not know. */
  unknownCritical: () => extension("1.3.6.1.4.1.99999.1", true, seq(smallInteger(1))),
  san: (dns: string[]) => subjectAltName(dns, []),
};

export interface CrlSpec {
  issuer: Party;
  signKey?: KeyObject;
  /** authorityKeyIdentifier (default: the issuer's key id). */
  akid?: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked?: Party[];
  number?: bigint;
}

export function makeCrl(spec: CrlSpec): string {
  const entries: CrlEntry[] = (spec.revoked ?? []).map((p) => ({
    serial: p.serial,
    revokedAt: spec.thisUpdate,
    reason: "keyCompromise",
  }));
  const der = buildCrl(
    {
      issuer: spec.issuer.subject,
      authorityKeyId: spec.akid ?? spec.issuer.keyId,
      crlNumber: spec.number ?? 1n,
      thisUpdate: spec.thisUpdate,
      nextUpdate: spec.nextUpdate,
      entries,
    },
    signerFor(spec.signKey ?? spec.issuer.key),
  );
  return pemEncode("X509 CRL", der);
}
