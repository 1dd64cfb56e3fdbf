// Finding one certificate in the index by NAME or by serial (the selector every command shares).
import type { IndexEntry } from "../core/index/records.js";
import { InputError } from "../errors.js";

export interface CertificateSelector {
  name?: string | undefined;
  /** Canonical serial (formatSerial). */
  serial?: string | undefined;
}

export const describeSelector = (sel: CertificateSelector): string =>
  sel.serial !== undefined ? `with serial ${sel.serial}` : `named "${sel.name}"`;

export function findCertificate(entries: Map<string, IndexEntry>, sel: CertificateSelector): IndexEntry {
  let entry: IndexEntry | undefined;
  if (sel.serial !== undefined) entry = entries.get(sel.serial);
  else for (const e of entries.values()) if (e.name === sel.name) entry = e;
  if (!entry) {
    throw new InputError("UNKNOWN_CERTIFICATE", `no certificate ${describeSelector(sel)} in this CA`, {
      hint: "repl-pki list shows every certificate with its NAME and serial",
    });
  }
  return entry;
}
