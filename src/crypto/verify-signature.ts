// Signature check for DER objects we sign (CRLs, certificates) or read, with node:crypto. The CRL
// writer calls it on every CRL before writing it: a CRL that does not verify would make mysqld refuse
// every connection at the next handshake (spec §1: no verify callback, every CRL error is fatal).
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { OID } from "../core/der/oids.js";

interface AlgorithmRule {
  hash: "sha256" | "sha384";
  /** node's asymmetricKeyType the key must have: an EC key must not pass for an RSA OID or back. */
  keyType: "ec" | "rsa";
}

/** The signature algorithms repl-pki issues with (src/crypto/keys.ts) and so accepts. */
export const SIGNATURE_ALGORITHMS: ReadonlyMap<string, AlgorithmRule> = new Map([
  [OID.ecdsaWithSHA256, { hash: "sha256", keyType: "ec" }], // RFC 5758 §3.2
  [OID.ecdsaWithSHA384, { hash: "sha384", keyType: "ec" }],
  [OID.sha256WithRSAEncryption, { hash: "sha256", keyType: "rsa" }], // RFC 4055 §5, PKCS#1 v1.5
  [OID.sha384WithRSAEncryption, { hash: "sha384", keyType: "rsa" }],
]);

/**
 * True when `signature` over `tbs` verifies with the key in `issuerSpki` (DER SubjectPublicKeyInfo)
 * under `signatureAlgorithmOid`. False for a bad signature, an unsupported algorithm, a key of the
 * wrong type, or an unreadable key or signature: never throws. ECDSA signatures are DER
 * ECDSA-Sig-Value (RFC 5480 §2.2 / RFC 3279 §2.2.3), RSA ones PKCS#1 v1.5 (RFC 8017 §8.2).
 */
export function verifySignedDer(
  tbs: Uint8Array,
  signatureAlgorithmOid: string,
  signature: Uint8Array,
  issuerSpki: Buffer,
): boolean {
  const rule = SIGNATURE_ALGORITHMS.get(signatureAlgorithmOid);
  if (!rule) return false;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: issuerSpki, format: "der", type: "spki" });
  } catch {
    return false;
  }
  // "rsa-pss" keys are excluded on purpose: the OIDs above mean PKCS#1 v1.5 only.
  if (key.asymmetricKeyType !== rule.keyType) return false;
  try {
    return verify(rule.hash, tbs, key, signature);
  } catch {
    return false; // e.g. an ECDSA signature that is not valid DER
  }
}
