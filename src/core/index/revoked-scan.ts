// Streams the index journal (format: records.ts) and collects the revoked certificates per issuing CA
// without building an object or a string per line: the CRL writer's input at a million entries. Every
// line's CRC is still checked (in the same pass that finds the tabs), so a damaged line is never
// silently read as "not revoked".
import { REASON_CODES } from "../revocation.js";
import { CRC_TABLE } from "./crc32.js";
import { INDEX_HEADER } from "./records.js";
import { RevokedList } from "./revoked-list.js";

const TAB = 9;
const NL = 10;
const MAX_FIELDS = 16;

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

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1000; // makes the sum negative: not a lowercase hex digit
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
    // One pass: CRC-32 of the bytes before each tab, and the tab positions. The record's checksum
    // covers everything before the last tab (records.ts).
    const tabs = this.tabs;
    let n = 0;
    let c = -1;
    let crcAtLastTab = 0;
    for (let i = s; i < e; i++) {
      const byte = b[i]!;
      if (byte === TAB) {
        if (n === MAX_FIELDS) throw new IndexScanError(this.lineNo, "too many fields");
        tabs[n++] = i;
        crcAtLastTab = c;
      }
      c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
    }
    const last = n > 0 ? tabs[n - 1]! : -1;
    let stored = 0;
    if (e - last - 1 === 8) for (let i = last + 1; i < e; i++) stored = stored * 16 + hexNibble(b[i]!);
    if (n === 0 || e - last - 1 !== 8 || stored !== (crcAtLastTab ^ -1) >>> 0) {
      throw new IndexScanError(this.lineNo, "bad checksum or shape");
    }
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
