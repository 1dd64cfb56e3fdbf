// Every fixture scenario against real MariaDB servers: the source runs on the scenario's source/ files,
// the replica dials the manifest's host with the scenario's replica/ files (MASTER_SSL_CA/CERT/KEY/CRL,
// MASTER_SSL_VERIFY_SERVER_CERT=1, account REQUIRE X509), and what happens must be what manifest.json
// says: "connects" (Slave_IO_Running=Yes) or "refuses" with the expected Last_IO_Errno.
//
// One source and one replica serve every scenario: the source's ssl_* files are replaced in place and
// reloaded with FLUSH SSL (MariaDB ≥ 10.4), the replica gets a fresh named connection per scenario
// (CHANGE MASTER 'fx_N' … / RESET SLAVE 'fx_N' ALL), so no server restarts between scenarios.
// Without mariadbd this file skips locally and FAILS under CI.
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures } from "../../src/api/fixtures.js";
import { SCENARIO_NAMES } from "../../src/core/fixtures/fixtures.js";
import type { FixturesManifest, ScenarioManifest } from "../../src/core/fixtures/manifest.js";
import {
  anyIoError,
  changeMasterSql,
  createWorkDir,
  findMariadb,
  type MariadbServer,
  runningServerPids,
  type SlaveStatus,
  startServer,
  stopAllServers,
  waitForReplication,
} from "./mariadb/harness.js";

const mariadbAvailable = (() => {
  try {
    findMariadb();
    return true;
  } catch {
    return false;
  }
})();

const USER = "repl";
const PASSWORD = "fixtures-e2e-password";
const SOURCE_FILES = ["ca.pem", "cert.pem", "key.pem", "crl.pem"] as const;
const report: string[] = [];

describe.skipIf(!mariadbAvailable && !process.env.CI)("fixtures against MariaDB (source + replica)", () => {
  const t0 = performance.now();
  let work: string;
  let fx: string;
  let manifest: FixturesManifest;
  let source: MariadbServer;
  let replica: MariadbServer;
  let tlsDir: string;
  let connection = 0;

  beforeAll(async () => {
    const bins = findMariadb(); // throws the install hint: a failure under CI, never a skip
    work = await createWorkDir("repl-pki-e2e-fixtures-");
    fx = path.join(work, "fx");
    // no --at: the servers verify at the real time, so the dates must be relative to now
    manifest = (await createFixtures({ out: fx, seed: "e2e", scenarios: [...SCENARIO_NAMES], replicas: 3 }))
      .manifest;
    tlsDir = path.join(work, "source-tls");
    await mkdir(tlsDir, { recursive: true });
    await installSourceFiles(scenario("valid"));
    const tls = ["ca", "cert", "key", "crl"].map((v) => `ssl_${v}=${path.join(tlsDir, `${v}.pem`)}`);
    [source, replica] = await Promise.all([
      startServer({ name: "source", baseDir: work, serverId: 1, logBin: true, extraCnf: tls.join("\n") }),
      startServer({ name: "replica", baseDir: work, serverId: 2 }),
    ]);
    await source.sql(
      [
        "SET SESSION sql_log_bin=0",
        `CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE X509`,
        `GRANT REPLICATION SLAVE ON *.* TO '${USER}'@'%'`,
      ].join(";\n"),
    );
    report.push(`${bins.version}; servers up after ${Math.round(performance.now() - t0)} ms`);
  });

  afterAll(async () => {
    await stopAllServers();
    report.push(`mariadbd still running: ${runningServerPids().length}`);
    report.push(`whole file: ${Math.round(performance.now() - t0)} ms`);
    console.info(`[fixtures e2e]\n  ${report.join("\n  ")}`);
  });

  const scenario = (name: string): ScenarioManifest => manifest.scenarios.find((s) => s.name === name)!;

  async function installSourceFiles(s: ScenarioManifest): Promise<void> {
    for (const f of SOURCE_FILES) await copyFile(path.join(fx, s.dirs.source, f), path.join(tlsDir, f));
  }

  /** Points the source at the scenario, lets the replica dial it once; returns what the replica saw. */
  async function attempt(s: ScenarioManifest, crl: "file" | "dir" = "file"): Promise<SlaveStatus> {
    await installSourceFiles(s);
    await source.sql("FLUSH SSL");
    const dir = path.join(fx, s.dirs.replicas[0]!);
    const conn = `fx_${++connection}`;
    await replica.sql(
      changeMasterSql({
        connectionName: conn,
        host: s.host,
        port: source.port,
        user: USER,
        password: PASSWORD,
        ssl: true,
        sslCa: path.join(dir, "ca.pem"),
        sslCert: path.join(dir, "cert.pem"),
        sslKey: path.join(dir, "key.pem"),
        ...(crl === "file" ? { sslCrl: path.join(dir, "crl.pem") } : { sslCrlpath: path.join(dir, "crl.d") }),
        verifyServerCert: true,
        connectRetry: 1,
        useGtid: "no",
      }),
    );
    await replica.sql(`START SLAVE '${conn}'`);
    try {
      return await waitForReplication(
        replica,
        (st) => st["Slave_IO_Running"] === "Yes" || anyIoError(st),
        30_000,
        {
          connectionName: conn,
          what: `scenario ${s.name}: connected or refused`,
        },
      );
    } finally {
      await replica.sql(`STOP SLAVE '${conn}'; RESET SLAVE '${conn}' ALL`);
    }
  }

  const observed = (st: SlaveStatus) => ({
    outcome: st["Slave_IO_Running"] === "Yes" ? "connects" : "refuses",
    errno: st["Last_IO_Errno"] === "0" ? null : Number(st["Last_IO_Errno"]),
  });

  it.each(SCENARIO_NAMES)("%s: MariaDB does what the manifest says", async (name) => {
    const s = scenario(name);
    expect(s.expect.mariadb.outcome).not.toBe("source-does-not-start"); // none of the scenarios needs a restart
    const t = performance.now();
    const st = await attempt(s);
    const got = observed(st);
    report.push(
      `${name.padEnd(24)} expected ${s.expect.mariadb.outcome} ${s.expect.mariadb.errno ?? ""}, got ${got.outcome} ${got.errno ?? ""} ` +
        `(${Math.round(performance.now() - t)} ms)${got.errno ? `: ${st["Last_IO_Error"]}` : ""}`,
    );
    expect(got).toEqual({ outcome: s.expect.mariadb.outcome, errno: s.expect.mariadb.errno });
  });

  it("gives the same answers with MASTER_SSL_CRLPATH=crl.d as with the crl.pem file", async () => {
    for (const name of ["valid-intermediate", "source-revoked", "root-crl-missing"]) {
      const s = scenario(name);
      const got = observed(await attempt(s, "dir"));
      report.push(`${name.padEnd(24)} via crl.d: ${got.outcome} ${got.errno ?? ""}`);
      expect(got, name).toEqual({ outcome: s.expect.mariadb.outcome, errno: s.expect.mariadb.errno });
    }
  });
});
