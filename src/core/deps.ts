// Everything the core needs from the outside world, passed in (architecture §5.5): the clock, random
// bytes for serials, and fresh keys. Tests pass a fixed clock and a counting random source.

import type { RandomBytes } from "./serial.js";
import type { Clock } from "./time.js";
import type { KeyType, Signer } from "./x509/signer.js";

export type KeyFormat = "traditional" | "pkcs8";

export interface GeneratedKey {
  signer: Signer;
  /** Unencrypted PEM: "traditional" = PKCS#1 (RSA) / SEC1 (EC), or PKCS#8. */
  privateKeyPem(format: KeyFormat): string;
}

export type KeySource = (type: KeyType) => GeneratedKey;

export interface CoreDeps {
  clock: Clock;
  random: RandomBytes;
  keys: KeySource;
}
