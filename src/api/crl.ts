// `repl-pki crl`: one CRL per CA in the chain (root included, even with nothing revoked: mysqld sets
// X509_V_FLAG_CRL_CHECK_ALL, so every CA needs a current CRL, spec §1), written as crl.pem and crl.d/.

import type { KeyObject } from "node:crypto";
import { buildCrl } from "../core/crl/build-crl.js";
import { checkCrl } from "../core/crl/check-crl.js";
import { planHashDir } from "../core/crl/hash-dir.js";
import { parseCrlDer } from "../core/crl/parse-crl.js";
import type { CoreDeps } from "../core/deps.js";
import type { RevokedList } from "../core/index/revoked-list.js";
import { addMs, DAY_MS, formatTime, NOT_BEFORE_BACKDATE_MS } from "../core/time.js";
import { opensslNameHash } from "../core/x509/name-hash.js";
import { pemDecodeAll, pemEncodeBuffer } from "../core/x509/pem.js";
import { signerFor } from "../crypto/keys.js";
import { InputError } from "../errors.js";
import { type CaCertificate, type LoadedCa, loadCa, loadCaKey } from "../store/ca-store.js";
import {
  applyHashDir,
  type CrlState,
  crlPaths,
  listHashDir,
  readCrlState,
  readHashDirFile,
  scanRevoked,
  writeCrlFile,
  writeCrlState,
} from "../store/crl-store.js";
import { withLock } from "../store/lock.js";

export const DEFAULT_CRL_DAYS = 30;

export interface CrlOptions {
  dir: string;
  /** CRL lifetime (nextUpdate - now), default 30 days. */
  days?: number;
  /** Only regenerate CRLs whose remaining life is inside `withinMs` (default: a third of their lifetime). */
  ifDue?: boolean;
  withinMs?: number;
  /** Start every CA's CRL generations afresh at .r0 in crl.d (servers must reload TLS afterwards). */
  prune?: boolean;
  /**
   * Regenerate only these CAs' CRLs ("root", "intermediate"), plus any CA whose CRL is missing or
   * expired. `revoke` uses it so that revoking a leaf needs only its issuer's key: the root key may
   * live offline.
   */
  only?: string[];
}

export interface CaCrlReport {
  ca: string;
  issuer: string;
  action: "written" | "current";
  number: string;
  thisUpdate: string;
  nextUpdate: string;
  entries: number;
  hashFile: string;
}

export interface CrlResult {
  crls: CaCrlReport[];
  crlFile: string;
  hashDir: string;
  written: boolean;
  pruned: boolean;
  removed: string[];
}

interface ChainCa {
  name: string;
  cert: CaCertificate;
  keyPath: string;
}

function chainCas(ca: LoadedCa): ChainCa[] {
  const out: ChainCa[] = [{ name: "root", cert: ca.root, keyPath: ca.layout.rootKey }];
  if (ca.intermediate)
    out.push({ name: "intermediate", cert: ca.intermediate, keyPath: ca.layout.intermediateKey });
  return out;
}

function isDue(state: CrlState, ca: string, now: Date, withinMs: number | undefined): boolean {
  const s = state.cas[ca];
  // No CRL yet (also: numbers reserved by a run that then failed, which leaves empty dates).
  if (!s?.file) return true;
  const next = Date.parse(s.nextUpdate);
  const window = withinMs ?? (next - Date.parse(s.thisUpdate)) / 3;
  return !(next - now.getTime() > window); // NaN dates: due
}

/**
 * thisUpdate of a new CRL: backdated (a peer with a slow clock must not see "CRL is not yet valid"),
 * but strictly after the previous CRL's. OpenSSL keeps the first of several CRLs with equal
 * lastUpdate (x509_vfy.c get_crl_sk), so in crl.d an older .rN with the same second would win over
 * the new one and a revocation made in the same second would not be enforced.
 */
function nextThisUpdate(prev: string | undefined, now: Date): Date {
  const backdated = addMs(now, -NOT_BEFORE_BACKDATE_MS);
  const after = prev ? Date.parse(prev) + 1000 : Number.NaN;
  return after > backdated.getTime() && after <= now.getTime() ? new Date(after) : backdated;
}

/** Builds, signs and checks one CA's CRL (checkCrl refuses one that is not current or does not verify). */
function signCaCrl(
  c: ChainCa,
  key: KeyObject,
  revoked: RevokedList | undefined,
  number: bigint,
  thisUpdate: Date,
  now: Date,
  days: number,
): Buffer {
  const nextUpdate = addMs(now, days * DAY_MS);
  const der = buildCrl(
    {
      issuer: c.cert.parsed.subject,
      authorityKeyId: c.cert.parsed.subjectKeyId ?? Buffer.alloc(0),
      crlNumber: number,
      thisUpdate,
      nextUpdate,
      entries: revoked ? revoked.view() : [],
    },
    signerFor(key),
  );
  checkCrl(der, c.cert.parsed, c.name, now);
  return der;
}

/** Regenerates the due CRLs. Call with the CA lock held (revoke does, inside its own lock). */
export function refreshCrlsLocked(ca: LoadedCa, opts: CrlOptions, deps: CoreDeps): CrlResult {
  const now = deps.clock();
  const days = opts.days ?? DEFAULT_CRL_DAYS;
  const state = readCrlState(opts.dir);
  const cas = chainCas(ca);
  // A CA whose current CRL is gone from crl.d (removed by hand, or by an older --prune) is always
  // regenerated: crl.pem could not be assembled without it.
  const inHashDir = new Set(listHashDir(opts.dir));
  const due = cas.filter((c) => {
    if (opts.prune || !inHashDir.has(state.cas[c.name]?.file ?? "")) return true;
    if (opts.only) return opts.only.includes(c.name) || isDue(state, c.name, now, 0);
    return !opts.ifDue || isDue(state, c.name, now, opts.withinMs);
  });
  const paths = crlPaths(opts.dir);
  const base = { crlFile: paths.crlFile, hashDir: paths.hashDir, pruned: Boolean(opts.prune) };
  if (due.length === 0)
    return { ...base, crls: cas.map((c) => report(c, state, "current")), written: false, removed: [] };

  // Everything that can fail on bad input (a damaged index, a missing or wrong CA key) before the
  // reservation below, so such a failure writes nothing.
  const revoked = scanRevoked(ca.layout.index);
  // Revocations are never removed, so a CA's CRL never shrinks. Fewer entries than the last CRL means
  // the index lost lines (truncated, restored from an old backup): never publish that un-revocation.
  for (const c of due) {
    const before = state.cas[c.name]?.entries ?? 0;
    const now_ = revoked.get(c.name)?.count ?? 0;
    if (now_ < before) {
      throw new InputError(
        "INDEX_CORRUPT",
        `the index lists ${now_} revocations by the ${c.name} CA, but its last CRL listed ${before}`,
        {
          hint: "index.log lost revocation lines (truncated or restored from an old backup): restore it; no CRL was written",
        },
      );
    }
  }
  const keys = new Map(due.map((c) => [c.name, loadCaKey(c.keyPath, c.cert)]));
  const thisUpdates = new Map(due.map((c) => [c.name, nextThisUpdate(state.cas[c.name]?.thisUpdate, now)]));

  // Reserve the cRLNumbers first: a crash after this point skips numbers but never repeats one.
  const numbers = new Map(due.map((c) => [c.name, BigInt(state.cas[c.name]?.number ?? "0") + 1n]));
  for (const c of due) {
    const prev = state.cas[c.name];
    state.cas[c.name] = {
      ...(prev ?? { file: "", thisUpdate: "", nextUpdate: "", entries: 0 }),
      number: String(numbers.get(c.name)),
    };
  }
  writeCrlState(opts.dir, state);

  const fresh = due.map((c) => {
    const der = signCaCrl(
      c,
      keys.get(c.name)!,
      revoked.get(c.name),
      numbers.get(c.name)!,
      thisUpdates.get(c.name)!,
      now,
      days,
    );
    return { c, der, pem: pemEncodeBuffer("X509 CRL", der), hash: opensslNameHash(c.cert.parsed.subject) };
  });
  const plan = planHashDir({
    existing: listHashDir(opts.dir),
    caCerts: cas.map((c) => ({ hash: opensslNameHash(c.cert.parsed.subject), pem: c.cert.pem })),
    crls: fresh.map((f) => ({ hash: f.hash, pem: f.pem })),
    prune: Boolean(opts.prune),
  });
  const { removed } = applyHashDir(opts.dir, plan);
  for (const f of fresh) {
    const file = plan.write.find((w) => w.contents === f.pem)!.path;
    const p = parseCrlDer(f.der);
    state.cas[f.c.name] = {
      number: String(numbers.get(f.c.name)),
      file,
      thisUpdate: formatTime(p.thisUpdate),
      nextUpdate: formatTime(p.nextUpdate!),
      entries: p.entryCount,
    };
  }
  // crl.pem: every CA's current CRL, no certificates (any certificate in an ssl_crl file becomes a
  // trust anchor: X509_load_cert_crl_file, spec §1)
  const pems = cas.map((c) => fresh.find((f) => f.c === c)?.pem ?? currentPem(opts.dir, state, c.name));
  writeCrlFile(opts.dir, pems.length === 1 ? pems[0]! : Buffer.concat(pems));
  writeCrlState(opts.dir, state);
  return {
    ...base,
    crls: cas.map((c) => report(c, state, fresh.some((f) => f.c === c) ? "written" : "current")),
    written: true,
    removed,
  };
}

function currentPem(dir: string, state: CrlState, ca: string): Buffer {
  const file = state.cas[ca]?.file;
  const pem = file ? readHashDirFile(dir, file) : Buffer.alloc(0);
  if (!pemDecodeAll(pem.toString("latin1")).some((b) => b.label === "X509 CRL")) {
    throw new InputError("CA_CORRUPT", `the current CRL of the ${ca} CA (crl.d/${file}) is missing`, {
      hint: "run repl-pki crl (without --if-due) to regenerate every CRL",
    });
  }
  return pem;
}

function report(c: ChainCa, state: CrlState, action: CaCrlReport["action"]): CaCrlReport {
  const s = state.cas[c.name];
  return {
    ca: c.name,
    issuer: `CN=${c.cert.commonName}`,
    action,
    number: s?.number ?? "",
    thisUpdate: s?.thisUpdate ?? "",
    nextUpdate: s?.nextUpdate ?? "",
    entries: s?.entries ?? 0,
    hashFile: s?.file ?? "",
  };
}

/**
 * @example
 * refreshCrls({ dir: "./pki", ifDue: true }, systemDeps()); // from cron
 */
export function refreshCrls(opts: CrlOptions, deps: CoreDeps): CrlResult {
  const ca = loadCa(opts.dir);
  return withLock(opts.dir, () => refreshCrlsLocked(ca, opts, deps));
}

export { formatTime };
