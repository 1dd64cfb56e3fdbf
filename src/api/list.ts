// `repl-pki list`: every certificate in the index.
import type { IndexEntry } from "../core/index/records.js";
import { formatTime } from "../core/time.js";
import { loadCa } from "../store/ca-store.js";
import { readJournal } from "../store/journal.js";

export type ListedCertificate = Omit<IndexEntry, "status"> & { status: "valid" | "revoked" | "expired" };

export function listCertificates(opts: { dir: string; now: Date }): ListedCertificate[] {
  const ca = loadCa(opts.dir);
  const out: ListedCertificate[] = [];
  const now = formatTime(opts.now);
  for (const e of readJournal(ca.layout.index).entries.values()) {
    // ISO 8601 UTC strings of equal form compare correctly as text
    const status = e.status === "R" ? "revoked" : e.notAfter < now ? "expired" : "valid";
    out.push({ ...e, status });
  }
  return out;
}
