// What a server's flavour and exact version decide for a bundle: statement and status-field names
// (spec §4), the TLS reload (spec §5), my.cnf settings, and the identity semantics of the replica's
// MASTER_SSL_VERIFY_SERVER_CERT check (spec §3/§10).
import { UsageError } from "../../errors.js";
import type { Flavour } from "../identity/check-host.js";

export type ServerFlavour = "mysql" | "mariadb";

export interface ServerVersion {
  flavour: ServerFlavour;
  major: number;
  minor: number;
  /** undefined when the user gave only major.minor (allowed where no patch release changes anything). */
  patch: number | undefined;
}

const bad = (text: string, why: string) =>
  new UsageError("INVALID_OPTION_VALUE", `unsupported server version "${text}": ${why}`, {
    hint: 'write flavour and version, e.g. "mariadb 10.11", "mariadb 11.4", "mysql 5.7.44", "mysql 8.0.36", "mysql 8.4.3"',
  });

/** "mariadb 10.11", "mysql 8.0.36" (or flavour and version apart). */
export function parseServerVersion(text: string, version?: string): ServerVersion {
  const whole = version === undefined ? text : `${text} ${version}`;
  const m = /^(mysql|mariadb)\s+(\d+)\.(\d+)(?:\.(\d+))?$/i.exec(whole.trim());
  if (!m) throw bad(whole, "not a flavour and a version number");
  const v: ServerVersion = {
    flavour: m[1]!.toLowerCase() as ServerFlavour,
    major: Number(m[2]),
    minor: Number(m[3]),
    patch: m[4] === undefined ? undefined : Number(m[4]),
  };
  if (v.flavour === "mysql") {
    if (v.major < 5 || (v.major === 5 && v.minor < 7)) throw bad(whole, "MySQL before 5.7 is not supported");
    if ((v.major === 5 || (v.major === 8 && v.minor === 0)) && v.patch === undefined) {
      throw bad(whole, "give the full 5.7.x / 8.0.x version: statement names and reloads changed inside 8.0");
    }
    if (v.major === 5 && v.minor > 7) throw bad(whole, "no such MySQL release");
  } else if (v.major < 10 || (v.major === 10 && v.minor < 4)) {
    throw bad(whole, "MariaDB before 10.4 (no FLUSH SSL) is not supported");
  }
  return v;
}

export function formatServerVersion(v: ServerVersion): string {
  const name = v.flavour === "mysql" ? "MySQL" : "MariaDB";
  return `${name} ${v.major}.${v.minor}${v.patch === undefined ? "" : `.${v.patch}`}`;
}

export function atLeast(v: ServerVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return (v.patch ?? 0) >= patch;
}

export interface StatusFields {
  io: string;
  sql: string;
  sslAllowed: string;
  verify: string;
  crl: string;
  crlpath: string;
}

export interface ServerProfile {
  label: string;
  /** The client-side identity check this server runs as a replica (checkHostIdentity flavour). */
  identity: Flavour;
  /** OpenSSL major the server is assumed to link, for REQUIRE SUBJECT/ISSUER strings (spec §6). */
  opensslMajor: 1 | 3;
  /** Command-line client and systemd unit. */
  client: "mariadb" | "mysql";
  service: "mariadb" | "mysql";
  change: "CHANGE MASTER TO" | "CHANGE REPLICATION SOURCE TO";
  /** Option prefix in the CHANGE statement. */
  opt: "MASTER" | "SOURCE";
  /** MASTER_/SOURCE_TLS_VERSION value; MariaDB has no such option (spec §4). */
  channelTlsVersion: string | undefined;
  start: string;
  stop: string;
  status: string;
  fields: StatusFields;
  /** The statement that reloads the server's TLS context; undefined: only a restart does (5.7). */
  reload: string | undefined;
  /** my.cnf tls_version (undefined: leave the server default). */
  tlsVersion: string | undefined;
  requireSecureTransport: boolean;
  /** Builds whose CRL settings have no effect (spec §1), for the runbook. */
  crlCaveat: string;
  /** How the replica's start position is chosen (left to the user). */
  position: string;
}

const OLD_FIELDS: StatusFields = {
  io: "Slave_IO_Running",
  sql: "Slave_SQL_Running",
  sslAllowed: "Master_SSL_Allowed",
  verify: "Master_SSL_Verify_Server_Cert",
  crl: "Master_SSL_Crl",
  crlpath: "Master_SSL_Crlpath",
};
const NEW_FIELDS: StatusFields = {
  io: "Replica_IO_Running",
  sql: "Replica_SQL_Running",
  sslAllowed: "Source_SSL_Allowed",
  verify: "Source_SSL_Verify_Server_Cert",
  crl: "Source_SSL_Crl",
  crlpath: "Source_SSL_Crlpath",
};

function mariadbProfile(v: ServerVersion): ServerProfile {
  return {
    label: formatServerVersion(v),
    identity: "mariadb",
    opensslMajor: 3,
    client: "mariadb",
    service: "mariadb",
    change: "CHANGE MASTER TO",
    opt: "MASTER",
    channelTlsVersion: undefined,
    start: "START SLAVE",
    stop: "STOP SLAVE",
    status: "SHOW SLAVE STATUS",
    fields: OLD_FIELDS,
    reload: "FLUSH SSL", // 10.4.1+, MDEV-16266
    tlsVersion: atLeast(v, 10, 4, 6) ? "TLSv1.2,TLSv1.3" : undefined,
    requireSecureTransport: atLeast(v, 10, 5, 2),
    crlCaveat:
      "CRLs are silently ignored by MariaDB builds linked with wolfSSL (Windows MSI, binary tarballs; MDEV-40382), and `ssl_crlpath` by GnuTLS builds: `@@version_ssl_library` must say OpenSSL.",
    position: atLeast(v, 10, 10)
      ? "MASTER_USE_GTID = slave_pos is the default: a new replica starts at @@gtid_slave_pos (set it with SET GLOBAL gtid_slave_pos = '…' after restoring a backup). For a binlog position instead, run CHANGE MASTER TO MASTER_USE_GTID = no, MASTER_LOG_FILE = '…', MASTER_LOG_POS = …; before START SLAVE."
      : "Add MASTER_USE_GTID = slave_pos (set @@gtid_slave_pos first), or MASTER_LOG_FILE = '…', MASTER_LOG_POS = …, in a CHANGE MASTER before START SLAVE.",
  };
}

function mysqlProfile(v: ServerVersion): ServerProfile {
  const newSource = atLeast(v, 8, 0, 23);
  const newReplica = atLeast(v, 8, 0, 22);
  const opt = newSource ? "SOURCE" : "MASTER";
  return {
    label: formatServerVersion(v),
    identity: v.major === 5 ? "mysql-5.7" : "mysql-8",
    opensslMajor: v.major === 5 ? 1 : 3,
    client: "mysql",
    service: "mysql",
    change: newSource ? "CHANGE REPLICATION SOURCE TO" : "CHANGE MASTER TO",
    opt,
    channelTlsVersion: atLeast(v, 8, 0, 16)
      ? "TLSv1.2,TLSv1.3"
      : atLeast(v, 5, 7, 10)
        ? "TLSv1.2"
        : undefined,
    start: newReplica ? "START REPLICA" : "START SLAVE",
    stop: newReplica ? "STOP REPLICA" : "STOP SLAVE",
    status: newReplica ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS",
    fields: newReplica ? NEW_FIELDS : OLD_FIELDS,
    reload: atLeast(v, 8, 0, 16) ? "ALTER INSTANCE RELOAD TLS" : undefined,
    tlsVersion: atLeast(v, 8, 0, 16) ? "TLSv1.2,TLSv1.3" : "TLSv1.2",
    requireSecureTransport: true,
    crlCaveat:
      v.major === 5
        ? "MySQL 5.7 community builds before 5.7.28 use yaSSL, which ignores every CRL setting: check `SHOW STATUS LIKE 'Rsa_public_key'` is present (OpenSSL) before relying on revocation."
        : "CRLs need an OpenSSL build (every MySQL 8 build is).",
    position: `Use ${opt}_AUTO_POSITION = 1 with gtid_mode = ON, or ${opt}_LOG_FILE = '…', ${opt}_LOG_POS = …, in a ${newSource ? "CHANGE REPLICATION SOURCE TO" : "CHANGE MASTER TO"} before ${newReplica ? "START REPLICA" : "START SLAVE"}.`,
  };
}

export function serverProfile(v: ServerVersion): ServerProfile {
  return v.flavour === "mariadb" ? mariadbProfile(v) : mysqlProfile(v);
}
