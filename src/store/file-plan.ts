// Writes a FilePlan: directories 0700, keys 0600, every file replaced atomically.
import { dirname, join } from "node:path";
import type { FilePlan } from "../core/file-plan.js";
import { ensureDir, writeFileAtomic } from "./fs-atomic.js";

export function materialize(baseDir: string, plan: FilePlan, opts: { sync?: boolean } = {}): string[] {
  const written: string[] = [];
  for (const f of plan) {
    const path = join(baseDir, ...f.path.split("/"));
    ensureDir(dirname(path));
    writeFileAtomic(path, f.contents, f.mode, opts.sync ?? true);
    written.push(path);
  }
  return written;
}
