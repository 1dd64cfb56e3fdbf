// Serial numbers (RFC 5280 §4.1.2.2): positive, at most 20 octets. We draw 159 random bits, so the
// value is always positive and fits 20 octets even with the DER sign byte, and print serials in ONE
// format everywhere: uppercase hex, no separators, as `openssl x509 -serial` prints them.
import { UsageError } from "../errors.js";

/** Source of random bytes (node:crypto randomBytes in production, a counter in tests). */
export type RandomBytes = (n: number) => Buffer;

export function newSerial(random: RandomBytes): Buffer {
  const b = random(20);
  b[0] = b[0]! & 0x7f; // 159 bits: the high bit clear, so no 0x00 sign byte is needed in DER
  if (b[0] === 0) b[0] = 0x40; // keep the length at 20 octets so every serial prints the same width
  return b;
}

/** Canonical text of a serial magnitude: uppercase hex, even length, no leading 00 pairs. */
export function formatSerial(magnitude: Uint8Array): string {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const hex = Buffer.from(magnitude.subarray(i)).toString("hex").toUpperCase();
  return hex.length === 0 ? "00" : hex;
}

/**
 * A serial given by the user: hex, optionally colon-separated or 0x-prefixed (as openssl and browsers
 * print them), or decimal when `decimal` is set. Returns the canonical magnitude bytes.
 */
export function parseSerial(text: string, decimal = false): Buffer {
  const t = text.trim();
  const bad = (why: string) =>
    new UsageError("INVALID_SERIAL", `not a serial number: "${text}" (${why})`, {
      hint: decimal
        ? "give the serial in decimal digits, or drop --serial-decimal for hex"
        : "give the serial in hex, e.g. 3A:F0:… or 0x3AF0…; use --serial-decimal for decimal",
    });
  let hex: string;
  if (decimal) {
    if (!/^\d+$/.test(t)) throw bad("expected decimal digits");
    hex = BigInt(t).toString(16);
  } else {
    hex = t.replace(/^0x/i, "");
    if (hex.includes(":")) {
      if (!/^[0-9a-f]{1,2}(:[0-9a-f]{1,2})*$/i.test(hex)) throw bad("malformed colon-separated hex");
      hex = hex
        .split(":")
        .map((p) => p.padStart(2, "0"))
        .join("");
    }
    if (!/^[0-9a-f]+$/i.test(hex)) throw bad("expected hex digits");
  }
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, "hex");
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const mag = bytes.subarray(i);
  if (mag.length > 20 || (mag.length === 1 && mag[0] === 0))
    throw bad("must be positive and at most 20 octets");
  return Buffer.from(mag);
}
