// Imports the certificates of an OpenSSL `ca` database (index.txt, as written by `openssl ca` and
// easy-rsa) into the repl-pki index, so their revocations appear in this CA's CRLs. The certificates
// themselves are not imported (the database holds none): they are listed under the name
// imported-<serial>. Format (openssl apps/ca.c, apps/lib/apps.c TXT_DB): one line per certificate,
// tab-separated: status V/R/E, expiry, revocation "date[,reason]", serial hex, file name, subject.
import { parseRevocationReason } from "../core/crl/build-crl.js";
import { encodeEntry, type IndexEntry } from "../core/index/records.js";
import { formatSerial, parseSerial } from "../core/serial.js";
import { formatTime } from "../core/time.js";
import { InputError } from "../errors.js";
import { loadCa } from "../store/ca-store.js";
import { readInputFile } from "../store/files.js";
import { appendRecords, readJournal } from "../store/journal.js";
import { withLock } from "../store/lock.js";

const OPENSSL_REASON_ALIASES: Record<string, IndexEntry["reason"] & string> = {
  keyTime: "keyCompromise",
  CAkeyTime: "caCompromise",
  holdInstruction: "certificateHold",
};

/** OpenSSL index times are UTCTime text YYMMDDHHMMSSZ (or GeneralizedTime with 4 year digits). */
function indexTime(text: string, lineNo: number): string {
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw bad(lineNo, `bad time "${text}"`);
  let y = Number(m[1]);
  if (m[1]!.length === 2) y += y >= 50 ? 1900 : 2000;
  return formatTime(
    new Date(Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))),
  );
}

const bad = (lineNo: number, why: string) =>
  new InputError("PEM_PARSE_FAILED", `line ${lineNo} of the OpenSSL index: ${why}`, {
    hint: "give an index.txt written by openssl ca or easy-rsa",
  });

export function parseOpensslIndex(text: string, issuer: string): IndexEntry[] {
  const out: IndexEntry[] = [];
  const seen = new Set<string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const f = line.split("\t");
    if (f.length < 6 || !/^[VRE]$/.test(f[0]!))
      throw bad(i + 1, "expected 6 tab-separated fields starting V, R or E");
    const [status, expiry, revocation, serialHex, , subject] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const serial = formatSerial(parseSerial(serialHex));
    if (seen.has(serial)) throw bad(i + 1, `serial ${serial} appears twice`);
    seen.add(serial);
    let revokedAt = "";
    let reason: IndexEntry["reason"] = "";
    if (status === "R") {
      const [date, why] = revocation.split(",");
      revokedAt = indexTime(date ?? "", i + 1);
      // openssl ca writes -crl_compromise / -crl_CA_compromise / -crl_hold as keyTime, CAkeyTime and
      // holdInstruction, each followed by a third field (apps/ca.c make_revocation_str)
      const parsed =
        why === undefined ? "unspecified" : (OPENSSL_REASON_ALIASES[why] ?? parseRevocationReason(why));
      if (!parsed) throw bad(i + 1, `unsupported revocation reason "${why}"`);
      reason = parsed;
    }
    const notAfter = indexTime(expiry, i + 1);
    out.push({
      serial,
      name: `imported-${serial.toLowerCase()}`,
      role: "imported",
      notBefore: "",
      notAfter,
      subject: subject.replace(/^\//, "").replace(/\//g, ","),
      sans: "",
      issuer,
      status: status === "R" ? "R" : "V",
      revokedAt,
      reason,
    });
  }
  return out;
}

/**
 * @example
 * importOpensslIndex({ dir: "./pki", file: "/etc/easy-rsa/pki/index.txt" });
 */
export function importOpensslIndex(opts: { dir: string; file: string }): {
  imported: number;
  revoked: number;
} {
  const ca = loadCa(opts.dir);
  const text = readInputFile(opts.file, "utf8");
  const entries = parseOpensslIndex(text, ca.intermediate ? "intermediate" : "root");
  return withLock(opts.dir, () => {
    const existing = readJournal(ca.layout.index).entries;
    for (const e of entries) {
      if (existing.has(e.serial)) {
        throw new InputError("NAME_ALREADY_ISSUED", `serial ${e.serial} is already in the index`, {
          hint: "each certificate can be imported once",
        });
      }
    }
    const CHUNK = 50_000;
    for (let i = 0; i < entries.length; i += CHUNK)
      appendRecords(ca.layout.index, entries.slice(i, i + CHUNK).map(encodeEntry));
    return { imported: entries.length, revoked: entries.filter((e) => e.status === "R").length };
  });
}
