// Streams the index journal (format: records.ts) and collects the revoked certificates per issuing CA
// without building an object per line: the CRL writer's input at a million entries. Every line's CRC is
// still checked, so a damaged line is never silently read as "not revoked".
import { REASON_CODES } from "../revocation.js";
import { crc32Bytes } from "./crc32.js";
import { INDEX_HEADER } from "./records.js";
import { RevokedList } from "./revoked-list.js";

const TAB = 9;
const NL = 10;

export class IndexScanError extends Error {
  constructor(
    readonly lineNo: number,
    why: string,
  ) {
    super(why);
  }
}

/** "YYYY-MM-DDTHH:MM:SSZ" → epoch ms, without Date parsing per line. */
function parseIsoMs(b: Uint8Array, s: number, e: number): number {
  if (e - s !== 20) return Date.parse(Buffer.from(b.subarray(s, e)).toString("latin1"));
  const d = (i: number, n: number) => {
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 10 + (b[s + i + k]! - 0x30);
    return v;
  };
  return Date.UTC(d(0, 4), d(5, 2) - 1, d(8, 2), d(11, 2), d(14, 2), d(17, 2));
}

const REASON_BY_TEXT = new Map(Object.entries(REASON_CODES));

export class RevokedScanner {
  readonly byIssuer = new Map<string, RevokedList>();
  private pending: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  private readonly tabs = new Int32Array(16);

  /** Feeds the next chunk of the file. */
  push(chunk: Buffer): void {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = data.indexOf(NL, start);
      if (nl < 0) break;
      this.line(data, start, nl);
      start = nl + 1;
    }
    // copy the partial line: `chunk` may be a reused read buffer
    this.pending = Buffer.from(data.subarray(start));
  }

  /** A final partial line is a torn append from a crash: never committed, so ignored. */
  finish(): Map<string, RevokedList> {
    if (this.lineNo === 0) throw new IndexScanError(1, "missing header");
    return this.byIssuer;
  }

  private line(b: Buffer, s: number, e: number): void {
    this.lineNo++;
    if (this.lineNo === 1) {
      if (b.toString("latin1", s, e) !== INDEX_HEADER) throw new IndexScanError(1, "missing header");
      return;
    }
    let n = 0;
    for (let i = s; i < e && n < 16; i++) if (b[i] === TAB) this.tabs[n++] = i;
    const last = this.tabs[n - 1] ?? -1;
    if (n === 0 || e - last - 1 !== 8 || crc32Bytes(b, s, last).toString(16).padStart(8, "0") !== b.toString("latin1", last + 1, e)) {
      throw new IndexScanError(this.lineNo, "bad checksum or shape");
    }
    const field = (k: number) => [k === 0 ? s : this.tabs[k - 1]! + 1, this.tabs[k]!] as const;
    const kind = b[s];
    if (kind === 0x43 /* C */ && n === 12) {
      const [st] = field(9);
      if (b[st] !== 0x52 /* R */) return;
      this.add(b, field(8), field(1), field(10), field(11));
    } else if (kind === 0x52 /* R */ && n === 5) {
      this.add(b, field(2), field(1), field(3), field(4));
    } else throw new IndexScanError(this.lineNo, "unknown record");
  }

  private add(
    b: Buffer,
    issuer: readonly [number, number],
    serial: readonly [number, number],
    at: readonly [number, number],
    reason: readonly [number, number],
  ): void {
    const name = b.toString("latin1", issuer[0], issuer[1]);
    let list = this.byIssuer.get(name);
    if (!list) this.byIssuer.set(name, (list = new RevokedList()));
    const code = REASON_BY_TEXT.get(b.toString("latin1", reason[0], reason[1]));
    const ms = parseIsoMs(b, at[0], at[1]);
    if (code === undefined || Number.isNaN(ms)) throw new IndexScanError(this.lineNo, "bad revocation fields");
    const digits = serial[1] - serial[0];
    if (digits === 0 || digits > 40) throw new IndexScanError(this.lineNo, "bad serial");
    try {
      list.addHex(b, serial[0], serial[1], ms, code);
    } catch {
      throw new IndexScanError(this.lineNo, "bad serial");
    }
  }
}
