// `repl-pki up TOPOLOGY`: make the CA, its certificates, CRLs and every server's bundle match the
// topology. Idempotent: what is current is kept, and a second run with no change writes nothing.
import {
  type CertAction,
  certificateNeeds,
  planCertificates,
  prospectiveCertificate,
} from "../core/bundle/certs.js";
import type { EdgeReport } from "../core/bundle/identity.js";
import { type BundleTarget, bundleTargets, certNamesOf } from "../core/bundle/targets.js";
import type { Topology } from "../core/bundle/topology.js";
import type { CoreDeps } from "../core/deps.js";
import type { IndexEntry } from "../core/index/records.js";
import { DAY_MS } from "../core/time.js";
import { readLeaf } from "../store/bundle-dir.js";
import { caExists, type LoadedCa, loadCa } from "../store/ca-store.js";
import { readCrlState } from "../store/crl-store.js";
import { readJournal } from "../store/journal.js";
import { type BundleReport, chainOf, checkTargetEdges, crlRefreshWindowMs, writeBundles } from "./bundle.js";
import { type CrlResult, refreshCrls } from "./crl.js";
import { initCa } from "./init-ca.js";
import { issue } from "./issue.js";

export interface UpOptions {
  /** CA directory (created from the topology's ca settings when it holds no CA). */
  dir: string;
  topology: Topology;
  /** Bundles go to out/<server>/. */
  out: string;
  dryRun?: boolean;
  /** Regenerate CRLs that are due (default true). */
  crlRefresh?: boolean;
}

export interface CertReport {
  server: string;
  kind: "server" | "client";
  role: string;
  name: string;
  action: CertAction["action"];
  reason: string;
  serial: string;
  notAfter: string;
}

export interface UpResult {
  dryRun: boolean;
  caCreated: boolean;
  certificates: CertReport[];
  /** Certificates replaced by a reissue: revoke them (reason superseded) once every server has its new bundle. */
  superseded: { name: string; serial: string }[];
  crl: { action: "written" | "current" | "due" | "not refreshed"; report?: CrlResult };
  crlNextUpdate: string;
  edges: EdgeReport[];
  bundles: BundleReport[];
  /** Dry run: servers whose bundles wait for certificates or CRLs not made yet. */
  pending: string[];
  changed: boolean;
}

function crlDue(dir: string, ca: LoadedCa, now: Date, windowMs: number): boolean {
  const state = readCrlState(dir);
  return chainOf(ca).some((c) => {
    const s = state.cas[c.name];
    return !s || Date.parse(s.nextUpdate) - now.getTime() <= windowMs;
  });
}

/** Servers whose bundle depends on a certificate that is not current yet. */
function pendingServers(targets: BundleTarget[], actions: CertAction[]): Set<string> {
  const changing = actions.filter((a) => a.action !== "keep");
  const own = new Set(changing.map((a) => a.need.server));
  // a source's bundle holds its replicas' channel certificates only as REQUIRE strings
  const channel = new Set(
    changing.filter((a) => a.need.kind === "client" || a.need.role === "relay").map((a) => a.need.server),
  );
  return new Set(
    targets
      .filter((t) => own.has(t.server.name) || t.replicas.some((r) => channel.has(r.name)))
      .map((t) => t.server.name),
  );
}

/**
 * @example
 * up({ dir: "./pki", topology: loadTopology("topology.json"), out: "./bundles" }, systemDeps());
 */
export function up(opts: UpOptions, deps: CoreDeps): UpResult {
  const t = opts.topology;
  const now = deps.clock();
  const dryRun = Boolean(opts.dryRun);
  const hasCa = caExists(opts.dir);
  let ca = hasCa ? loadCa(opts.dir) : undefined;
  const entries: IndexEntry[] = ca ? [...readJournal(ca.layout.index).entries.values()] : [];
  const actions = planCertificates(certificateNeeds(t), entries, now, t.ca.renewBeforeDays * DAY_MS);
  const targets = bundleTargets(t);

  // Identity pre-check of every edge before anything is issued or written (prospective certificates
  // stand in for the ones about to be issued).
  const serverCert = new Map(actions.filter((a) => a.need.kind === "server").map((a) => [a.need.server, a]));
  const edges = checkTargetEdges(targets, (s) => {
    const a = serverCert.get(s);
    if (!a) return undefined;
    const cert = a.action === "keep" && ca ? readLeaf(ca, a.name).parsed : prospectiveCertificate(a.need);
    return { name: a.name, cert };
  });

  let caCreated = false;
  if (!ca && !dryRun) {
    initCa({ dir: opts.dir, cn: t.ca.cn, keyType: t.ca.keyType, intermediate: t.ca.intermediate }, deps);
    ca = loadCa(opts.dir);
    caCreated = true;
  }
  const issued = new Map<string, IndexEntry>();
  if (!dryRun) {
    for (const a of actions.filter((x) => x.action !== "keep")) {
      const r = issue(
        { dir: opts.dir, name: a.name, role: a.need.role, hosts: a.need.hosts, days: t.ca.leafDays },
        deps,
      );
      issued.set(a.name, r.entry);
    }
  }
  const certificates = actions.map((a): CertReport => {
    const e = a.action === "keep" ? a.entry : issued.get(a.name);
    return {
      server: a.need.server,
      kind: a.need.kind,
      role: a.need.role,
      name: a.name,
      action: a.action,
      reason: a.reason,
      serial: e?.serial ?? "",
      notAfter: e?.notAfter ?? "",
    };
  });
  const superseded = actions
    .filter((a) => a.action === "reissue" && a.entry && a.entry.status !== "R")
    .map((a) => ({ name: a.entry!.name, serial: a.entry!.serial }));

  const window = crlRefreshWindowMs(t.ca.crlDays, t.ca.crlSafetyDays);
  let crl: UpResult["crl"] = { action: "not refreshed" };
  if (opts.crlRefresh !== false && ca) {
    if (dryRun) crl = { action: crlDue(opts.dir, ca, now, window) ? "due" : "current" };
    else {
      const report = refreshCrls({ dir: opts.dir, ifDue: true, days: t.ca.crlDays, withinMs: window }, deps);
      crl = { action: report.written ? "written" : "current", report };
    }
  }

  const pending =
    !ca || crl.action === "due"
      ? new Set(targets.map((x) => x.server.name))
      : dryRun
        ? pendingServers(targets, actions)
        : new Set<string>();
  const ready = targets.filter((x) => !pending.has(x.server.name));
  const written =
    ca && ready.length > 0
      ? writeBundles({
          ca,
          dir: opts.dir,
          out: opts.out,
          targets: ready,
          certs: certNamesOf(actions),
          now,
          crlSafetyDays: t.ca.crlSafetyDays,
          dryRun,
          checkEdges: !dryRun,
        })
      : { bundles: [], edges: [], crlNextUpdate: "" };
  const changed =
    caCreated ||
    issued.size > 0 ||
    crl.action === "written" ||
    pending.size > 0 ||
    actions.some((a) => a.action !== "keep") ||
    written.bundles.some((b) => b.written.length + b.removed.length > 0);
  return {
    dryRun,
    caCreated: caCreated || (!ca && dryRun),
    certificates,
    superseded,
    crl,
    crlNextUpdate: written.crlNextUpdate,
    edges: written.edges.length > 0 ? written.edges : edges,
    bundles: written.bundles,
    pending: [...pending],
    changed,
  };
}
