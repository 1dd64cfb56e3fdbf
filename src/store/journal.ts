// Reading, appending to and compacting the index journal (format: src/core/index/records.ts).
import { isAscii } from "node:buffer";
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
import { IndexScanError, IndexView } from "../core/index/index-view.js";
import { encodeEntry, INDEX_HEADER, type IndexEntry, type RevocationRecord } from "../core/index/records.js";
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

/** The index as a view of field offsets (cheap to open: `list` prints from it without objects). */
export function readIndexView(path: string): IndexView {
  const data = attempt("read", path, () => readFileSync(path));
  try {
    return new IndexView(data, isAscii(data) ? data.toString("latin1") : undefined);
  } catch (e) {
    if (e instanceof IndexScanError) throw corrupt(path, e.lineNo, e.message);
    throw e;
  }
}

export function readJournal(path: string): JournalContents {
  const view = readIndexView(path);
  const entries = new Map<string, IndexEntry>();
  for (let i = 0; i < view.count; i++) {
    const e = view.entry(i);
    entries.set(e.serial, e);
  }
  return { entries, pendingRevocations: view.pendingRevocations };
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
