// `repl-pki list`: every certificate in the index.
import type { FieldName } from "../core/index/index-view.js";
import type { IndexEntry } from "../core/index/records.js";
import { formatTime } from "../core/time.js";
import { loadCa } from "../store/ca-store.js";
import { readIndexView } from "../store/journal.js";

export type ListedCertificate = Omit<IndexEntry, "status"> & { status: "valid" | "revoked" | "expired" };

export interface Listing {
  count: number;
  /** One field of certificate i as text; "status" is valid / revoked / expired at the listing's time. */
  cell(i: number, field: FieldName): string;
  row(i: number): ListedCertificate;
}

/** A listing that materialises rows only on demand (the text table prints 100,000 rows from it). */
export function openListing(opts: { dir: string; now: Date }): Listing {
  const view = readIndexView(loadCa(opts.dir).layout.index);
  const now = formatTime(opts.now);
  // ISO 8601 UTC strings of one form compare correctly as text
  const status = (i: number) =>
    view.field(i, "status") === "R" ? "revoked" : view.field(i, "notAfter") < now ? "expired" : "valid";
  return {
    count: view.count,
    cell: (i, field) => (field === "status" ? status(i) : view.field(i, field)),
    row: (i) => ({ ...view.entry(i), status: status(i) }),
  };
}

export function listCertificates(opts: { dir: string; now: Date }): ListedCertificate[] {
  const l = openListing(opts);
  return Array.from({ length: l.count }, (_, i) => l.row(i));
}
