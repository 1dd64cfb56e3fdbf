// Deterministic dependencies for tests: a fixed clock and a counting random source. Keys are real
// (node:crypto), since signatures must verify with openssl.
import { nodeKeySource } from "../../src/api/deps.js";
import type { CoreDeps } from "../../src/core/deps.js";

export const FIXED_NOW = new Date("2026-11-25T12:00:00Z");

export function countingRandom(start = 1): (n: number) => Buffer {
  let counter = start;
  return (n) => {
    const b = Buffer.alloc(n, 0x11);
    b.writeUInt32BE(counter++ >>> 0, n - 4);
    return b;
  };
}

export function testDeps(now: Date = FIXED_NOW): CoreDeps {
  return { clock: () => now, random: countingRandom(), keys: nodeKeySource };
}
