// Issue 6 end to end: a topology (one source, one replica) turned into bundles by `repl-pki up`, applied to
// two real mariadbd processes exactly as written and as each RUNBOOK.md says (its shell blocks are run as
// they are, with a `mariadb` on PATH that reaches the test server), then:
//   1. replication runs over verified TLS and a row arrives;
//   2. with the CRL as a file and as a hashed directory;
//   3. a revoked replica is refused after the CRL refresh, FLUSH SSL and the connection kill;
//   4. a replica dialling a host the source certificate lacks is refused (and `up` refuses to write it);
//   5. a source whose CRL has expired refuses the replica (and `up` / `bundle` refuse to ship that CRL).
// Never skipped: without mariadbd the suite fails with "mariadbd not found: apt-get install -y mariadb-server".
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshCrls } from "../../src/api/crl.js";
import { systemDeps } from "../../src/api/deps.js";
import { spliceManagedBlock } from "../../src/core/bundle/my-cnf.js";
import { DAY_MS } from "../../src/core/time.js";
import { runCli } from "../helpers/cli.js";
import {
  anyIoError,
  binlogDumpThreads,
  createWorkDir,
  findMariadb,
  installMariadbCleanup,
  ioRunning,
  type MariadbServer,
  run,
  runningServerPids,
  type SlaveStatus,
  slaveStatus,
  startServer,
  stopAllServers,
  syncReplica,
  waitForReplication,
} from "./mariadb/harness.js";

await installMariadbCleanup();

// quotes, a backslash, a dollar and a space: the documented password pipe must carry them unharmed
const PASSWORD = "r3pl 'pa$s\\wörd\"";
const report: string[] = [];
const note = (s: string) => report.push(s);
/** An IO error from a (re)connection attempt, not the read error of a connection that was cut. */
const refusedAtConnect = (s: SlaveStatus) =>
  anyIoError(s) && /error (re)?connecting to master/.test(s["Last_IO_Error"] ?? "");
const io = (s: SlaveStatus) =>
  `Slave_IO_Running=${s["Slave_IO_Running"]} Last_IO_Errno=${s["Last_IO_Errno"]} Last_IO_Error=${JSON.stringify(s["Last_IO_Error"])}`;

/** The first ```lang block of section `title` of a RUNBOOK.md. */
function runbookBlock(md: string, title: string, lang: string): string {
  const sections = md.split(/^## \d+\. /m);
  const body = sections.find((s) => s.startsWith(`${title}\n`));
  if (!body) throw new Error(`RUNBOOK.md has no section "${title}"`);
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(body);
  if (!m) throw new Error(`section "${title}" has no ${lang} block`);
  return m[1]!;
}

describe("repl-pki bundles on real MariaDB: up → runbook → replication over TLS", () => {
  const t0 = performance.now();
  let work: string;
  let pki: string;
  let out: string;
  let topologyFile: string;
  let source: MariadbServer;
  let replica: MariadbServer;
  const inc = (s: MariadbServer) => path.join(s.dir, "repl-pki.cnf");
  const tlsDir = (name: string) => path.join(work, name, "tls");
  const bundleDir = (name: string) => path.join(out, name);
  const runbook = (name: string) => readFileSync(path.join(bundleDir(name), "RUNBOOK.md"), "utf8");
  const haveMysqlUser = (() => {
    try {
      execFileSync("id", ["mysql"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  const cli = (args: string[]) => runCli([...args, "--dir", pki]);
  function writeTopology(o: { crl: "file" | "dir"; sourceHost?: string }) {
    const topology = {
      ca: { keyType: "ec-p256", intermediate: true },
      defaults: { server: "mariadb 10.11", crl: o.crl },
      servers: {
        source: { role: "source", hosts: ["localhost"], port: source.port, tlsDir: tlsDir("source") },
        replica: {
          role: "replica",
          hosts: ["replica.test"],
          follows: "source",
          sourceHost: o.sourceHost ?? "localhost",
          tlsDir: tlsDir("replica"),
        },
      },
    };
    writeFileSync(topologyFile, `${JSON.stringify(topology, null, 2)}\n`);
  }

  /** Runs a runbook shell block in the bundle directory, with `mariadb` reaching `server`. */
  async function sh(server: MariadbServer, name: string, script: string, env: NodeJS.ProcessEnv = {}) {
    const bin = path.join(work, `bin-${server.name}`);
    mkdirSync(bin, { recursive: true });
    const wrapper = path.join(bin, "mariadb");
    const client = findMariadb().client;
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec ${client} --no-defaults --socket=${server.socket} --user=root "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const r = await run("bash", ["-euo", "pipefail", "-c", script], {
      cwd: bundleDir(name),
      env: { PATH: `${bin}:${process.env["PATH"]}`, ...env },
    });
    if (r.code !== 0) throw new Error(`runbook block failed (${r.code}):\n${script}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** RUNBOOK steps "Install the files" and "Server settings": restart when the block changed, else reload. */
  async function applyFiles(server: MariadbServer, name: string): Promise<"restarted" | "reloaded"> {
    let install = runbookBlock(runbook(name), "Install the files", "sh");
    if (!haveMysqlUser) install = install.replace(/^chown .*$/m, "");
    await sh(server, name, install);
    const before = readFileSync(inc(server), "utf8");
    const after = spliceManagedBlock(before, readFileSync(path.join(bundleDir(name), "my.cnf"), "utf8"));
    if (after !== before) {
      writeFileSync(inc(server), after);
      await server.restart();
      return "restarted";
    }
    expect(runbook(name)).toContain("`FLUSH SSL;`");
    await server.sql("FLUSH SSL");
    return "reloaded";
  }

  const runAccounts = () =>
    sh(source, "source", runbookBlock(runbook("source"), "Replication accounts", "sh"), {
      REPL_PASSWORD_REPLICA: PASSWORD,
    });
  const runChannel = (script = runbookBlock(runbook("replica"), "Replication channel", "sh")) =>
    sh(replica, "replica", script, { REPL_PASSWORD_REPLICA: PASSWORD });
  const restartIo = () => replica.sql("STOP SLAVE IO_THREAD; START SLAVE IO_THREAD");

  let rowId = 0;
  async function rowArrives(timeoutMs = 15_000): Promise<boolean> {
    rowId += 1;
    await source.sql(`INSERT INTO e2e.t VALUES (${rowId}, 'row ${rowId}')`);
    try {
      await syncReplica(source, replica, timeoutMs);
    } catch {
      return false;
    }
    return (await replica.scalar(`SELECT v FROM e2e.t WHERE id = ${rowId}`)) === `row ${rowId}`;
  }

  beforeAll(async () => {
    const bins = findMariadb(); // throws the install hint: never a skip
    note(`server: ${bins.version}`);
    work = await createWorkDir("repl-pki-e2e-bundle-");
    pki = path.join(work, "pki");
    out = path.join(work, "bundles");
    topologyFile = path.join(work, "topology.json");
    for (const n of ["source", "replica"]) {
      mkdirSync(path.join(work, n), { recursive: true });
      // the DBA's own option file: the managed block is spliced in, the rest must survive
      writeFileSync(
        path.join(work, n, "repl-pki.cnf"),
        "# kept by the DBA\n[mysqld]\nmax_connections = 60\n",
      );
    }
    [source, replica] = await Promise.all([
      startServer({
        name: "source",
        baseDir: work,
        serverId: 1,
        logBin: true,
        extraCnf: `!include ${path.join(work, "source", "repl-pki.cnf")}`,
      }),
      startServer({
        name: "replica",
        baseDir: work,
        serverId: 2,
        extraCnf: `!include ${path.join(work, "replica", "repl-pki.cnf")}`,
      }),
    ]);
    note(`start: source ${source.timings.startMs[0]} ms, replica ${replica.timings.startMs[0]} ms`);
  });

  afterAll(async () => {
    await stopAllServers();
    note(`mariadbd left running: ${runningServerPids().length}`);
    note(`whole file: ${Math.round(performance.now() - t0)} ms`);
    console.info(`[bundle e2e report]\n  ${report.join("\n  ")}`);
  });

  it("1. replicates over verified TLS with the CRL as a file, applied exactly as the runbooks say", async () => {
    writeTopology({ crl: "file" });
    const up = await cli(["up", topologyFile, "--out", out]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/CA: created/);
    expect(statSync(path.join(bundleDir("replica"), "client-key.pem")).mode & 0o777).toBe(0o600);

    expect(await applyFiles(source, "source")).toBe("restarted");
    await runAccounts();
    expect(await applyFiles(replica, "replica")).toBe("restarted");
    await source.sql("CREATE DATABASE e2e; CREATE TABLE e2e.t (id INT PRIMARY KEY, v VARCHAR(64))");
    // Without the password, replica.sql stops before changing anything.
    const unset = await sh(replica, "replica", "mariadb < replica.sql").catch((e: Error) => e.message);
    expect(unset).toMatch(/Unknown column 'replica\.sql needs @repl_password: see RUNBOOK\.md'/);
    expect(await slaveStatus(replica)).toEqual({});
    await runChannel();

    const st = await waitForReplication(replica, ioRunning, 30_000, { what: "replication over TLS" });
    expect(st["Slave_IO_Running"]).toBe("Yes");
    expect(st["Master_SSL_Allowed"]).toBe("Yes");
    expect(st["Master_SSL_Verify_Server_Cert"]).toBe("Yes");
    expect(st["Master_SSL_Crl"]).toBe(path.join(tlsDir("replica"), "crl.pem"));
    expect(st["Master_SSL_Crlpath"]).toBe("");
    expect(st["Master_Host"]).toBe("localhost");
    expect(await rowArrives()).toBe(true);
    expect(await binlogDumpThreads(source, "repl_replica")).toHaveLength(1);
    const [v] = await source.query(
      "SELECT @@ssl_crl AS crl, @@require_secure_transport AS rst, @@tls_version AS tls, @@max_connections AS mc",
    );
    expect(v).toMatchObject({ crl: path.join(tlsDir("source"), "crl.pem"), rst: "1", mc: "60" });
    note(`source: tls_version=${v?.["tls"]}; replica: ${io(st)}`);

    const again = await cli(["up", topologyFile, "--out", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Nothing changed/);
  });

  it("4. refuses a replica dialling a host the source certificate does not name (repl-pki and MariaDB)", async () => {
    const before = readFileSync(path.join(bundleDir("replica"), "replica.sql"), "utf8");
    writeTopology({ crl: "file", sourceHost: "127.0.0.1" });
    const refused = await cli(["up", topologyFile, "--out", out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/replica \(MariaDB 10.11\) dials "127.0.0.1"/);
    expect(readFileSync(path.join(bundleDir("replica"), "replica.sql"), "utf8")).toBe(before);
    note(`up with sourceHost 127.0.0.1: ${refused.stderr.split("\n").slice(0, 2).join(" | ")}`);

    // What the refused bundle would have run: the same replica.sql with the other MASTER_HOST.
    const wrong = before.replace("MASTER_HOST = 'localhost'", "MASTER_HOST = '127.0.0.1'");
    expect(wrong).not.toBe(before);
    writeFileSync(path.join(work, "replica-wrong-host.sql"), wrong);
    const block = runbookBlock(runbook("replica"), "Replication channel", "sh");
    await runChannel(block.replace("cat replica.sql", `cat ${path.join(work, "replica-wrong-host.sql")}`));
    const st = await waitForReplication(replica, anyIoError, 30_000, { what: "host-name refusal" });
    expect(st["Last_IO_Errno"]).toBe("2026");
    expect(st["Last_IO_Error"]).toMatch(/SSL certificate validation failure/);
    note(`MASTER_HOST 127.0.0.1 vs DNS:localhost: ${io(st)}`);

    writeTopology({ crl: "file" });
    await runChannel();
    await waitForReplication(replica, ioRunning, 30_000, { what: "back on localhost" });
    expect(await rowArrives()).toBe(true);
  });

  it("5. a source whose CRL has expired refuses the replica, and up / bundle refuse to ship that CRL", async () => {
    const past = { ...systemDeps(), clock: () => new Date(Date.now() - 2 * DAY_MS) };
    refreshCrls({ dir: pki, days: 1 }, past); // every CA's CRL: nextUpdate one day ago

    const up = await cli(["up", topologyFile, "--out", out, "--no-crl-refresh"]);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/refused to ship crl\.pem: the CRL of the (root|intermediate) CA expired at/);
    const single = await cli(["bundle", "source", "--out", path.join(work, "single"), "--no-crl-refresh"]);
    expect(single.code).toBe(1);
    expect(single.stderr).toMatch(/CRL has expired/);
    const doctor = await cli(["doctor"]);
    expect(doctor.code).toBe(1);
    expect(`${doctor.stdout}${doctor.stderr}`).toMatch(/CRL[\s\S]*expired/);
    note(`up --no-crl-refresh with an expired CRL: exit 1, ${up.stderr.split("\n")[0]}`);

    // Deployed anyway (what the refusal prevents): the source loads it at FLUSH SSL.
    writeFileSync(path.join(tlsDir("source"), "crl.pem"), readFileSync(path.join(pki, "crl.pem")));
    await source.sql("FLUSH SSL");
    await restartIo();
    const st = await waitForReplication(replica, refusedAtConnect, 30_000, {
      what: "refusal by the expired CRL",
    });
    expect(["2013", "2026"]).toContain(st["Last_IO_Errno"]);
    expect(st["Slave_IO_Running"]).not.toBe("Yes");
    note(`source CRL expired: ${io(st)}`);

    // The fix is the runbook's CRL refresh: up regenerates the due CRLs, install, FLUSH SSL, restart the IO thread.
    const fixed = await cli(["up", topologyFile, "--out", out]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/CRLs: written/);
    expect(await applyFiles(source, "source")).toBe("reloaded");
    expect(await applyFiles(replica, "replica")).toBe("reloaded");
    await restartIo();
    await waitForReplication(replica, ioRunning, 30_000, { what: "running after the CRL refresh" });
    expect(await rowArrives()).toBe(true);
  });

  it("2. replicates with the CRL as a hashed directory (crl.d with several CRL generations)", async () => {
    writeTopology({ crl: "dir" });
    const up = await cli(["up", topologyFile, "--out", out]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/remove crl\.pem/);
    expect(await applyFiles(source, "source")).toBe("restarted");
    expect(await applyFiles(replica, "replica")).toBe("restarted");
    await runChannel(); // the CRL options of the channel changed
    const st = await waitForReplication(replica, ioRunning, 30_000, { what: "replication with crl.d" });
    expect(st["Master_SSL_Crl"]).toBe("");
    expect(st["Master_SSL_Crlpath"]).toBe(path.join(tlsDir("replica"), "crl.d"));
    expect(st["Master_SSL_Verify_Server_Cert"]).toBe("Yes");
    const [v] = await source.query("SELECT @@ssl_crl AS crl, @@ssl_crlpath AS crlpath");
    expect(v).toMatchObject({ crl: "NULL", crlpath: path.join(tlsDir("source"), "crl.d") });
    expect(await rowArrives()).toBe(true);
    note(
      `crl.d on the source: ${execFileSync("ls", [path.join(tlsDir("source"), "crl.d")], { encoding: "utf8" })
        .trim()
        .split("\n")
        .join(" ")}`,
    );
  });

  it("3. a revoked replica is refused after the CRL refresh, FLUSH SSL and KILL of its connection", async () => {
    const revoked = await cli(["revoke", "replica.client", "--reason", "keyCompromise"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const up = await cli(["up", topologyFile, "--out", out]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/replica\.client\.2\s+reissued/);

    // Only the source gets its new files: the replica still holds the revoked certificate.
    await sh(
      source,
      "source",
      runbookBlock(runbook("source"), "Install the files", "sh").replace(
        /^chown .*$/m,
        haveMysqlUser ? "$&" : "",
      ),
    );
    expect(await rowArrives()).toBe(true); // the live connection is never re-verified
    const steps = runbookBlock(runbook("source"), "After a revocation", "sql").trim().split("\n");
    expect(steps[0]).toBe("FLUSH SSL;");
    await source.sql(steps[0]!);
    expect(await rowArrives()).toBe(true); // still: FLUSH SSL alone does not end it
    const ids = await source.sql(steps[1]!);
    expect(ids).toHaveLength(1);
    for (const [id] of ids) await source.sql(steps[2]!.replace("<ID>", id!));
    const st = await waitForReplication(replica, refusedAtConnect, 30_000, {
      what: "revoked replica refused",
    });
    expect(["2013", "2026"]).toContain(st["Last_IO_Errno"]);
    expect(await rowArrives(2_000)).toBe(false);
    expect(await binlogDumpThreads(source, "repl_replica")).toHaveLength(0);
    note(`revoked replica after FLUSH SSL + KILL: ${io(st)}`);

    // The replica's new bundle (replica.client.2 at the same paths) + an IO-thread restart: back.
    expect(await applyFiles(replica, "replica")).toBe("reloaded");
    await restartIo();
    await waitForReplication(replica, ioRunning, 30_000, { what: "running with the reissued certificate" });
    expect(await rowArrives()).toBe(true);
    expect((await slaveStatus(replica))["Last_IO_Errno"]).toBe("0");
  });
});
