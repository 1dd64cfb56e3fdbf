// Per-server views of a topology: what each server's bundle is made of, and which certificate NAMEs
// play which part.
import type { CertAction } from "./certs.js";
import type { Topology, TopologyServer } from "./topology.js";

/** One server with the servers it replicates from and to. */
export interface BundleTarget {
  server: TopologyServer;
  source?: TopologyServer;
  replicas: TopologyServer[];
  /** Label of the source's version for replica.sql ("" when unknown; default: from the topology). */
  sourceLabel?: string;
}

export function bundleTargets(t: Topology): BundleTarget[] {
  const byName = new Map(t.servers.map((s) => [s.name, s]));
  return t.servers.map((server) => ({
    server,
    source: server.follows === undefined ? undefined : byName.get(server.follows),
    replicas: t.servers.filter((r) => r.follows === server.name),
  }));
}

/** Certificate NAMEs per server: own = its ssl_cert, channel = its MASTER_SSL_CERT. */
export type CertNames = Map<string, { own?: string; channel?: string }>;

export function certNamesOf(actions: CertAction[]): CertNames {
  const out: CertNames = new Map();
  for (const a of actions) {
    const e = out.get(a.need.server) ?? {};
    if (a.need.kind === "client") e.channel = a.name;
    else {
      e.own = a.name;
      if (a.need.role === "relay") e.channel = a.name;
    }
    out.set(a.need.server, e);
  }
  return out;
}
