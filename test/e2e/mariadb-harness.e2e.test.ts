// Proof that the MariaDB e2e harness works: real mariadbd source + replica, certificates made with the
// openssl CLI, replication over verified TLS with an X509 account, a host-name refusal (2026), and the
// revocation runbook (CRL rewrite + FLUSH SSL + ending the live connection).
//
// Never skipped: without mariadbd every test fails with "mariadbd not found: apt-get install -y mariadb-server".

import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anyIoError,
  binlogDumpThreads,
  changeMasterSql,
  createWorkDir,
  findMariadb,
  installMariadbCleanup,
  ioRunning,
  MARIADB_MISSING_MESSAGE,
  type MariadbServer,
  runningServerPids,
  ServerStartError,
  type SlaveStatus,
  SqlError,
  slaveStatus,
  startServer,
  stopAllServers,
  syncReplica,
  waitForReplication,
} from "./mariadb/harness.js";
import {
  copyInPlace,
  createOpensslCa,
  issueOpensslLeaf,
  type OpensslCa,
  type OpensslLeaf,
  opensslVerify,
  revokeOpensslLeaf,
  writeOpensslCrl,
} from "./mariadb/openssl-pki.js";

await installMariadbCleanup();

const REPL_USER = "repl";
const REPL_USER_B = "repl_b";
const REPL_PASSWORD = "repl-e2e-password";

/** What the run observed; printed at the end so CI logs carry the real server's texts and the timings. */
const report: string[] = [];
const note = (line: string): void => {
  report.push(line);
};
/** [ERROR]/[Warning] lines of an error-log excerpt, timestamps and thread ids dropped, counted, for the report. */
const errorLines = (log: string): string => {
  const counts = new Map<string, number>();
  for (const line of log.split("\n")) {
    if (!/\[(ERROR|Warning)\]/.test(line)) continue;
    const key = line.replace(/^\S+\s+\S+\s+\d+\s+/, "").replace(/connection \d+/, "connection N");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return "(none)";
  return [...counts]
    .slice(0, 6)
    .map(([l, n]) => (n > 1 ? `${l} (x${n})` : l))
    .join(" | ");
};
const ioSummary = (s: SlaveStatus): string =>
  `Slave_IO_Running=${s["Slave_IO_Running"]} Last_IO_Errno=${s["Last_IO_Errno"]} Last_IO_Error=${JSON.stringify(s["Last_IO_Error"])}`;

interface ServerTls {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  crl: string;
}

/** Copies CA, CRL and a leaf into `<serverDir>/tls/` under stable names (the layout a deployment uses). */
async function installBundle(
  serverDir: string,
  ca: OpensslCa,
  leaf: OpensslLeaf,
  role: "server" | "client",
): Promise<ServerTls> {
  const dir = path.join(serverDir, "tls");
  await mkdir(dir, { recursive: true });
  const b: ServerTls = {
    dir,
    ca: path.join(dir, "ca.pem"),
    cert: path.join(dir, `${role}-cert.pem`),
    key: path.join(dir, `${role}-key.pem`),
    crl: path.join(dir, "crl.pem"),
  };
  await copyInPlace(ca.certPath, b.ca);
  await copyInPlace(ca.crlPath, b.crl);
  await copyInPlace(leaf.certPath, b.cert);
  await copyInPlace(leaf.keyPath, b.key);
  return b;
}

const serverTlsCnf = (b: ServerTls): string =>
  [`ssl_ca=${b.ca}`, `ssl_cert=${b.cert}`, `ssl_key=${b.key}`, `ssl_crl=${b.crl}`].join("\n");

/** One account per replica (REQUIRE X509 + REPLICATION SLAVE), not binlogged. */
async function createReplUser(source: MariadbServer, user = REPL_USER): Promise<void> {
  await source.sql(
    [
      "SET SESSION sql_log_bin=0",
      `CREATE USER '${user}'@'%' IDENTIFIED BY '${REPL_PASSWORD}' REQUIRE X509`,
      `GRANT REPLICATION SLAVE ON *.* TO '${user}'@'%'`,
    ].join(";\n"),
  );
}

function replicaChangeMaster(
  source: MariadbServer,
  b: ServerTls,
  extra: { connectionName?: string; useGtid?: "slave_pos" | "no"; user?: string } = {},
): string {
  return changeMasterSql({
    host: "127.0.0.1",
    port: source.port,
    user: REPL_USER,
    password: REPL_PASSWORD,
    ssl: true,
    sslCa: b.ca,
    sslCert: b.cert,
    sslKey: b.key,
    sslCrl: b.crl,
    verifyServerCert: true,
    connectRetry: 1,
    ...extra,
  });
}

describe("MariaDB e2e harness: replication over TLS with openssl-made certificates", () => {
  const tStart = performance.now();
  let work: string;
  let ca: OpensslCa;
  let source: MariadbServer;
  let replica: MariadbServer;
  let sourceTls: ServerTls;
  let replicaTls: ServerTls;
  let replicaLeaf: OpensslLeaf;

  beforeAll(async () => {
    const bins = findMariadb(); // throws the install hint; never a skip
    note(`binaries: ${bins.mariadbd} (${bins.version}), ${bins.installDb}, ${bins.client}`);
    work = await createWorkDir("repl-pki-e2e-harness-");

    const tPki = performance.now();
    ca = await createOpensslCa(path.join(work, "pki"));
    const sourceLeaf = await issueOpensslLeaf(ca, {
      name: "source",
      cn: "source.repl-pki.test",
      san: ["DNS:localhost", "IP:127.0.0.1"],
      eku: "serverAuth",
    });
    replicaLeaf = await issueOpensslLeaf(ca, { name: "replica-1", cn: "replica-1", eku: "clientAuth" });
    note(`openssl PKI (CA + 2 leaves + CRL): ${Math.round(performance.now() - tPki)} ms`);

    sourceTls = await installBundle(path.join(work, "source"), ca, sourceLeaf, "server");
    replicaTls = await installBundle(path.join(work, "replica"), ca, replicaLeaf, "client");

    [source, replica] = await Promise.all([
      startServer({
        name: "source",
        baseDir: work,
        serverId: 1,
        logBin: true,
        extraCnf: serverTlsCnf(sourceTls),
      }),
      startServer({ name: "replica", baseDir: work, serverId: 2 }),
    ]);
    for (const s of [source, replica]) {
      note(
        `${s.name}: install-db ${s.timings.installMs} ms, start ${s.timings.startMs.join("/")} ms, port ${s.port}`,
      );
    }
    await createReplUser(source);
  });

  afterAll(async () => {
    await stopAllServers();
    note(`mariadbd still running after stopAllServers: ${runningServerPids().length}`);
    note(`whole file: ${Math.round(performance.now() - tStart)} ms`);
    console.info(`[mariadb e2e report]\n  ${report.join("\n  ")}`);
  });

  it("fails (never skips) with the install hint when mariadbd is missing", async () => {
    const empty = await mkdtemp(path.join(work, "no-bin-"));
    expect(() => findMariadb({ searchDirs: [empty] })).toThrow(MARIADB_MISSING_MESSAGE);
    expect(MARIADB_MISSING_MESSAGE).toBe("mariadbd not found: apt-get install -y mariadb-server");
  });

  it("reports the server's error log when mariadbd cannot start (source key does not match its cert)", async () => {
    const bad = path.join(work, "bad-source", "tls");
    await mkdir(bad, { recursive: true });
    const t0 = performance.now();
    const err = await startServer({
      name: "bad-source",
      baseDir: work,
      serverId: 99,
      extraCnf: [`ssl_ca=${sourceTls.ca}`, `ssl_cert=${sourceTls.cert}`, `ssl_key=${replicaTls.key}`].join(
        "\n",
      ),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServerStartError);
    const msg = (err as ServerStartError).message;
    expect(msg).toMatch(/exited during startup/);
    expect(msg).toMatch(/Failed to setup SSL/);
    note(
      `mismatched ssl_key -> mariadbd exits in ${Math.round(performance.now() - t0)} ms; log: ` +
        (err as ServerStartError).errorLogTail
          .split("\n")
          .filter((l) => /\[ERROR\]/.test(l))
          .join(" | "),
    );
  });

  it("runs an SSL-enabled source with the expected server, TLS library and variables", async () => {
    const [row] = await source.query(
      "SELECT @@version AS version, @@version_ssl_library AS lib, @@have_ssl AS have_ssl, @@ssl_crl AS crl",
    );
    expect(row?.["have_ssl"]).toBe("YES");
    expect(row?.["crl"]).toBe(sourceTls.crl);
    note(`source: ${row?.["version"]}, ${row?.["lib"]}`);
  });

  it("replicates over verified TLS (MASTER_SSL_VERIFY_SERVER_CERT=1, CRL, REQUIRE X509)", async () => {
    const t0 = performance.now();
    await replica.sql(replicaChangeMaster(source, replicaTls));
    await replica.sql("START SLAVE");
    const st = await waitForReplication(replica, ioRunning, 30_000, { what: "IO+SQL threads running" });
    expect(st["Slave_IO_Running"]).toBe("Yes");
    expect(st["Slave_SQL_Running"]).toBe("Yes");
    expect(st["Master_SSL_Allowed"]).toBe("Yes");
    expect(st["Master_SSL_Verify_Server_Cert"]).toBe("Yes");
    expect(st["Master_SSL_Crl"]).toBe(replicaTls.crl);
    expect(st["Last_IO_Errno"]).toBe("0");

    await source.sql(
      "CREATE DATABASE e2e; CREATE TABLE e2e.t (id INT PRIMARY KEY, v VARCHAR(64)); INSERT INTO e2e.t VALUES (1, 'over tls')",
    );
    await syncReplica(source, replica, 30_000);
    expect(await replica.sql("SELECT v FROM e2e.t WHERE id = 1")).toEqual([["over tls"]]);

    // The source really saw a TLS client certificate: the account is REQUIRE X509, and the dump thread exists.
    const dumps = await binlogDumpThreads(source, REPL_USER);
    expect(dumps).toHaveLength(1);
    note(`replication up and first row applied: ${Math.round(performance.now() - t0)} ms`);
  });

  it("refuses a source whose certificate does not name the dialled host (Last_IO_Errno 2026)", async () => {
    // A second source whose certificate names only db.example.test; the replica dials 127.0.0.1.
    const otherLeaf = await issueOpensslLeaf(ca, {
      name: "source-other",
      cn: "db.example.test",
      san: ["DNS:db.example.test"],
      eku: "serverAuth",
    });
    const otherTls = await installBundle(path.join(work, "source-other"), ca, otherLeaf, "server");
    const other = await startServer({
      name: "source-other",
      baseDir: work,
      serverId: 11,
      logBin: true,
      extraCnf: `${serverTlsCnf(otherTls)}\ngtid_domain_id=11`,
    });
    note(
      `source-other: install-db ${other.timings.installMs} ms, start ${other.timings.startMs.join("/")} ms`,
    );
    await createReplUser(other);

    const conn = "wrongname";
    const mark = replica.errorLogSize();
    await replica.sql(replicaChangeMaster(other, replicaTls, { connectionName: conn, useGtid: "no" }));
    await replica.sql(`START SLAVE '${conn}'`);
    const st = await waitForReplication(replica, anyIoError, 30_000, {
      connectionName: conn,
      what: "an IO error",
    });
    note(`host not in server cert (127.0.0.1 vs DNS:db.example.test): ${ioSummary(st)}`);
    note(`  replica error log: ${errorLines(replica.errorLogSince(mark))}`);
    note(`  source-other error log: ${errorLines(other.errorLogSince(0))}`);
    expect(st["Last_IO_Errno"]).toBe("2026");
    expect(st["Last_IO_Error"]).toMatch(/SSL/);
    expect(st["Slave_IO_Running"]).not.toBe("Yes");
    const ossl = await opensslVerify(ca, otherLeaf.certPath, { ip: "127.0.0.1", purpose: "sslserver" });
    expect(ossl.ok).toBe(false);
    note(
      `openssl verify -verify_ip 127.0.0.1 on the same cert: ${ossl.output.split("\n").slice(-2).join(" | ")}`,
    );

    // Control: the same files with MASTER_SSL_VERIFY_SERVER_CERT=0 connect, so the name was the only problem.
    await replica.sql(`STOP SLAVE '${conn}'`);
    await replica.sql(`CHANGE MASTER '${conn}' TO MASTER_SSL_VERIFY_SERVER_CERT=0`);
    await replica.sql(`START SLAVE '${conn}'`);
    const ok = await waitForReplication(replica, (s) => s["Slave_IO_Running"] === "Yes", 30_000, {
      connectionName: conn,
      what: "IO thread running without host verification",
    });
    expect(ok["Master_SSL_Verify_Server_Cert"]).toBe("No");
    await replica.sql(`STOP SLAVE '${conn}'; RESET SLAVE '${conn}' ALL`);
    await other.stop();
    // the default connection is untouched
    expect(ioRunning(await slaveStatus(replica))).toBe(true);
  });

  it("revocation: needs the CRL rewrite + FLUSH SSL on the source AND the live connection ended", async () => {
    // A second replica, so the two ways of ending a live connection can be shown side by side.
    const replicaBLeaf = await issueOpensslLeaf(ca, {
      name: "replica-2",
      cn: "replica-2",
      eku: "clientAuth",
    });
    const replicaBTls = await installBundle(path.join(work, "replica-b"), ca, replicaBLeaf, "client");
    const replicaB = await startServer({ name: "replica-b", baseDir: work, serverId: 3 });
    await createReplUser(source, REPL_USER_B);
    await replicaB.sql(replicaChangeMaster(source, replicaBTls, { user: REPL_USER_B }));
    await replicaB.sql("START SLAVE");
    await waitForReplication(replicaB, ioRunning, 30_000, { what: "replica-b running" });
    await syncReplica(source, replicaB);
    expect(await binlogDumpThreads(source, REPL_USER)).toHaveLength(1);
    expect(await binlogDumpThreads(source, REPL_USER_B)).toHaveLength(1);

    let id = 100;
    const insert = async (): Promise<number> => {
      id += 1;
      await source.sql(`INSERT INTO e2e.t VALUES (${id}, 'row ${id}')`);
      return id;
    };
    const has = async (r: MariadbServer, rowId: number): Promise<boolean> =>
      (await r.sql(`SELECT COUNT(*) FROM e2e.t WHERE id = ${rowId}`))[0]?.[0] === "1";

    // 1. Revoke both replica certificates and rewrite the source's ssl_crl file in place.
    await revokeOpensslLeaf(ca, replicaLeaf);
    await revokeOpensslLeaf(ca, replicaBLeaf);
    await writeOpensslCrl(ca);
    await copyInPlace(ca.crlPath, sourceTls.crl);
    const revokedCheck = await opensslVerify(ca, replicaLeaf.certPath, {
      crl: sourceTls.crl,
      purpose: "sslclient",
    });
    expect(revokedCheck.ok).toBe(false);
    expect(revokedCheck.output).toMatch(/revoked/);

    // 2. Without FLUSH SSL, a reconnect is still accepted: the source's CRL view is frozen.
    await replica.sql("STOP SLAVE IO_THREAD");
    await replica.sql("START SLAVE IO_THREAD");
    await waitForReplication(replica, ioRunning, 30_000, { what: "reconnect before FLUSH SSL" });
    let r = await insert();
    await syncReplica(source, replica);
    expect(await has(replica, r)).toBe(true);
    const stNoFlush = await slaveStatus(replica);
    expect(stNoFlush["Last_IO_Errno"]).toBe("0");
    note(
      "revocation step 2: CRL file rewritten in place, no FLUSH SSL, STOP/START SLAVE IO_THREAD -> still accepted",
    );

    // 3. FLUSH SSL on the source: established replication connections are NOT re-verified.
    const mark = source.errorLogSize();
    const replicaMark = replica.errorLogSize();
    await source.sql("FLUSH SSL");
    r = await insert();
    await syncReplica(source, replica);
    await syncReplica(source, replicaB);
    expect(await has(replica, r)).toBe(true);
    expect(await has(replicaB, r)).toBe(true);
    expect(await binlogDumpThreads(source, REPL_USER_B)).toHaveLength(1);
    note("revocation step 3: after FLUSH SSL both live connections keep replicating (not re-verified)");

    // 4a. Replica side: STOP/START SLAVE IO_THREAD reconnects, and the new handshake is refused.
    await replica.sql("STOP SLAVE IO_THREAD");
    await replica.sql("START SLAVE IO_THREAD");
    const refusedA = await waitForReplication(replica, anyIoError, 30_000, {
      what: "replica refused after reconnect",
    });
    note(`revocation step 4a (replica STOP/START SLAVE IO_THREAD): ${ioSummary(refusedA)}`);
    expect(["2013", "2026"]).toContain(refusedA["Last_IO_Errno"]);
    expect(refusedA["Slave_IO_Running"]).not.toBe("Yes");

    // 4b. Source side: KILL the revoked replica's Binlog Dump thread; it reconnects (MASTER_CONNECT_RETRY=1)
    //     and is refused.
    note(
      `  source Binlog Dump threads of ${REPL_USER} after 4a: ${(await binlogDumpThreads(source, REPL_USER)).length}`,
    );
    const killed = await binlogDumpThreads(source, REPL_USER_B);
    expect(killed).toHaveLength(1);
    await source.sql(`KILL CONNECTION ${Number(killed[0]?.id)}`);
    const refusedB = await waitForReplication(replicaB, anyIoError, 30_000, {
      what: "replica-b refused after KILL",
    });
    note(`revocation step 4b (source KILL <Binlog Dump id>): ${ioSummary(refusedB)}`);
    expect(["2013", "2026"]).toContain(refusedB["Last_IO_Errno"]);

    // 5. Both stay cut off: the IO threads keep retrying and keep being refused; new rows do not arrive.
    r = await insert();
    await new Promise((res) => setTimeout(res, 3_000));
    expect(await has(replica, r)).toBe(false);
    expect(await has(replicaB, r)).toBe(false);
    expect(await binlogDumpThreads(source, REPL_USER_B)).toHaveLength(0);
    note(
      `  source Binlog Dump threads of ${REPL_USER} after step 5: ${(await binlogDumpThreads(source, REPL_USER)).length}`,
    );
    const later = await slaveStatus(replica);
    note(`revocation step 5 (3 s later): replica ${ioSummary(later)}`);
    note(`source error log since FLUSH SSL: ${errorLines(source.errorLogSince(mark))}`);
    note(`replica error log since FLUSH SSL: ${errorLines(replica.errorLogSince(replicaMark))}`);
    await replicaB.stop();
  });

  it("FLUSH SSL refuses a broken CRL file (ERROR 1105) and keeps serving TLS with the old context", async () => {
    const good = await readFile(sourceTls.crl);
    await writeFile(sourceTls.crl, "-----BEGIN X509 CRL-----\ntruncated");
    const err = await source.sql("FLUSH SSL").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).errno).toBe(1105);
    note(`FLUSH SSL with a truncated ssl_crl: ${(err as SqlError).message.split("\n")[0]}`);
    // The old context is still in use: a TLS client with a (non-revoked) certificate still gets in.
    const clientLeaf = await issueOpensslLeaf(ca, { name: "probe", cn: "probe", eku: "clientAuth" });
    await source.sql("SET SESSION sql_log_bin=0; CREATE USER 'probe'@'%' IDENTIFIED BY 'probe' REQUIRE X509");
    const rows = await source.tcpSql(
      "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME='Ssl_version'",
      {
        user: "probe",
        password: "probe",
        tls: { ca: sourceTls.ca, cert: clientLeaf.certPath, key: clientLeaf.keyPath, verifyServerCert: true },
      },
    );
    expect(rows[0]?.[0]).toMatch(/^TLSv1\.[23]$/);
    await writeFile(sourceTls.crl, good);
    await source.sql("FLUSH SSL");
  });
});
