// Streams the index journal (format: records.ts) and collects the revoked certificates per issuing CA
// without building an object or a string per line: the CRL writer's input at a million entries. Every
// line's CRC is still checked (line-scan.ts), so a damaged line is never silently read as "not revoked".
import { REASON_CODES } from "../revocation.js";
import { IndexScanError } from "./index-view.js";
import { MAX_FIELDS, scanRecordLine } from "./line-scan.js";
import { INDEX_HEADER } from "./records.js";
import { RevokedList } from "./revoked-list.js";

const NL = 10;

export { IndexScanError };

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

/** Small interning table: field bytes → value, without allocating a string for a repeat. */
class ByteLookup<T> {
  private readonly keys: Buffer[] = [];
  private readonly values: T[] = [];
  constructor(private readonly make: (text: string) => T | undefined) {}
  get(b: Buffer, s: number, e: number): T | undefined {
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k]!;
      if (key.length === e - s && b.compare(key, 0, key.length, s, e) === 0) return this.values[k];
    }
    const v = this.make(b.toString("latin1", s, e));
    if (v !== undefined && this.keys.length < 64) {
      this.keys.push(Buffer.from(b.subarray(s, e)));
      this.values.push(v);
    }
    return v;
  }
}

export class RevokedScanner {
  readonly byIssuer = new Map<string, RevokedList>();
  private pending: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  private readonly tabs = new Int32Array(MAX_FIELDS);
  private readonly issuers = new ByteLookup<string>((t) => t);
  private readonly reasons = new ByteLookup<number>((t) => (REASON_CODES as Record<string, number>)[t]);

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
    const tabs = this.tabs;
    const n = scanRecordLine(b, s, e, tabs);
    if (n < 0) throw new IndexScanError(this.lineNo, "bad checksum or shape");
    const from = (k: number) => (k === 0 ? s : tabs[k - 1]! + 1);
    const kind = b[s];
    if (kind === 0x43 /* C */ && n === 12) {
      if (b[from(9)] !== 0x52 /* R */) return;
      this.add(b, 8, 1, 10, 11);
    } else if (kind === 0x52 /* R */ && n === 5) {
      this.add(b, 2, 1, 3, 4);
    } else throw new IndexScanError(this.lineNo, "unknown record");
  }

  /** Field numbers of the issuer, serial, revocation time and reason in the current line. */
  private add(b: Buffer, issuerF: number, serialF: number, atF: number, reasonF: number): void {
    const tabs = this.tabs;
    const field = (k: number): [number, number] => [tabs[k - 1]! + 1, tabs[k]!];
    const [is, ie] = field(issuerF);
    const issuer = this.issuers.get(b, is, ie)!;
    let list = this.byIssuer.get(issuer);
    if (!list) {
      list = new RevokedList();
      this.byIssuer.set(issuer, list);
    }
    const code = this.reasons.get(b, ...field(reasonF));
    const ms = parseIsoMs(b, ...field(atF));
    if (code === undefined || Number.isNaN(ms))
      throw new IndexScanError(this.lineNo, "bad revocation fields");
    const [ss, se] = field(serialF);
    if (se === ss || se - ss > 40) throw new IndexScanError(this.lineNo, "bad serial");
    try {
      list.addHex(b, ss, se, ms, code);
    } catch {
      throw new IndexScanError(this.lineNo, "bad serial");
    }
  }
}
