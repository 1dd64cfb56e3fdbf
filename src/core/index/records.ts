// The CA index: an append-only journal of text records, one per line, so a human can read and diff it
// and an `issue` appends one line instead of rewriting the file (issue 3: must scale to 1,000,000
// entries). Each line is tab-separated fields followed by the CRC-32 of everything before it, so a torn
// or damaged line is detected on load. Format:
//   #repl-pki-index 1
//   C <serial> <name> <role> <notBefore> <notAfter> <subject> <sans> <issuer> <status> <revokedAt> <reason> <crc>
//   R <serial> <issuer> <revokedAt> <reason> <crc>
// C is a certificate (status V valid or R revoked), R a later revocation of it. <issuer> names the CA that
// signed it ("root", "intermediate"), so a CRL writer can stream the file without building a map. Compaction folds R
// records into their C lines. Times are ISO 8601 UTC; SANs are "DNS:a,IP:10.0.0.1".
import type { RevocationReason } from "../revocation.js";
import { crc32Hex } from "./crc32.js";
import { MAX_FIELDS, scanRecordLine } from "./line-scan.js";

export const INDEX_HEADER = "#repl-pki-index 1";

export type CertRole = "server" | "replica" | "relay" | "root-ca" | "intermediate-ca" | "imported";

export interface IndexEntry {
  serial: string;
  name: string;
  role: CertRole;
  notBefore: string;
  notAfter: string;
  subject: string;
  sans: string;
  /** Name of the CA that issued it ("root", "intermediate"): which CA's CRL lists it. */
  issuer: string;
  status: "V" | "R";
  revokedAt: string;
  reason: RevocationReason | "";
}

export interface RevocationRecord {
  serial: string;
  issuer: string;
  revokedAt: string;
  reason: RevocationReason;
}

const escapeField = (s: string) => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
const unescapeField = (s: string) =>
  s.replace(/\\(.)/g, (_, c: string) => (c === "t" ? "\t" : c === "n" ? "\n" : c));

function line(fields: string[]): string {
  const body = fields.map(escapeField).join("\t");
  return `${body}\t${crc32Hex(body)}\n`;
}

export function encodeEntry(e: IndexEntry): string {
  return line([
    "C",
    e.serial,
    e.name,
    e.role,
    e.notBefore,
    e.notAfter,
    e.subject,
    e.sans,
    e.issuer,
    e.status,
    e.revokedAt,
    e.reason,
  ]);
}

export const encodeRevocation = (r: RevocationRecord): string =>
  line(["R", r.serial, r.issuer, r.revokedAt, r.reason]);

export type DecodedRecord = { kind: "C"; entry: IndexEntry } | { kind: "R"; revocation: RevocationRecord };

const tabsScratch = new Int32Array(MAX_FIELDS);

/** Decodes one line (without its newline); undefined when the checksum or shape is wrong. */
export function decodeRecord(text: string): DecodedRecord | undefined {
  const b = Buffer.from(text, "utf8");
  return decodeRecordBytes(b, 0, b.length, tabsScratch);
}

/**
 * Decodes the record in b[s, e) (no newline); undefined when the checksum or shape is wrong. `ascii`,
 * when given, is the whole buffer decoded as a string of the same length (an all-ASCII file): fields are
 * then cheap slices of it instead of one UTF-8 decode each (`list` over 100,000 certificates).
 */
export function decodeRecordBytes(
  b: Buffer,
  s: number,
  e: number,
  tabs: Int32Array,
  ascii?: string,
): DecodedRecord | undefined {
  const n = scanRecordLine(b, s, e, tabs);
  if (n < 0) return undefined;
  const f = (k: number) => {
    const from = k === 0 ? s : tabs[k - 1]! + 1;
    const text = ascii !== undefined ? ascii.slice(from, tabs[k]!) : b.toString("utf8", from, tabs[k]!);
    return text.includes("\\") ? unescapeField(text) : text;
  };
  const kind = b[s];
  if (kind === 0x43 /* C */ && n === 12) {
    return {
      kind: "C",
      entry: {
        serial: f(1),
        name: f(2),
        role: f(3) as CertRole,
        notBefore: f(4),
        notAfter: f(5),
        subject: f(6),
        sans: f(7),
        issuer: f(8),
        status: b[tabs[8]! + 1] === 0x52 ? "R" : "V",
        revokedAt: f(10),
        reason: f(11) as RevocationReason | "",
      },
    };
  }
  if (kind === 0x52 /* R */ && n === 5) {
    return {
      kind: "R",
      revocation: { serial: f(1), issuer: f(2), revokedAt: f(3), reason: f(4) as RevocationReason },
    };
  }
  return undefined;
}
