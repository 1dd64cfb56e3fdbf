// CRL files in a CA directory: crl.pem (every CA's CRL, for ssl_crl / MASTER_SSL_CRL), crl.d/ (the
// hashed directory for ssl_crlpath / MASTER_SSL_CRLPATH) and crl/state.json (cRLNumber and dates).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { HashDirPlan } from "../core/crl/hash-dir.js";
import type { RevokedList } from "../core/index/revoked-list.js";
import { IndexScanError, RevokedScanner } from "../core/index/revoked-scan.js";
import { InputError } from "../errors.js";
import { ensureDir, fsyncDir, writeFileAtomic } from "./fs-atomic.js";
import { attempt, fsError } from "./fs-errors.js";

export interface CaCrlState {
  /** Last cRLNumber used (decimal text: a bigint). */
  number: string;
  /** File in crl.d holding the current CRL, e.g. "8f0454dd.r3". */
  file: string;
  thisUpdate: string;
  nextUpdate: string;
  entries: number;
}

export interface CrlState {
  format: 1;
  cas: Record<string, CaCrlState>;
}

export function crlPaths(dir: string) {
  return {
    stateDir: join(dir, "crl"),
    state: join(dir, "crl", "state.json"),
    crlFile: join(dir, "crl.pem"),
    hashDir: join(dir, "crl.d"),
  };
}

export function readCrlState(dir: string): CrlState {
  const p = crlPaths(dir).state;
  if (!existsSync(p)) return { format: 1, cas: {} };
  try {
    return JSON.parse(readFileSync(p, "utf8")) as CrlState;
  } catch (cause) {
    throw new InputError("CA_CORRUPT", `the CRL state ${p} is not readable JSON`, {
      cause,
      hint: "restore it from a backup; cRLNumbers must keep increasing",
    });
  }
}

export function writeCrlState(dir: string, state: CrlState): void {
  ensureDir(crlPaths(dir).stateDir);
  writeFileAtomic(crlPaths(dir).state, `${JSON.stringify(state, null, 2)}\n`, 0o644);
}

export function listHashDir(dir: string): string[] {
  const d = crlPaths(dir).hashDir;
  return existsSync(d) ? attempt("read", d, () => readdirSync(d)) : [];
}

export function readHashDirFile(dir: string, name: string): Buffer {
  const p = join(crlPaths(dir).hashDir, name);
  return attempt("read", p, () => readFileSync(p));
}

/** Applies a hashed-directory plan: new files atomically, unchanged files left alone, then removals. */
export function applyHashDir(dir: string, plan: HashDirPlan): { written: string[]; removed: string[] } {
  const d = crlPaths(dir).hashDir;
  ensureDir(d, 0o755);
  const written: string[] = [];
  for (const f of plan.write) {
    const p = join(d, f.path);
    const want = typeof f.contents === "string" ? Buffer.from(f.contents) : f.contents;
    if (existsSync(p) && readFileSync(p).equals(want)) continue;
    writeFileAtomic(p, f.contents, f.mode, true);
    written.push(f.path);
  }
  for (const name of plan.remove)
    attempt("remove", join(d, name), () => rmSync(join(d, name), { force: true }));
  if (plan.remove.length) fsyncDir(d);
  return { written, removed: plan.remove };
}

export function writeCrlFile(dir: string, pem: Buffer): void {
  writeFileAtomic(crlPaths(dir).crlFile, pem, 0o644);
}

/** Streams index.log in 4 MiB chunks into the revoked-certificate scanner (linear, bounded memory). */
export function scanRevoked(indexPath: string): Map<string, RevokedList> {
  const scanner = new RevokedScanner();
  let fd: number;
  try {
    fd = openSync(indexPath, "r");
  } catch (e) {
    throw fsError(e, "read", indexPath);
  }
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      scanner.push(buf.subarray(0, n));
    }
    return scanner.finish();
  } catch (e) {
    if (!(e instanceof IndexScanError)) throw fsError(e, "read", indexPath);
    throw new InputError(
      "INDEX_CORRUPT",
      `the index ${indexPath} is damaged at line ${e.lineNo}: ${e.message}`,
      {
        hint: "restore the index from a backup; repl-pki never rewrites a damaged index by itself",
      },
    );
  } finally {
    closeSync(fd);
  }
}
