// Minimal DER reader: enough to walk certificates, CRLs and names we did not produce ourselves.
// Strict on definite lengths (DER forbids the indefinite form, X.690 §10.1).

export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the source buffer. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
  /** The whole TLV (tag, length and content). */
  raw: Buffer;
  content: Buffer;
}

export class DerError extends Error {}

export function readTlv(buf: Buffer, off = 0): Tlv {
  if (off >= buf.length) throw new DerError("unexpected end of DER data");
  const tag = buf[off]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers are not supported");
  let p = off + 1;
  if (p >= buf.length) throw new DerError("truncated DER length");
  let len = buf[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError("unsupported DER length form");
    if (p + n > buf.length) throw new DerError("truncated DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  const end = p + len;
  if (end > buf.length) throw new DerError("DER value runs past the end of the data");
  return {
    tag,
    start: off,
    contentStart: p,
    end,
    raw: buf.subarray(off, end),
    content: buf.subarray(p, end),
  };
}

/** The TLVs directly inside a constructed value. */
export function children(parent: Tlv | Buffer): Tlv[] {
  const content = Buffer.isBuffer(parent) ? parent : parent.content;
  const out: Tlv[] = [];
  let off = 0;
  while (off < content.length) {
    const t = readTlv(content, off);
    out.push(t);
    off = t.end;
  }
  return out;
}

export function decodeOid(content: Uint8Array): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (arcs.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join(".");
}

/** Unsigned big-endian magnitude of an INTEGER's content (the sign byte dropped). */
export function integerMagnitude(content: Uint8Array): Buffer {
  let i = 0;
  while (i < content.length - 1 && content[i] === 0) i++;
  return Buffer.from(content.subarray(i));
}
