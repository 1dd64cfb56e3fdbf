// What the core needs from a private key: the AlgorithmIdentifier it signs with and a signing function.
// Implemented by src/crypto/keys.ts (node:crypto); kept as an interface so the core stays free of key I/O.

export type KeyType = "rsa-2048" | "rsa-3072" | "rsa-4096" | "ec-p256" | "ec-p384";
export const KEY_TYPES: readonly KeyType[] = ["rsa-2048", "rsa-3072", "rsa-4096", "ec-p256", "ec-p384"];

export interface Signer {
  keyType: KeyType;
  /** DER of the signature AlgorithmIdentifier (RFC 5280 §4.1.1.2). */
  algorithmIdentifier: Buffer;
  /** DER SubjectPublicKeyInfo of the signing key. */
  spki: Buffer;
  /** Signature over `data` in the form X.509 expects (PKCS#1 v1.5, or DER ECDSA-Sig-Value). */
  sign(data: Uint8Array): Buffer;
}
