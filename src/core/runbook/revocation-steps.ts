// What each server must do after a revocation, as observed on MariaDB 10.11 (spec §10) and per the MySQL
// manual: a server's CRL view is frozen until a TLS reload (spec §5), and an established replication
// connection is never re-verified, so a revoked replica keeps replicating until its connection ends.
import type { IndexEntry } from "../index/records.js";

export function revocationSteps(entry: Pick<IndexEntry, "name" | "role">): string[] {
  const steps = [
    "Copy the new CRLs to every server: crl.pem (ssl_crl / MASTER_SSL_CRL) and/or the new file in crl.d/ (ssl_crlpath / MASTER_SSL_CRLPATH).",
    "On every source, reload TLS so it reads the new CRL: MariaDB >= 10.4 `FLUSH SSL;` (check that it succeeds: a broken CRL file makes it fail and keep the old one), MySQL >= 8.0.16 `ALTER INSTANCE RELOAD TLS;`, MySQL 5.7: restart mysqld. (A new crl.d/<hash>.rN file is already enforced at the next handshake; the reload makes crl.pem take effect.)",
  ];
  if (entry.role === "replica" || entry.role === "relay") {
    steps.push(
      `End ${entry.name}'s live replication connection on its source; it is never re-verified and keeps replicating until it reconnects: find its Binlog Dump thread (SHOW PROCESSLIST, by its replication account) and KILL CONNECTION <id>; or lock the account without replicating the change: SET sql_log_bin=0; ALTER USER '<account>'@'<host>' ACCOUNT LOCK; SET sql_log_bin=1;`,
    );
  }
  if (entry.role === "server" || entry.role === "relay") {
    steps.push(
      `On every replica of ${entry.name}: STOP SLAVE IO_THREAD; START SLAVE IO_THREAD; (STOP/START REPLICA IO_THREAD on MySQL >= 8.0.22): replicas re-read MASTER_SSL_CRL at each connection, so the revoked source certificate is refused from the next connection on.`,
    );
  }
  if (entry.role === "intermediate-ca") {
    steps.push(
      "Every certificate the intermediate issued is now refused: issue replacements from a new intermediate.",
    );
  }
  return steps;
}
