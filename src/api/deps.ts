// The real dependencies (system clock, CSPRNG, node:crypto keys). Library callers may pass their own.
import { randomBytes } from "node:crypto";
import type { CoreDeps, GeneratedKey, KeySource } from "../core/deps.js";
import type { KeyType } from "../core/x509/signer.js";
import { generatePrivateKey, privateKeyPem, signerFor } from "../crypto/keys.js";

export const nodeKeySource: KeySource = (type: KeyType): GeneratedKey => {
  const key = generatePrivateKey(type);
  return { signer: signerFor(key), privateKeyPem: (format) => privateKeyPem(key, format) };
};

export function systemDeps(): CoreDeps {
  return { clock: () => new Date(), random: (n) => randomBytes(n), keys: nodeKeySource };
}
