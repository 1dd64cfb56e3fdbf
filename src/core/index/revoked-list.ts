// Revoked certificates of one CA in columns (serial bytes, times, reason codes) instead of one object per
// entry: a 1,000,000-entry CRL must stay within ~300 MB of RSS (issue 4), and 1M small objects with a
// Date and a Buffer each cost more than that alone.
import { REASON_CODES, type RevocationReason } from "../revocation.js";

const REASON_NAMES = Object.keys(REASON_CODES) as RevocationReason[];

export interface RevokedEntryView {
  serial: Uint8Array;
  revokedAt: Date;
  reason: RevocationReason;
}

export class RevokedList {
  count = 0;
  private bytes = Buffer.alloc(1024);
  private used = 0;
  private ends = new Uint32Array(64);
  private times = new Float64Array(64);
  private reasons = new Uint8Array(64);

  private grow(extraBytes: number): void {
    if (this.count === this.ends.length) {
      const n = this.ends.length * 2;
      const ends = new Uint32Array(n);
      ends.set(this.ends);
      this.ends = ends;
      const times = new Float64Array(n);
      times.set(this.times);
      this.times = times;
      const reasons = new Uint8Array(n);
      reasons.set(this.reasons);
      this.reasons = reasons;
    }
    if (this.used + extraBytes > this.bytes.length) {
      const b = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + extraBytes));
      this.bytes.copy(b, 0, 0, this.used);
      this.bytes = b;
    }
  }

  /** Adds an entry whose serial is given as hex digits in `src[start, end)` (uppercase or lowercase). */
  addHex(src: Uint8Array, start: number, end: number, revokedAtMs: number, reasonCode: number): void {
    const digits = end - start;
    const len = (digits + 1) >> 1;
    this.grow(len);
    let o = this.used;
    let i = start;
    if (digits & 1) this.bytes[o++] = hexValue(src[i++]!);
    for (; i < end; i += 2) this.bytes[o++] = (hexValue(src[i]!) << 4) | hexValue(src[i + 1]!);
    this.used = o;
    this.push(revokedAtMs, reasonCode);
  }

  add(serial: Uint8Array, revokedAt: Date, reason: RevocationReason): void {
    this.grow(serial.length);
    this.bytes.set(serial, this.used);
    this.used += serial.length;
    this.push(revokedAt.getTime(), REASON_CODES[reason]);
  }

  private push(ms: number, reasonCode: number): void {
    this.ends[this.count] = this.used;
    this.times[this.count] = ms;
    this.reasons[this.count] = reasonCode;
    this.count++;
  }

  /**
   * A re-iterable view for the CRL encoder's two passes; every step reuses one entry object, so
   * consumers must copy what they keep.
   */
  view(): Iterable<RevokedEntryView> {
    return {
      [Symbol.iterator]: () => {
        let i = 0;
        const into: RevokedEntryView = {
          serial: new Uint8Array(0),
          revokedAt: new Date(0),
          reason: "unspecified",
        };
        return {
          next: (): IteratorResult<RevokedEntryView> =>
            i < this.count ? { value: this.entry(i++, into), done: false } : { value: undefined, done: true },
        };
      },
    };
  }

  /** The i-th entry, written into `into` (reused by the caller: no allocation but the serial view). */
  entry(i: number, into: RevokedEntryView): RevokedEntryView {
    const start = i === 0 ? 0 : this.ends[i - 1]!;
    into.serial = this.bytes.subarray(start, this.ends[i]!);
    into.revokedAt.setTime(this.times[i]!);
    into.reason = REASON_NAMES[this.reasons[i]!]!;
    return into;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  throw new RangeError(`not a hex digit: ${String.fromCharCode(c)}`);
}
