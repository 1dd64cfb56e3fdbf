// Builds and signs an X.509 v3 certificate (RFC 5280 §4.1) directly in DER, signed through a Signer.
import { bitString, explicit, seq, smallInteger, unsignedInteger } from "../der/encode.js";
import { x509Time } from "../der/time.js";
import type { Signer } from "./signer.js";

export interface CertificateTemplate {
  /** Big-endian magnitude of a positive serial (≤ 20 octets, RFC 5280 §4.1.2.2). */
  serial: Uint8Array;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  spki: Buffer;
  /** DER Extension values, in order. */
  extensions: Buffer[];
}

export function buildTbsCertificate(t: CertificateTemplate, signer: Signer): Buffer {
  return seq(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(t.serial),
    signer.algorithmIdentifier,
    t.issuer,
    seq(x509Time(t.notBefore), x509Time(t.notAfter)),
    t.subject,
    t.spki,
    explicit(3, seq(...t.extensions)),
  );
}

/** The signed certificate DER. */
export function signCertificate(t: CertificateTemplate, signer: Signer): Buffer {
  const tbs = buildTbsCertificate(t, signer);
  return seq(tbs, signer.algorithmIdentifier, bitString(signer.sign(tbs)));
}
