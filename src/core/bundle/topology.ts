// The topology file (JSON): CA settings and the servers, validated field by field (schema.ts). Example:
//   { "ca": { "keyType": "ec-p256" },
//     "defaults": { "server": "mariadb 10.11", "crl": "both" },
//     "servers": {
//       "db1": { "role": "source", "hosts": ["db1.example.com", "10.0.0.1"] },
//       "db2": { "role": "replica", "hosts": ["db2.example.com"], "follows": "db1" } } }
import { classifyHost } from "../identity/validate-host.js";
import { classifySans } from "../names.js";
import { KEY_TYPES, type KeyType } from "../x509/signer.js";
import { Checker, join, parseJsonText } from "./schema.js";
import { parseServerVersion, type ServerVersion, serverProfile } from "./versions.js";

export type CrlForm = "file" | "dir" | "both";
export const CRL_FORMS: readonly CrlForm[] = ["file", "dir", "both"];
export type TopologyRole = "source" | "replica" | "relay";
export const TOPOLOGY_ROLES: readonly TopologyRole[] = ["source", "replica", "relay"];

export interface TopologyCa {
  /** Only used when `up` creates the CA. */
  cn?: string;
  keyType?: KeyType;
  intermediate: boolean;
  leafDays: number;
  /** Reissue a certificate whose notAfter is this close. */
  renewBeforeDays: number;
  crlDays: number;
  /** Refuse to ship a CRL whose nextUpdate is this close. */
  crlSafetyDays: number;
}

export interface TopologyServer {
  name: string;
  role: TopologyRole;
  /** Host names and IPs other servers dial: the SANs of its server certificate (first = CN). */
  hosts: string[];
  port: number;
  version: ServerVersion;
  crl: CrlForm;
  /** Where the bundle's files live on that server. */
  tlsDir: string;
  opensslMajor: 1 | 3;
  /** Replicas and relays: the server they replicate from, and the host they dial (default its first). */
  follows?: string;
  sourceHost?: string;
  /** Replication account on the source (one per replica) and where it may connect from. */
  account: string;
  accountHost: string;
  /** Environment variable that holds the account's password when the SQL is applied. */
  passwordEnv: string;
  /** Replicas and relays: a separate clientAuth certificate, or one with both EKUs. */
  certificate: "separate" | "combined";
}

export interface Topology {
  ca: TopologyCa;
  servers: TopologyServer[];
}

export const DEFAULT_TLS_DIR = "/etc/mysql/tls";
export const DEFAULT_SERVER = "mariadb 10.11";
export const DEFAULT_PORT = 3306;
export const DEFAULT_CRL_SAFETY_DAYS = 7;

export const SERVER_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,47}$/;
const ACCOUNT_RE = /^[A-Za-z0-9_.-]{1,32}$/;
const ACCOUNT_HOST_RE = /^[A-Za-z0-9_.%:-]{1,255}$/;
const ENV_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Goes unquoted into my.cnf and into SQL string literals: a conservative character set. */
export const TLS_DIR_RE = /^\/(?:[A-Za-z0-9._+@:-]+\/?)*$/;

export const defaultAccount = (name: string): string =>
  `repl_${name.replace(/[^A-Za-z0-9_]/g, "_")}`.slice(0, 32);
export const defaultPasswordEnv = (name: string): string =>
  `REPL_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;

const TOP_FIELDS = ["description", "ca", "defaults", "servers"];
const CA_FIELDS = [
  "cn",
  "keyType",
  "intermediate",
  "leafDays",
  "renewBeforeDays",
  "crlDays",
  "crlSafetyDays",
];
const DEFAULT_FIELDS = ["server", "port", "crl", "tlsDir", "openssl", "accountHost", "certificate"];
const SERVER_FIELDS = [...DEFAULT_FIELDS, "role", "hosts", "follows", "sourceHost", "account", "passwordEnv"];

function parseCa(c: Checker, v: unknown): TopologyCa {
  const o = v === undefined ? {} : (c.object(v, "ca", CA_FIELDS) ?? {});
  const num = (k: string, min: number, max: number, dflt: number) =>
    o[k] === undefined ? dflt : (c.integer(o[k], `ca.${k}`, min, max) ?? dflt);
  const ca: TopologyCa = {
    cn: o.cn === undefined ? undefined : c.string(o.cn, "ca.cn"),
    keyType: o.keyType === undefined ? undefined : c.oneOf(o.keyType, "ca.keyType", KEY_TYPES),
    intermediate:
      o.intermediate === undefined ? false : (c.boolean(o.intermediate, "ca.intermediate") ?? false),
    leafDays: num("leafDays", 1, 36_500, 825),
    renewBeforeDays: num("renewBeforeDays", 0, 36_500, 30),
    crlDays: num("crlDays", 1, 3650, 30),
    crlSafetyDays: num("crlSafetyDays", 0, 3650, DEFAULT_CRL_SAFETY_DAYS),
  };
  if (ca.renewBeforeDays >= ca.leafDays) c.fail("ca.renewBeforeDays", "must be smaller than ca.leafDays");
  if (ca.crlSafetyDays >= ca.crlDays) c.fail("ca.crlSafetyDays", "must be smaller than ca.crlDays");
  return ca;
}

function parseServer(
  c: Checker,
  name: string,
  v: unknown,
  d: Record<string, unknown>,
): TopologyServer | undefined {
  const p = `servers.${name}`;
  if (!SERVER_NAME_RE.test(name)) c.fail(p, "a server name is 1-48 of a-z 0-9 _ - (no dots)");
  const o = c.object(v, p, SERVER_FIELDS);
  if (!o) return undefined;
  const pick = (k: string) =>
    o[k] !== undefined ? { v: o[k], path: join(p, k) } : { v: d[k], path: `defaults.${k}` };
  const role = c.oneOf(o.role, join(p, "role"), TOPOLOGY_ROLES);
  const hosts = c.stringList(o.hosts, join(p, "hosts"));
  if (hosts) c.guard(join(p, "hosts"), () => classifySans(hosts, []));
  const srv = pick("server");
  const version =
    srv.v === undefined
      ? parseServerVersion(DEFAULT_SERVER)
      : c.guard(srv.path, () => parseServerVersion(String(c.string(srv.v, srv.path) ?? DEFAULT_SERVER)));
  const port = pick("port");
  const crl = pick("crl");
  const tls = pick("tlsDir");
  const ossl = pick("openssl");
  const ah = pick("accountHost");
  const cert = pick("certificate");
  const s: TopologyServer = {
    name,
    role: role ?? "source",
    hosts: hosts ?? [],
    port: port.v === undefined ? 3306 : (c.integer(port.v, port.path, 1, 65_535) ?? 3306),
    version: version ?? parseServerVersion(DEFAULT_SERVER),
    crl: crl.v === undefined ? "both" : (c.oneOf(crl.v, crl.path, CRL_FORMS) ?? "both"),
    tlsDir:
      tls.v === undefined
        ? DEFAULT_TLS_DIR
        : (c.string(tls.v, tls.path, TLS_DIR_RE, "an absolute path of letters, digits and . _ + @ : - /") ??
          DEFAULT_TLS_DIR),
    opensslMajor: 3,
    account:
      o.account === undefined
        ? defaultAccount(name)
        : (c.string(o.account, join(p, "account"), ACCOUNT_RE, "1-32 of A-Z a-z 0-9 _ . -") ?? ""),
    accountHost:
      ah.v === undefined
        ? "%"
        : (c.string(ah.v, ah.path, ACCOUNT_HOST_RE, "an account host such as % or 10.0.0.%") ?? "%"),
    passwordEnv:
      o.passwordEnv === undefined
        ? defaultPasswordEnv(name)
        : (c.string(o.passwordEnv, join(p, "passwordEnv"), ENV_RE, "an environment variable name") ?? ""),
    certificate:
      cert.v === undefined
        ? "separate"
        : (c.oneOf(cert.v, cert.path, ["separate", "combined"]) ?? "separate"),
  };
  s.tlsDir = s.tlsDir.length > 1 ? s.tlsDir.replace(/\/$/, "") : s.tlsDir;
  s.opensslMajor = serverProfile(s.version).opensslMajor;
  if (ossl.v !== undefined) s.opensslMajor = c.oneOf(String(ossl.v), ossl.path, ["1", "3"]) === "1" ? 1 : 3;
  if (o.follows !== undefined) s.follows = c.string(o.follows, join(p, "follows"));
  if (o.sourceHost !== undefined) {
    const h = c.string(o.sourceHost, join(p, "sourceHost"));
    if (h !== undefined && c.guard(join(p, "sourceHost"), () => classifyHost(h))) s.sourceHost = h;
  }
  if (s.role === "source") {
    for (const k of ["follows", "sourceHost"])
      if (o[k] !== undefined) c.fail(join(p, k), "a source follows no server");
  } else if (o.follows === undefined)
    c.fail(join(p, "follows"), `a ${s.role} needs the name of the server it follows`);
  return s;
}

function checkEdges(c: Checker, servers: TopologyServer[]): void {
  const byName = new Map(servers.map((s) => [s.name, s]));
  const accounts = new Map<string, string>();
  for (const s of servers) {
    if (s.follows === undefined) continue;
    const p = `servers.${s.name}.follows`;
    const src = byName.get(s.follows);
    if (!src) {
      c.fail(p, `no server named "${s.follows}" in the topology`);
      continue;
    }
    if (src.role === "replica")
      c.fail(p, `"${s.follows}" is a replica; a replica can follow a source or a relay`);
    if (s.sourceHost === undefined) {
      s.sourceHost = src.hosts.find((h) => !h.includes("*"));
      if (s.sourceHost === undefined)
        c.fail(
          `servers.${s.name}.sourceHost`,
          `every host of "${src.name}" is a wildcard: name the one to dial`,
        );
    }
    // a loop that comes back to this server (one that does not is reported for its own members)
    const seen = new Set<string>();
    for (
      let cur: TopologyServer | undefined = src;
      cur && !seen.has(cur.name);
      cur = byName.get(cur.follows ?? "")
    ) {
      if (cur.name === s.name) {
        c.fail(p, `replication loop through "${s.name}"`);
        break;
      }
      seen.add(cur.name);
    }
    const key = `${s.follows} ${s.account}@${s.accountHost}`;
    const other = accounts.get(key);
    if (other)
      c.fail(
        `servers.${s.name}.account`,
        `"${s.account}" is already the account of ${other} on ${s.follows}`,
      );
    accounts.set(key, s.name);
  }
}

/**
 * @example
 * const t = parseTopology(readFileSync("topology.json", "utf8"), "topology.json");
 */
export function parseTopology(text: string, file = "topology"): Topology {
  const json = parseJsonText(text, file);
  const c = new Checker(text);
  const top = c.object(json, "", TOP_FIELDS) ?? {};
  const ca = parseCa(c, top.ca);
  const defaults =
    top.defaults === undefined ? {} : (c.object(top.defaults, "defaults", DEFAULT_FIELDS) ?? {});
  const servers: TopologyServer[] = [];
  const list =
    top.servers === undefined ? c.fail("servers", "is required") : c.record(top.servers, "servers");
  if (list) {
    if (Object.keys(list).length === 0) c.fail("servers", "must name at least one server");
    for (const [name, v] of Object.entries(list)) {
      const s = parseServer(c, name, v, defaults);
      if (s) servers.push(s);
    }
  }
  checkEdges(c, servers);
  c.throwIfAny(file);
  return { ca, servers };
}
