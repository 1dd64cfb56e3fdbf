// `repl-pki bundle NAME`: one server's bundle without a topology file. The server is described by an
// issued certificate (its role says what the server is: server = source, replica = replica with only a
// channel certificate, relay = both with one certificate) and by flags; the source it follows and the
// replicas it serves are found among the CA's other valid certificates.
import { CheckFailure, InputError, UsageError } from "../../errors.js";
import { checkHostIdentity } from "../identity/check-host.js";
import type { IndexEntry } from "../index/records.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import type { BundleTarget, CertNames } from "./targets.js";
import {
  type CrlForm,
  DEFAULT_PORT,
  DEFAULT_SERVER,
  DEFAULT_TLS_DIR,
  defaultAccount,
  defaultPasswordEnv,
  TLS_DIR_RE,
  type TopologyRole,
  type TopologyServer,
} from "./topology.js";
import { formatServerVersion, parseServerVersion, type ServerVersion, serverProfile } from "./versions.js";

export interface SingleBundleRequest {
  name: string;
  /** "mariadb 10.11" (default), "mysql 8.0.36", … */
  server?: string;
  /** The port the replica dials (MASTER_PORT). */
  port?: number;
  sourceHost?: string;
  /** NAME of the source's certificate (default: found by --source-host, or the only one). */
  source?: string;
  /** NAMEs of the replicas' certificates (default: every valid replica and relay certificate). */
  replicas?: string[];
  crl?: CrlForm;
  tlsDir?: string;
  openssl?: 1 | 3;
}

const ROLE_OF: Record<string, TopologyRole> = { server: "source", replica: "replica", relay: "relay" };

const hostsOf = (e: IndexEntry): string[] =>
  e.sans
    .split(",")
    .filter(Boolean)
    .map((s) => s.replace(/^(DNS|IP):/, ""));

function serverOf(
  e: IndexEntry,
  role: TopologyRole,
  v: ServerVersion,
  req: SingleBundleRequest,
): TopologyServer {
  return {
    name: e.name,
    role,
    hosts: hostsOf(e),
    port: req.port ?? DEFAULT_PORT,
    version: v,
    crl: req.crl ?? "both",
    tlsDir:
      req.tlsDir && req.tlsDir.length > 1 ? req.tlsDir.replace(/\/$/, "") : (req.tlsDir ?? DEFAULT_TLS_DIR),
    opensslMajor: req.openssl ?? serverProfile(v).opensslMajor,
    account: defaultAccount(e.name),
    accountHost: "%",
    passwordEnv: defaultPasswordEnv(e.name),
    certificate: role === "relay" ? "combined" : "separate",
  };
}

export function planSingleBundle(
  req: SingleBundleRequest,
  entries: Iterable<IndexEntry>,
  now: Date,
  cert: (name: string) => ParsedCertificate,
): { target: BundleTarget; certs: CertNames } {
  const all = [...entries];
  const usable = (e: IndexEntry) => e.status === "V" && Date.parse(e.notAfter) > now.getTime();
  const find = (name: string, roles: string[], what: string): IndexEntry => {
    const e = all.filter((x) => x.name === name).at(-1);
    if (!e) {
      throw new InputError("UNKNOWN_CERTIFICATE", `no certificate named "${name}" in this CA`, {
        hint: "repl-pki list shows every certificate; issue one first with repl-pki issue",
      });
    }
    if (!usable(e) || !roles.includes(e.role)) {
      const why = e.status === "R" ? "revoked" : !usable(e) ? "expired" : `a ${e.role} certificate`;
      throw new InputError("CERTIFICATE_UNUSABLE", `"${name}" cannot be ${what}: it is ${why}`, {
        hint: "issue a new certificate (repl-pki issue) or describe the servers in a topology for repl-pki up",
      });
    }
    return e;
  };
  if (req.tlsDir !== undefined && !TLS_DIR_RE.test(req.tlsDir)) {
    throw new UsageError(
      "INVALID_OPTION_VALUE",
      `--tls-dir "${req.tlsDir}" is not usable in my.cnf and SQL`,
      {
        hint: "give an absolute path of letters, digits and . _ + @ : - /",
      },
    );
  }
  const self = find(req.name, ["server", "replica", "relay"], "bundled");
  const version = parseServerVersion(req.server ?? DEFAULT_SERVER);
  const server = serverOf(self, ROLE_OF[self.role]!, version, req);
  const certs: CertNames = new Map([
    [
      self.name,
      self.role === "server"
        ? { own: self.name }
        : self.role === "replica"
          ? { channel: self.name }
          : { own: self.name, channel: self.name },
    ],
  ]);
  const target: BundleTarget = { server, replicas: [], sourceLabel: "" };
  const others = (roles: string[]) =>
    all.filter((e) => e.name !== self.name && usable(e) && roles.includes(e.role));

  if (server.role !== "source") {
    let src: IndexEntry;
    if (req.source !== undefined) src = find(req.source, ["server", "relay"], "followed as a source");
    else {
      const candidates = others(["server", "relay"]);
      const identity = serverProfile(version).identity;
      const host = req.sourceHost;
      const matching = host
        ? candidates.filter((e) => checkHostIdentity(cert(e.name), host, identity).match)
        : candidates;
      if (matching.length === 0) {
        const names = candidates.map((e) => e.name).join(", ") || "none";
        throw host
          ? new CheckFailure(
              "IDENTITY_MISMATCH",
              `no server certificate of this CA matches "${host}" as ${formatServerVersion(version)} checks it (candidates: ${names})`,
              { hint: "issue the source's certificate with that host, or dial a host it names" },
            )
          : new InputError(
              "UNKNOWN_CERTIFICATE",
              "this CA has no valid server certificate for the replica to follow",
              { hint: "issue the source's certificate first: repl-pki issue server NAME --host H" },
            );
      }
      if (host && matching.length > 1) {
        // an exact name beats a wildcard (the wildcard certificate would be chosen by accident)
        const exact = matching.filter(
          (e) => !checkHostIdentity(cert(e.name), host, identity).matchedBy?.includes("*"),
        );
        if (exact.length === 1) matching.splice(0, matching.length, exact[0]!);
        else {
          throw new UsageError(
            "MISSING_ARGUMENT",
            `${matching.length} server certificates match "${host}": ${matching.map((e) => e.name).join(", ")}`,
            { hint: "say which one with --source NAME" },
          );
        }
      }
      if (!host && matching.length > 1) {
        throw new UsageError(
          "MISSING_ARGUMENT",
          `which source does ${self.name} follow? The CA has ${matching.length} server certificates: ${matching.map((e) => e.name).join(", ")}`,
          { hint: "give --source NAME or --source-host HOST" },
        );
      }
      src = matching.at(-1)!;
    }
    const source = serverOf(src, "source", version, req);
    server.follows = source.name;
    server.sourceHost = req.sourceHost ?? source.hosts.find((h) => !h.includes("*")) ?? source.hosts[0];
    target.source = source;
    certs.set(source.name, { own: source.name });
  }
  if (server.role !== "replica") {
    const reps = req.replicas
      ? req.replicas.map((n) => find(n, ["replica", "relay"], "a replica"))
      : others(["replica", "relay"]);
    for (const r of reps) {
      const rep = serverOf(r, "replica", version, req);
      rep.follows = server.name;
      rep.sourceHost = server.hosts.find((h) => !h.includes("*")) ?? server.hosts[0];
      target.replicas.push(rep);
      certs.set(r.name, { ...certs.get(r.name), channel: r.name });
    }
  }
  return { target, certs };
}
