// Writing server bundles (issue 6): `writeBundles` is shared by `up` (a whole topology) and `bundle` (one
// server, described by flags). Every bundle passes the identity pre-check of each replication edge and the
// CRL safety gate before anything is written.
import { join } from "node:path";
import { type ChainCa, checkBundleCrls } from "../core/bundle/crl-check.js";
import { checkEdges, type Edge, type EdgeReport } from "../core/bundle/identity.js";
import { BUNDLE_FILES, buildBundleModel, type CertInfo, type ServerCerts } from "../core/bundle/model.js";
import { planServerBundle } from "../core/bundle/plan.js";
import { planSingleBundle, type SingleBundleRequest } from "../core/bundle/single.js";
import type { BundleTarget, CertNames } from "../core/bundle/targets.js";
import { DEFAULT_CRL_SAFETY_DAYS } from "../core/bundle/topology.js";
import type { CoreDeps } from "../core/deps.js";
import { DAY_MS } from "../core/time.js";
import {
  type LeafMaterial,
  readCaCrls,
  readChainPem,
  readLeaf,
  readTextIfExists,
  type SyncResult,
  syncBundleDir,
} from "../store/bundle-dir.js";
import { type LoadedCa, loadCa } from "../store/ca-store.js";
import { readJournal } from "../store/journal.js";
import { type CrlResult, DEFAULT_CRL_DAYS, refreshCrls } from "./crl.js";

export interface WriteBundlesInput {
  ca: LoadedCa;
  /** CA directory. */
  dir: string;
  /** Bundles go to out/<server name>/. */
  out: string;
  targets: BundleTarget[];
  certs: CertNames;
  now: Date;
  crlSafetyDays: number;
  dryRun?: boolean;
  /** false: the caller already checked every edge (up --dry-run, before certificates exist). */
  checkEdges?: boolean;
}

export interface BundleReport extends SyncResult {
  server: string;
}

export interface WriteBundlesResult {
  bundles: BundleReport[];
  edges: EdgeReport[];
  crlNextUpdate: string;
}

export function chainOf(ca: LoadedCa): ChainCa[] {
  return [
    { name: "root", cert: ca.root.parsed },
    ...(ca.intermediate ? [{ name: "intermediate", cert: ca.intermediate.parsed }] : []),
  ];
}

/** Identity pre-check of every edge among `targets`, against the source certificates given. */
export function checkTargetEdges(
  targets: BundleTarget[],
  sourceCert: (server: string) => { name: string; cert: Edge["cert"] } | undefined,
): EdgeReport[] {
  const edges: Edge[] = [];
  for (const t of targets) {
    if (!t.source) continue;
    const c = sourceCert(t.source.name);
    if (!c) continue;
    edges.push({
      replica: t.server.name,
      replicaVersion: t.server.version,
      source: t.source.name,
      host: t.server.sourceHost ?? t.source.hosts[0] ?? "",
      cert: c.cert,
      certName: c.name,
    });
  }
  return checkEdges(edges);
}

/**
 * @example
 * writeBundles({ ca, dir: "./pki", out: "./bundles", targets, certs, now: new Date(), crlSafetyDays: 7 });
 */
export function writeBundles(input: WriteBundlesInput): WriteBundlesResult {
  const { ca } = input;
  const leaves = new Map<string, LeafMaterial>();
  const leaf = (name: string) => {
    const l = leaves.get(name) ?? readLeaf(ca, name);
    leaves.set(name, l);
    return l;
  };
  const info = (name: string | undefined): CertInfo | undefined => {
    if (name === undefined) return undefined;
    const l = leaf(name);
    return {
      name,
      serial: l.serial,
      notAfter: l.notAfter,
      subject: l.parsed.subject,
      issuer: l.parsed.issuer,
    };
  };
  const infos = new Map<string, ServerCerts>();
  const bundled = new Set(input.targets.map((t) => t.server.name));
  const certsOf = (server: string): ServerCerts => {
    const known = infos.get(server);
    if (known) return known;
    const n = input.certs.get(server) ?? {};
    // a server outside `targets` only appears as a replica: its channel certificate is all that is read
    const own = bundled.has(server) ? info(n.own) : undefined;
    const made = { own, channel: n.channel === n.own && own ? own : info(n.channel) };
    infos.set(server, made);
    return made;
  };

  const edges =
    input.checkEdges === false
      ? []
      : checkTargetEdges(input.targets, (s) => {
          const own = input.certs.get(s)?.own;
          return own === undefined ? undefined : { name: own, cert: leaf(own).parsed };
        });

  const crls = readCaCrls(input.dir);
  const chain = chainOf(ca);
  const safetyMs = input.crlSafetyDays * DAY_MS;
  const forms = new Set(input.targets.map((t) => t.server.crl));
  const gates: string[] = [];
  if (forms.has("file") || forms.has("both")) {
    const pem = crls.crlPem ? [{ label: BUNDLE_FILES.crlFile, pem: crls.crlPem }] : [];
    gates.push(checkBundleCrls(BUNDLE_FILES.crlFile, pem, chain, input.now, safetyMs).nextUpdate);
  }
  if (forms.has("dir") || forms.has("both")) {
    const files = crls.crlDir
      .filter((f) => /\.r\d+$/.test(f.name))
      .map((f) => ({ label: `${BUNDLE_FILES.crlDir}/${f.name}`, pem: f.contents }));
    gates.push(checkBundleCrls(`${BUNDLE_FILES.crlDir}/`, files, chain, input.now, safetyMs).nextUpdate);
  }
  const crlNextUpdate = gates.filter(Boolean).sort()[0] ?? "";

  const caPem = readChainPem(ca);
  const intermediatePem = ca.intermediate?.pem ?? "";
  const bundles = input.targets.map((t): BundleReport => {
    const model = buildBundleModel({
      server: t.server,
      source: t.source,
      replicas: t.replicas,
      certs: certsOf,
      crlNextUpdate,
      crlSafetyDays: input.crlSafetyDays,
      sourceLabel: t.sourceLabel,
    });
    const names = input.certs.get(t.server.name) ?? {};
    const own = names.own === undefined ? undefined : leaf(names.own);
    const client =
      names.channel === undefined || names.channel === names.own ? undefined : leaf(names.channel);
    const dir = join(input.out, t.server.name);
    const plan = planServerBundle(
      model,
      {
        caPem,
        certPem: own && own.pem + intermediatePem,
        keyPem: own?.keyPem,
        clientCertPem: client && client.pem + intermediatePem,
        clientKeyPem: client?.keyPem,
        crlPem: crls.crlPem,
        crlDir: crls.crlDir,
      },
      readTextIfExists(join(dir, BUNDLE_FILES.myCnf)),
    );
    return { server: t.server.name, ...syncBundleDir(dir, plan, { dryRun: input.dryRun }) };
  });
  return { bundles, edges, crlNextUpdate };
}

/** CRLs are refreshed when due by the usual rule (a third of their life left) or inside the safety window. */
export const crlRefreshWindowMs = (crlDays: number, safetyDays: number): number =>
  Math.max(safetyDays * DAY_MS, (crlDays * DAY_MS) / 3);

export interface BundleOptions extends SingleBundleRequest {
  /** CA directory. */
  dir: string;
  /** The bundle goes to out/NAME/. */
  out: string;
  /** Regenerate due CRLs first (default true). */
  crlRefresh?: boolean;
  crlDays?: number;
  /** Refuse a CRL with fewer days left (default 7). */
  crlSafetyDays?: number;
  dryRun?: boolean;
}

export interface BundleResult {
  bundle: BundleReport;
  edges: EdgeReport[];
  crl: CrlResult | undefined;
  crlNextUpdate: string;
}

/**
 * @example
 * bundle({ dir: "./pki", out: "./bundles", name: "replica1", sourceHost: "source1.example.com" }, systemDeps());
 */
export function bundle(opts: BundleOptions, deps: CoreDeps): BundleResult {
  const ca = loadCa(opts.dir);
  const now = deps.clock();
  const { entries } = readJournal(ca.layout.index);
  const { target, certs } = planSingleBundle(opts, entries.values(), now, (n) => readLeaf(ca, n).parsed);
  const safety = opts.crlSafetyDays ?? DEFAULT_CRL_SAFETY_DAYS;
  const days = opts.crlDays ?? DEFAULT_CRL_DAYS;
  const crl =
    opts.crlRefresh === false || opts.dryRun
      ? undefined
      : refreshCrls({ dir: opts.dir, ifDue: true, days, withinMs: crlRefreshWindowMs(days, safety) }, deps);
  const r = writeBundles({
    ca,
    dir: opts.dir,
    out: opts.out,
    targets: [target],
    certs,
    now,
    crlSafetyDays: safety,
    dryRun: opts.dryRun,
  });
  return { bundle: r.bundles[0]!, edges: r.edges, crl, crlNextUpdate: r.crlNextUpdate };
}
