// Reading, appending to and compacting the index journal (format: src/core/index/records.ts).
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from "node:fs";
import {
  decodeRecord,
  encodeEntry,
  INDEX_HEADER,
  type IndexEntry,
  type RevocationRecord,
} from "../core/index/records.js";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "./fs-atomic.js";
import { attempt } from "./fs-errors.js";

export interface JournalContents {
  /** Every certificate by serial, in issue order, with revocations applied. */
  entries: Map<string, IndexEntry>;
  /** R records not yet folded into their C line by a compaction. */
  pendingRevocations: number;
}

function corrupt(path: string, lineNo: number, why: string): InputError {
  return new InputError("INDEX_CORRUPT", `the index ${path} is damaged at line ${lineNo}: ${why}`, {
    hint: "restore the index from a backup; repl-pki never rewrites a damaged index by itself",
  });
}

export function readJournal(path: string): JournalContents {
  const text = attempt("read", path, () => readFileSync(path, "utf8"));
  const entries = new Map<string, IndexEntry>();
  let pendingRevocations = 0;
  let start = text.indexOf("\n") + 1;
  if (!text.startsWith(INDEX_HEADER) || start === 0) throw corrupt(path, 1, "missing header");
  let lineNo = 1;
  while (start < text.length) {
    lineNo++;
    const end = text.indexOf("\n", start);
    if (end < 0) break; // torn last line from a crash mid-append: it was never committed
    const rec = decodeRecord(text.slice(start, end));
    start = end + 1;
    if (!rec) throw corrupt(path, lineNo, "bad checksum or shape");
    if (rec.kind === "C") {
      entries.set(rec.entry.serial, rec.entry);
      continue;
    }
    const e = entries.get(rec.revocation.serial);
    if (!e) throw corrupt(path, lineNo, `revocation of unknown serial ${rec.revocation.serial}`);
    entries.set(e.serial, {
      ...e,
      status: "R",
      revokedAt: rec.revocation.revokedAt,
      reason: rec.revocation.reason,
    });
    pendingRevocations++;
  }
  return { entries, pendingRevocations };
}

/** Appends records durably (fsync). Call under the CA lock. Drops a torn tail left by a crash first. */
export function appendRecords(path: string, lines: string[]): void {
  attempt("append to", path, () => {
    const fd = openSync(path, "r+");
    try {
      let size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      if (size > 0) readSync(fd, last, 0, 1, size - 1);
      if (size > 0 && last[0] !== 0x0a) {
        const whole = readFileSync(path);
        size = whole.lastIndexOf(0x0a) + 1;
        ftruncateSync(fd, size);
      }
      const buf = Buffer.from(lines.join(""));
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, size + off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

export function createJournal(path: string, entries: Iterable<IndexEntry>): void {
  const parts = [`${INDEX_HEADER}\n`];
  for (const e of entries) parts.push(encodeEntry(e));
  writeFileAtomic(path, parts.join(""), 0o644);
}

/** Rewrites the journal with every revocation folded into its C line (atomic replace). */
export const compactJournal = (path: string, contents: JournalContents): void =>
  createJournal(path, contents.entries.values());

export type { IndexEntry, RevocationRecord };
