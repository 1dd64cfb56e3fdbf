// Everything the renderers need to know about one server's bundle, as plain data (no certificates, no
// keys): built from the topology, the certificates chosen for each server, and the CRL dates.
import { opensslNameOneline } from "../x509/name-oneline.js";
import type { CrlForm, TopologyRole, TopologyServer } from "./topology.js";
import { formatServerVersion, type ServerVersion } from "./versions.js";

/** File names inside a bundle directory (and inside tlsDir on the server). */
export const BUNDLE_FILES = {
  ca: "ca.pem",
  cert: "cert.pem",
  key: "key.pem",
  clientCert: "client-cert.pem",
  clientKey: "client-key.pem",
  crlFile: "crl.pem",
  crlDir: "crl.d",
  myCnf: "my.cnf",
  replicaSql: "replica.sql",
  sourceSql: "source.sql",
  runbook: "RUNBOOK.md",
} as const;

export interface CertInfo {
  name: string;
  serial: string;
  notAfter: string;
  /** DER Names, for the REQUIRE strings. */
  subject: Buffer;
  issuer: Buffer;
}

/** own: the server's ssl_cert (serverAuth). channel: its MASTER_SSL_CERT (may be the same certificate). */
export interface ServerCerts {
  own?: CertInfo;
  channel?: CertInfo;
}

export interface CertSummary {
  name: string;
  serial: string;
  notAfter: string;
  subject: string;
}

export interface ChannelModel {
  source: string;
  sourceLabel: string;
  host: string;
  port: number;
  account: string;
  passwordEnv: string;
}

export interface AccountModel {
  replica: string;
  account: string;
  host: string;
  subject: string;
  issuer: string;
  passwordEnv: string;
  /** SQL user variable that carries the password while source.sql runs. */
  sqlVar: string;
  dials: string;
}

export interface BundleModel {
  name: string;
  role: TopologyRole;
  version: ServerVersion;
  crl: CrlForm;
  tlsDir: string;
  /** On-server absolute paths of the files present in this bundle. */
  paths: {
    ca: string;
    cert?: string;
    key?: string;
    clientCert?: string;
    clientKey?: string;
    crlFile?: string;
    crlDir?: string;
  };
  own?: CertSummary;
  channelCert?: CertSummary;
  channel?: ChannelModel;
  accounts: AccountModel[];
  opensslMajor: 1 | 3;
  /** True when the REQUIRE strings read the same with OpenSSL 1.x and 3.x. */
  requirePortable: boolean;
  crlNextUpdate?: string;
  crlSafetyDays: number;
}

export interface ModelInput {
  server: TopologyServer;
  source?: TopologyServer;
  replicas: TopologyServer[];
  certs: (server: string) => ServerCerts;
  crlNextUpdate?: string;
  crlSafetyDays: number;
  /** Label of the source's version ("" when unknown: single-server bundles). */
  sourceLabel?: string;
}

export const sqlVarFor = (account: string): string =>
  `repl_password_${account.replace(/[^A-Za-z0-9_]/g, "_")}`;

const summary = (c: CertInfo): CertSummary => ({
  name: c.name,
  serial: c.serial,
  notAfter: c.notAfter,
  subject: opensslNameOneline(c.subject, 3),
});

export function buildBundleModel(input: ModelInput): BundleModel {
  const s = input.server;
  const at = (f: string) => `${s.tlsDir === "/" ? "" : s.tlsDir}/${f}`;
  const certs = input.certs(s.name);
  const separate = certs.channel !== undefined && certs.channel !== certs.own;
  const F = BUNDLE_FILES;
  const paths: BundleModel["paths"] = { ca: at(F.ca) };
  if (certs.own) Object.assign(paths, { cert: at(F.cert), key: at(F.key) });
  if (separate) Object.assign(paths, { clientCert: at(F.clientCert), clientKey: at(F.clientKey) });
  if (s.crl !== "dir") paths.crlFile = at(F.crlFile);
  if (s.crl !== "file") paths.crlDir = at(F.crlDir);
  const major = s.opensslMajor;
  let portable = true;
  const accounts = input.replicas.map((r): AccountModel => {
    const c = input.certs(r.name).channel;
    if (!c) throw new Error(`no replication certificate for ${r.name}`);
    const [subject, issuer] = [c.subject, c.issuer].map((n) => opensslNameOneline(n, major)) as [
      string,
      string,
    ];
    const other = major === 3 ? 1 : 3;
    if (opensslNameOneline(c.subject, other) !== subject || opensslNameOneline(c.issuer, other) !== issuer)
      portable = false;
    return {
      replica: r.name,
      account: r.account,
      host: r.accountHost,
      subject,
      issuer,
      passwordEnv: r.passwordEnv,
      sqlVar: sqlVarFor(r.account),
      dials: r.sourceHost ?? "",
    };
  });
  const src = input.source;
  return {
    name: s.name,
    role: s.role,
    version: s.version,
    crl: s.crl,
    tlsDir: s.tlsDir,
    paths,
    own: certs.own && summary(certs.own),
    channelCert: certs.channel && summary(certs.channel),
    channel: src && {
      source: src.name,
      sourceLabel: input.sourceLabel ?? formatServerVersion(src.version),
      host: s.sourceHost ?? src.hosts[0] ?? "",
      port: src.port,
      account: s.account,
      passwordEnv: s.passwordEnv,
    },
    accounts,
    opensslMajor: major,
    requirePortable: portable,
    crlNextUpdate: input.crlNextUpdate,
    crlSafetyDays: input.crlSafetyDays,
  };
}
