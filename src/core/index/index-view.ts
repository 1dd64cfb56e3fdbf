// A read-only view of the whole index journal that keeps field offsets, not strings: `list` over
// 100,000 certificates slices each field when it prints it, so nothing but the output is allocated
// (issue 8: list within 2 x a bare read-and-split of the same file). Revocation records (R) are applied
// to the certificate they name.
import type { RevocationReason } from "../revocation.js";
import { MAX_FIELDS, scanRecordLine } from "./line-scan.js";
import { type CertRole, decodeRecordBytes, INDEX_HEADER, type IndexEntry } from "./records.js";

export class IndexScanError extends Error {
  constructor(
    readonly lineNo: number,
    why: string,
  ) {
    super(why);
  }
}

/** Field numbers of a C record (records.ts). */
export const FIELD = {
  serial: 1,
  name: 2,
  role: 3,
  notBefore: 4,
  notAfter: 5,
  subject: 6,
  sans: 7,
  issuer: 8,
  status: 9,
  revokedAt: 10,
  reason: 11,
} as const;
export type FieldName = keyof typeof FIELD;

const STRIDE = 13; // start of each of the 12 fields, plus the end of the last one

export class IndexView {
  count = 0;
  private offsets = new Int32Array(STRIDE * 1024);
  private readonly revoked = new Map<number, { revokedAt: string; reason: RevocationReason }>();
  readonly pendingRevocations: number;

  constructor(
    private readonly data: Buffer,
    /** `data` decoded as latin1 when it is all ASCII (slices then equal the UTF-8 text). */
    private readonly ascii: string | undefined,
  ) {
    this.pendingRevocations = this.scan();
  }

  private scan(): number {
    const d = this.data;
    let start = d.indexOf(0x0a) + 1;
    if (start === 0 || d.toString("latin1", 0, start - 1) !== INDEX_HEADER)
      throw new IndexScanError(1, "missing header");
    const tabs = new Int32Array(MAX_FIELDS);
    const bySerial = new Map<string, number>();
    let lineNo = 1;
    let pending = 0;
    while (start < d.length) {
      lineNo++;
      const end = d.indexOf(0x0a, start);
      if (end < 0) break; // torn last line from a crash mid-append: it was never committed
      const n = scanRecordLine(d, start, end, tabs);
      if (n === 12 && d[start] === 0x43 /* C */) {
        if (STRIDE * (this.count + 1) > this.offsets.length) {
          const grown = new Int32Array(this.offsets.length * 2);
          grown.set(this.offsets);
          this.offsets = grown;
        }
        const o = STRIDE * this.count;
        this.offsets[o] = start;
        for (let k = 0; k < 12; k++) this.offsets[o + k + 1] = tabs[k]! + 1;
        this.count++;
      } else if (n === 5 && d[start] === 0x52 /* R */) {
        const rec = decodeRecordBytes(d, start, end, tabs, this.ascii);
        if (rec?.kind !== "R") throw new IndexScanError(lineNo, "bad revocation record");
        if (bySerial.size === 0)
          for (let i = 0; i < this.count; i++) bySerial.set(this.field(i, "serial"), i);
        const i = bySerial.get(rec.revocation.serial);
        if (i === undefined)
          throw new IndexScanError(lineNo, `revocation of unknown serial ${rec.revocation.serial}`);
        this.revoked.set(i, { revokedAt: rec.revocation.revokedAt, reason: rec.revocation.reason });
        pending++;
      } else throw new IndexScanError(lineNo, "bad checksum or shape");
      if (bySerial.size > 0 && n === 12) bySerial.set(this.field(this.count - 1, "serial"), this.count - 1);
      start = end + 1;
    }
    return pending;
  }

  /** One field of certificate i, revocations applied. */
  field(i: number, name: FieldName): string {
    if (name === "status" || name === "revokedAt" || name === "reason") {
      const r = this.revoked.get(i);
      if (r) return name === "status" ? "R" : r[name];
    }
    const k = FIELD[name];
    const from = this.offsets[STRIDE * i + k]!;
    const to = this.offsets[STRIDE * i + k + 1]! - 1;
    const text = this.ascii !== undefined ? this.ascii.slice(from, to) : this.data.toString("utf8", from, to);
    return text.includes("\\")
      ? text.replace(/\\(.)/g, (_, c: string) => (c === "t" ? "\t" : c === "n" ? "\n" : c))
      : text;
  }

  entry(i: number): IndexEntry {
    const f = (name: FieldName) => this.field(i, name);
    return {
      serial: f("serial"),
      name: f("name"),
      role: f("role") as CertRole,
      notBefore: f("notBefore"),
      notAfter: f("notAfter"),
      subject: f("subject"),
      sans: f("sans"),
      issuer: f("issuer"),
      status: f("status") === "R" ? "R" : "V",
      revokedAt: f("revokedAt"),
      reason: f("reason") as RevocationReason | "",
    };
  }
}
