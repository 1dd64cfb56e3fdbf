// RevokedScanner: the CRL writer's streaming view of the index journal. It must agree with the index
// (readJournal) on which certificates are revoked, by which CA, when and why, whatever the chunking,
// and must refuse a damaged line instead of reading it as "not revoked".
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  encodeEntry,
  encodeRevocation,
  INDEX_HEADER,
  type IndexEntry,
} from "../../src/core/index/records.js";
import type { RevokedList } from "../../src/core/index/revoked-list.js";
import { IndexScanError, RevokedScanner } from "../../src/core/index/revoked-scan.js";
import type { RevocationReason } from "../../src/core/revocation.js";
import { ReplPkiError } from "../../src/errors.js";
import { scanRevoked } from "../../src/store/crl-store.js";
import { readJournal } from "../../src/store/journal.js";
import { tempDir } from "../helpers/tmp.js";

function entry(serial: string, issuer: string, over: Partial<IndexEntry> = {}): IndexEntry {
  return {
    serial,
    name: `n-${serial.toLowerCase()}`,
    role: "replica",
    notBefore: "2026-01-01T00:00:00Z",
    notAfter: "2027-01-01T00:00:00Z",
    subject: `CN=n-${serial.toLowerCase()}`,
    sans: "",
    issuer,
    status: "V",
    revokedAt: "",
    reason: "",
    ...over,
  };
}

const revocation = (serial: string, issuer: string, revokedAt: string, reason: RevocationReason) =>
  encodeRevocation({ serial, issuer, revokedAt, reason });

interface Row {
  serial: string;
  revokedAt: string;
  reason: string;
}

function rows(list: RevokedList | undefined): Row[] {
  if (!list) return [];
  const out: Row[] = [];
  for (const e of list.view()) {
    out.push({
      serial: Buffer.from(e.serial).toString("hex").toUpperCase(),
      revokedAt: e.revokedAt.toISOString().replace(".000Z", "Z"),
      reason: e.reason,
    });
  }
  return out;
}

/** Feeds `text` in chunks of `size` bytes through one reused buffer (as scanRevoked reads the file). */
function scan(text: string | Buffer, size = 1 << 20): Map<string, RevokedList> {
  const all = typeof text === "string" ? Buffer.from(text) : text;
  const s = new RevokedScanner();
  const reused = Buffer.alloc(size);
  for (let off = 0; off < all.length; off += size) {
    const n = all.copy(reused, 0, off, off + size);
    s.push(reused.subarray(0, n));
    reused.fill(0x58); // the scanner must have copied what it keeps of a partial line
  }
  return s.finish();
}

const JOURNAL = [
  `${INDEX_HEADER}\n`,
  encodeEntry(entry("40AA", "root", { role: "root-ca" })),
  encodeEntry(entry("41BB", "root", { role: "intermediate-ca" })),
  encodeEntry(entry("7F01", "intermediate")),
  encodeEntry(entry("0E02", "intermediate")),
  encodeEntry(entry("80", "intermediate")),
  // compacted: a C line already carrying the revocation
  encodeEntry(
    entry("FFEE", "intermediate", {
      status: "R",
      revokedAt: "2026-03-01T10:00:00Z",
      reason: "superseded",
    }),
  ),
  revocation("7F01", "intermediate", "2026-02-01T12:34:56Z", "keyCompromise"),
  revocation("41BB", "root", "2026-02-02T00:00:00Z", "caCompromise"),
  revocation("80", "intermediate", "2049-12-31T23:59:59Z", "unspecified"),
  encodeEntry(entry("0A0B0C", "intermediate")),
].join("");

describe("RevokedScanner", () => {
  it("applies R records and compacted C lines, per issuing CA, in journal order", () => {
    const byIssuer = scan(JOURNAL);
    expect([...byIssuer.keys()].sort()).toEqual(["intermediate", "root"]);
    expect(rows(byIssuer.get("root"))).toEqual([
      { serial: "41BB", revokedAt: "2026-02-02T00:00:00Z", reason: "caCompromise" },
    ]);
    expect(rows(byIssuer.get("intermediate"))).toEqual([
      { serial: "FFEE", revokedAt: "2026-03-01T10:00:00Z", reason: "superseded" },
      { serial: "7F01", revokedAt: "2026-02-01T12:34:56Z", reason: "keyCompromise" },
      { serial: "80", revokedAt: "2049-12-31T23:59:59Z", reason: "unspecified" },
    ]);
  });

  it("agrees with readJournal on the revoked set", () => {
    const dir = tempDir();
    const path = join(dir, "index.log");
    writeFileSync(path, JOURNAL);
    const fromJournal = [...readJournal(path).entries.values()]
      .filter((e) => e.status === "R")
      .map((e) => `${e.issuer} ${e.serial} ${e.revokedAt} ${e.reason}`)
      .sort();
    const fromScan = [...scanRevoked(path)].flatMap(([issuer, list]) =>
      rows(list).map((r) => `${issuer} ${r.serial} ${r.revokedAt} ${r.reason}`),
    );
    expect(fromScan.sort()).toEqual(fromJournal);
  });

  it("gives the same result whatever the chunk size (lines split anywhere, one reused read buffer)", () => {
    const whole = JSON.stringify([...scan(JOURNAL)].map(([k, v]) => [k, rows(v)]));
    for (const size of [1, 2, 3, 7, 64, 113, 4096]) {
      expect(JSON.stringify([...scan(JOURNAL, size)].map(([k, v]) => [k, rows(v)])), `chunk ${size}`).toBe(
        whole,
      );
    }
  });

  it("ignores a torn last line (a crash mid-append: never committed)", () => {
    const torn = revocation("0A0B0C", "intermediate", "2026-04-01T00:00:00Z", "superseded");
    for (const cut of [1, 10, torn.length - 1]) {
      const byIssuer = scan(JOURNAL + torn.slice(0, cut), 5);
      expect(rows(byIssuer.get("intermediate")).map((r) => r.serial)).toEqual(["FFEE", "7F01", "80"]);
    }
    // …but the same line with its newline is committed and counted
    expect(rows(scan(JOURNAL + torn).get("intermediate")).map((r) => r.serial)).toContain("0A0B0C");
  });

  it("detects a CRC mismatch on any line, with its line number", () => {
    const lines = JOURNAL.split("\n");
    // flip one character of the revocation of 7F01 (line 8): keyCompromise -> keyCompromisf
    const bad = lines.map((l, i) => (i === 7 ? l.replace("keyCompromise", "keyCompromisf") : l)).join("\n");
    let err: unknown;
    try {
      scan(bad, 17);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IndexScanError);
    expect((err as IndexScanError).lineNo).toBe(8);
    // a revoked C line turned into a valid one without fixing the checksum must not pass as "not revoked"
    const flipped = lines.map((l, i) => (i === 6 ? l.replace("\tR\t", "\tV\t") : l)).join("\n");
    expect(() => scan(flipped)).toThrow(IndexScanError);
    // a wrong checksum digit, a missing checksum, an unknown record kind
    const crcTypo = lines.map((l, i) => (i === 3 ? l.slice(0, -1) + (l.endsWith("0") ? "1" : "0") : l));
    expect(() => scan(crcTypo.join("\n"))).toThrow(IndexScanError);
    const noCrc = lines.map((l, i) => (i === 3 ? l.slice(0, l.lastIndexOf("\t")) : l));
    expect(() => scan(noCrc.join("\n"))).toThrow(IndexScanError);
  });

  it("refuses a file without the header, and an empty file", () => {
    expect(() => scan(JOURNAL.slice(JOURNAL.indexOf("\n") + 1))).toThrow(IndexScanError);
    expect(() => scan("")).toThrow(IndexScanError);
    expect(() => scan(INDEX_HEADER)).toThrow(IndexScanError); // header without its newline: torn
    expect(scan(`${INDEX_HEADER}\n`).size).toBe(0);
  });

  it("keeps serials exactly: high bit set, leading 0 digit, 20 octets", () => {
    const serials = ["80", "FF", "0E0830EEA2F85923C0F6BAC4AD4ADBC4642731BF", "FF".repeat(20), "01", "7F"];
    const text = [
      `${INDEX_HEADER}\n`,
      ...serials.map((s) => encodeEntry(entry(s, "root"))),
      ...serials.map((s) => revocation(s, "root", "2026-05-05T05:05:05Z", "superseded")),
    ].join("");
    expect(rows(scan(text).get("root")).map((r) => r.serial)).toEqual(serials);
  });

  it("scanRevoked reports a damaged line as INDEX_CORRUPT with the line number", () => {
    const dir = tempDir();
    const path = join(dir, "index.log");
    writeFileSync(path, JOURNAL.replace("n-7f01", "n-7f02"));
    let err: unknown;
    try {
      scanRevoked(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReplPkiError);
    expect((err as ReplPkiError).code).toBe("INDEX_CORRUPT");
    expect((err as Error).message).toMatch(/line 4\b/);
  });
});
