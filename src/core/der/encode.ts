// Minimal DER encoder (ITU-T X.690 §10). Hand-written rather than taken from an ASN.1 object model
// because the CRL writer must stay linear at a million entries (see ../shared/bench/results-peers.md:
// @peculiar/x509's generator is quadratic and the asn1-schema object model runs out of heap at 1M).

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Number of bytes the DER length field takes for a content of `len` bytes. */
export function lengthSize(len: number): number {
  if (len < 0x80) return 1;
  if (len < 0x100) return 2;
  if (len < 0x10000) return 3;
  if (len < 0x1000000) return 4;
  return 5;
}

/** Writes a DER length at `off` in `buf`; returns the new offset. */
export function writeLength(buf: Buffer, off: number, len: number): number {
  if (len < 0x80) {
    buf[off] = len;
    return off + 1;
  }
  const n = lengthSize(len) - 1;
  buf[off++] = 0x80 | n;
  for (let i = n - 1; i >= 0; i--) buf[off++] = Math.floor(len / 2 ** (8 * i)) & 0xff;
  return off;
}

/** Encodes one TLV whose content is the concatenation of `parts`. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = Buffer.allocUnsafe(1 + lengthSize(len) + len);
  out[0] = tag;
  let off = writeLength(out, 1, len);
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const seq = (...parts: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, ...parts);
export const set = (...parts: Uint8Array[]): Buffer => tlv(TAG.SET, ...parts);
/** Context-specific constructed tag [n] EXPLICIT. */
export const explicit = (n: number, ...parts: Uint8Array[]): Buffer => tlv(0xa0 | n, ...parts);
export const nullValue = (): Buffer => Buffer.from([TAG.NULL, 0]);
export const bool = (v: boolean): Buffer => Buffer.from([TAG.BOOLEAN, 1, v ? 0xff : 0]);
export const octetString = (v: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, v);
/** BIT STRING with zero unused bits (keys, signatures, KeyUsage is encoded separately). */
export const bitString = (v: Uint8Array): Buffer => tlv(TAG.BIT_STRING, Buffer.from([0]), v);

/**
 * Content octets of a non-negative INTEGER given as big-endian magnitude bytes: leading zero bytes are
 * stripped and one 0x00 is prepended when the high bit is set (X.690 §8.3.2). Getting this wrong drops
 * revocations silently (opnsense#10558), so every serial goes through here.
 */
export function unsignedIntegerContent(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const trimmed = magnitude.subarray(i);
  if (trimmed.length === 0) return Buffer.from([0]);
  if ((trimmed[0] as number) & 0x80) return Buffer.concat([Buffer.from([0]), trimmed]);
  return Buffer.from(trimmed);
}

export const unsignedInteger = (magnitude: Uint8Array): Buffer =>
  tlv(TAG.INTEGER, unsignedIntegerContent(magnitude));

export function smallInteger(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a non-negative integer: ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return unsignedInteger(Uint8Array.from(bytes));
}

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map((a) => Number(a));
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0)) {
    throw new RangeError(`bad OID ${dotted}`);
  }
  const body: number[] = [];
  const pushArc = (v: number) => {
    const chunk = [v & 0x7f];
    let rest = Math.floor(v / 128);
    while (rest > 0) {
      chunk.unshift((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    body.push(...chunk);
  };
  pushArc(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) pushArc(a);
  return tlv(TAG.OID, Uint8Array.from(body));
}

export const utf8String = (s: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(s, "utf8"));
export const printableString = (s: string): Buffer => tlv(TAG.PRINTABLE_STRING, Buffer.from(s, "latin1"));
export const ia5String = (s: string): Buffer => tlv(TAG.IA5_STRING, Buffer.from(s, "latin1"));
