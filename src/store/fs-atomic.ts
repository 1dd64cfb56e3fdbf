// Atomic file replacement: temp file in the same directory, fsync, rename, fsync the directory. A crash
// leaves either the old or the new content, never a torn file (a half-written CA key or CRL is worse
// than none). Keys are created 0600 from the first byte, never chmod-ed afterwards.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { attempt } from "./fs-errors.js";

export const MODE_SECRET = 0o600;
export const MODE_PUBLIC = 0o644;
export const MODE_DIR = 0o700;

let counter = 0;

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number, sync = true): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  attempt("write", path, () => {
    const fd = openSync(tmp, "wx", mode);
    try {
      const buf = typeof data === "string" ? Buffer.from(data) : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      if (sync) fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkSync(tmp);
      throw e;
    }
    closeSync(fd);
    try {
      renameSync(tmp, path);
    } catch (e) {
      unlinkSync(tmp);
      throw e;
    }
    if (sync) fsyncDir(dirname(path));
  });
}

export function ensureDir(path: string, mode = MODE_DIR): void {
  attempt("create directory", path, () => mkdirSync(path, { recursive: true, mode }));
}
