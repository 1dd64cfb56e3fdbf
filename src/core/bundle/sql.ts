// replica.sql and source.sql of a bundle, in the statement forms of the server's exact version (spec §4,
// §6). Passwords never appear in them: they are read from session variables that the runbook fills from
// an environment variable (or that a DBA types), and spliced in with PREPARE … QUOTE(), so no password
// is ever written to a file and no quoting mistake can break the statement.
import type { AccountModel, BundleModel } from "./model.js";
import { serverProfile } from "./versions.js";

/** An SQL string literal: quotes doubled, backslashes escaped (default sql_mode). */
export const sqlString = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

const account = (a: { account: string; host: string }) => `${sqlString(a.account)}@${sqlString(a.host)}`;

/** Runs the statement text held in @repl_pki_sql. */
const EXECUTE =
  "PREPARE repl_pki_stmt FROM @repl_pki_sql; EXECUTE repl_pki_stmt; DEALLOCATE PREPARE repl_pki_stmt;";

/** Stops the script with "Unknown column '<file> needs @var …'" when the variable is unset or empty. */
function guard(file: string, sqlVar: string): string[] {
  const msg = `\`${file} needs @${sqlVar}: see RUNBOOK.md\``;
  return [
    `SET @repl_pki_sql = IF(COALESCE(@${sqlVar}, '') = '', ${sqlString(`SELECT ${msg}`)}, 'DO 0');`,
    EXECUTE,
  ];
}

export const REPLICA_SQL_VAR = "repl_password";

/** replica.sql: the replication channel of a replica or relay. */
export function renderReplicaSql(m: BundleModel): string | undefined {
  const c = m.channel;
  if (!c) return undefined;
  const p = serverProfile(m.version);
  const o = p.opt;
  const cert = m.paths.clientCert ?? m.paths.cert;
  const key = m.paths.clientKey ?? m.paths.key;
  const opts = [
    `${o}_HOST = ${sqlString(c.host)}`,
    `${o}_PORT = ${c.port}`,
    `${o}_USER = ${sqlString(c.account)}`,
    `${o}_SSL = 1`,
    `${o}_SSL_CA = ${sqlString(m.paths.ca)}`,
    `${o}_SSL_CAPATH = ''`,
    `${o}_SSL_CERT = ${sqlString(cert ?? "")}`,
    `${o}_SSL_KEY = ${sqlString(key ?? "")}`,
    `${o}_SSL_CRL = ${sqlString(m.paths.crlFile ?? "")}`,
    `${o}_SSL_CRLPATH = ${sqlString(m.paths.crlDir ?? "")}`,
    `${o}_SSL_VERIFY_SERVER_CERT = 1`,
  ];
  if (p.channelTlsVersion) opts.push(`${o}_TLS_VERSION = ${sqlString(p.channelTlsVersion)}`);
  const lines = [
    `-- repl-pki: replication channel of ${m.name} (${p.label}), following ${c.source}${c.sourceLabel ? ` (${c.sourceLabel})` : ""} at ${c.host}:${c.port}.`,
    `-- The password of ${sqlString(c.account)} is read from @${REPLICA_SQL_VAR} and never written to a file: RUNBOOK.md, step "Replication channel".`,
    ...guard("replica.sql", REPLICA_SQL_VAR),
    `${p.stop};`,
    p.change,
    `  ${opts.join(",\n  ")};`,
    `SET @repl_pki_sql = CONCAT(${sqlString(`${p.change} ${o}_PASSWORD = `)}, QUOTE(@${REPLICA_SQL_VAR}));`,
    EXECUTE,
    `-- Start position: ${p.position}`,
    `${p.start};`,
  ];
  return `${lines.join("\n")}\n`;
}

function accountStatements(a: AccountModel): string[] {
  const acct = account(a);
  const require = `REQUIRE SUBJECT ${sqlString(a.subject)} AND ISSUER ${sqlString(a.issuer)}`;
  return [
    `-- ${a.replica}: dials ${a.dials}; password from @${a.sqlVar} (environment variable ${a.passwordEnv})`,
    `SET @repl_pki_sql = CONCAT(${sqlString(`CREATE USER IF NOT EXISTS ${acct} IDENTIFIED BY `)}, QUOTE(@${a.sqlVar}), ${sqlString(` ${require}`)});`,
    EXECUTE,
    `SET @repl_pki_sql = CONCAT(${sqlString(`ALTER USER ${acct} IDENTIFIED BY `)}, QUOTE(@${a.sqlVar}));`,
    EXECUTE,
    `ALTER USER ${acct} ${require};`,
    `GRANT REPLICATION SLAVE ON *.* TO ${acct};`,
  ];
}

/** source.sql: one account per replica (REQUIRE SUBJECT … AND ISSUER …) with REPLICATION SLAVE. */
export function renderSourceSql(m: BundleModel): string | undefined {
  if (m.accounts.length === 0) return undefined;
  const p = serverProfile(m.version);
  const same = m.requirePortable
    ? `(the same with OpenSSL ${m.opensslMajor === 3 ? "1.x" : "3.x"})`
    : `(they differ with OpenSSL ${m.opensslMajor === 3 ? "1.x" : "3.x"}: set "openssl" in the topology to the server's OpenSSL major)`;
  const lines = [
    `-- repl-pki: replication accounts on ${m.name} (${p.label}), one per replica so that one can be revoked alone.`,
    '-- Passwords are read from session variables and never written to a file: RUNBOOK.md, step "Replication accounts".',
    `-- REQUIRE strings as X509_NAME_oneline prints them with OpenSSL ${m.opensslMajor === 3 ? "3" : "1.x"} ${same}.`,
    ...m.accounts.flatMap((a) => guard("source.sql", a.sqlVar)),
    "-- accounts belong to this server: not written to its binary log",
    "SET SESSION sql_log_bin = 0;",
    ...m.accounts.flatMap(accountStatements),
    "SET SESSION sql_log_bin = 1;",
  ];
  return `${lines.join("\n")}\n`;
}
