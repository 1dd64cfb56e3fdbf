// `repl-pki doctor`: reads the CA directory (CA certificates, the index, every issued certificate,
// crl.pem or crl/state.json) and runs the health rules of core/verify/doctor-rules.ts over it.
import type { ParsedCrl } from "../core/crl/parse-crl.js";
import type { IndexEntry } from "../core/index/records.js";
import { formatSerial } from "../core/serial.js";
import { formatTime } from "../core/time.js";
import {
  type DoctorCrl,
  type DoctorInput,
  type DoctorLeaf,
  diagnose,
  type Finding,
  type Severity,
} from "../core/verify/doctor-rules.js";
import { verifySignedDer } from "../crypto/verify-signature.js";
import { ReplPkiError } from "../errors.js";
import { type LoadedCa, loadCa } from "../store/ca-store.js";
import { crlPaths, readCrlState } from "../store/crl-store.js";
import { fileExists, fileMode } from "../store/files.js";
import { readJournal } from "../store/journal.js";
import { readPkiFile } from "../store/pki-files.js";

export interface DoctorOptions {
  dir: string;
  now: Date;
}

export interface DoctorReport {
  dir: string;
  at: string;
  findings: Finding[];
  summary: Record<Severity, number>;
}

const LEAF_ROLES = new Set(["server", "replica", "relay"]);

function readLeaf(ca: LoadedCa, name: string, serial: string): Pick<DoctorLeaf, "cert" | "problem"> {
  const path = ca.layout.cert(name);
  try {
    const cert = readPkiFile(path, "certificate").certs[0]!;
    if (formatSerial(cert.serial) === serial) return { cert, problem: undefined };
    return {
      cert: undefined,
      problem: `${path} does not hold serial ${serial} recorded in the index (replaced outside repl-pki)`,
    };
  } catch (e) {
    if (!(e instanceof ReplPkiError)) throw e;
    return { cert: undefined, problem: e.message };
  }
}

function currentCrls(ca: LoadedCa, dir: string): { crls: DoctorCrl[]; problems: string[] } {
  const cas = [
    { name: "root", cert: ca.root },
    ...(ca.intermediate ? [{ name: "intermediate", cert: ca.intermediate }] : []),
  ];
  const file = crlPaths(dir).crlFile;
  if (fileExists(file)) {
    let list: ParsedCrl[];
    try {
      list = readPkiFile(file, "crl").crls;
    } catch (e) {
      if (!(e instanceof ReplPkiError)) throw e;
      return { crls: [], problems: [e.message] };
    }
    const crls: DoctorCrl[] = [];
    for (const c of cas) {
      const mine = list.filter((l) => l.issuer.equals(c.cert.parsed.subject));
      const best = mine.sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
      if (!best) continue;
      crls.push({
        ca: c.name,
        thisUpdate: best.thisUpdate,
        nextUpdate: best.nextUpdate,
        signatureOk: verifySignedDer(best.tbs, best.signatureAlgorithm, best.signature, c.cert.parsed.spki),
        source: "crl.pem",
      });
    }
    return { crls, problems: [] };
  }
  const state = readCrlState(dir);
  const crls: DoctorCrl[] = [];
  for (const c of cas) {
    const s = state.cas[c.name];
    if (!s?.file) continue;
    crls.push({
      ca: c.name,
      thisUpdate: new Date(s.thisUpdate),
      nextUpdate: new Date(s.nextUpdate),
      signatureOk: null,
      source: "crl/state.json",
    });
  }
  const problems =
    crls.length > 0 ? [`${file} is missing but crl/state.json records CRLs: run repl-pki crl`] : [];
  return { crls, problems };
}

/**
 * @example
 * const r = doctor({ dir: "./pki", now: new Date() });
 * if (r.summary.critical > 0) process.exitCode = 1;
 */
/** A revoked intermediate fails every chain through it (error 23 at depth 1) and must not sign again. */
function revokedCaFindings(entries: IndexEntry[]): Finding[] {
  const revokedCas = new Set(
    entries.filter((e) => e.role === "intermediate-ca" && e.status === "R").map((e) => e.name),
  );
  if (revokedCas.size === 0) return [];
  const out: Finding[] = [...revokedCas].map((name) => ({
    severity: "critical" as const,
    item: `CA ${name}`,
    check: "revocation",
    detail:
      "revoked: every certificate it issued is refused (OpenSSL error 23 at depth 1); issue replacements from a new CA",
  }));
  for (const e of entries) {
    if (LEAF_ROLES.has(e.role) && e.status === "V" && revokedCas.has(e.issuer)) {
      out.push({
        severity: "critical",
        item: `cert ${e.name}`,
        check: "issuer",
        detail: `issued by the revoked ${e.issuer} CA`,
      });
    }
  }
  return out;
}

/** Private keys readable by group or others (they must be 0600). */
function keyModeFindings(ca: LoadedCa, entries: IndexEntry[]): Finding[] {
  const keys: Array<[string, string]> = [
    ["CA root", ca.layout.rootKey],
    ...(ca.intermediate ? [["CA intermediate", ca.layout.intermediateKey] as [string, string]] : []),
    ...entries
      .filter((e) => LEAF_ROLES.has(e.role) && e.status === "V")
      .map((e) => [`cert ${e.name}`, ca.layout.key(e.name)] as [string, string]),
  ];
  const out: Finding[] = [];
  for (const [item, path] of keys) {
    const mode = fileMode(path);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      out.push({
        severity: "critical",
        item,
        check: "key file",
        detail: `${path} is mode ${mode.toString(8).padStart(4, "0")}: chmod 600 it`,
      });
    }
  }
  return out;
}

export function doctor(opts: DoctorOptions): DoctorReport {
  const ca = loadCa(opts.dir);
  const now = formatTime(opts.now);
  const leaves: DoctorLeaf[] = [];
  const revokedLive: string[] = [];
  const entries = [...readJournal(ca.layout.index).entries.values()];
  for (const e of entries) {
    if (!LEAF_ROLES.has(e.role)) continue;
    if (e.status === "R") {
      if (e.notAfter > now) revokedLive.push(e.name);
      continue;
    }
    leaves.push({ name: e.name, role: e.role as DoctorLeaf["role"], ...readLeaf(ca, e.name, e.serial) });
  }
  const { crls, problems } = currentCrls(ca, opts.dir);
  const input: DoctorInput = {
    now: opts.now,
    cas: [
      { name: "root", cert: ca.root.parsed },
      ...(ca.intermediate ? [{ name: "intermediate", cert: ca.intermediate.parsed }] : []),
    ],
    leaves,
    revokedLive,
    crls,
    crlProblems: problems,
  };
  const findings = [...diagnose(input), ...revokedCaFindings(entries), ...keyModeFindings(ca, entries)];
  const summary: Record<Severity, number> = { ok: 0, warning: 0, critical: 0 };
  for (const f of findings) summary[f.severity]++;
  return { dir: opts.dir, at: now, findings, summary };
}
