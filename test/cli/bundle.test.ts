// `repl-pki up` and `repl-pki bundle` in-process: real files in temp dirs.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

function files(dir: string): Record<string, { mode: number; mtime: number; text: string }> {
  const out: Record<string, { mode: number; mtime: number; text: string }> = {};
  const walk = (d: string, rel: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else {
        const st = statSync(join(d, e.name));
        out[r] = { mode: st.mode & 0o777, mtime: st.mtimeMs, text: readFileSync(join(d, e.name), "latin1") };
      }
    }
  };
  walk(dir, "");
  return out;
}

function setup(servers?: Record<string, unknown>) {
  const root = tempDir();
  const topo = join(root, "topology.json");
  const write = (s: Record<string, unknown>) =>
    writeFileSync(topo, JSON.stringify({ ca: { keyType: "ec-p256" }, servers: s }, null, 2));
  write(
    servers ?? {
      db1: { role: "source", hosts: ["db1.example.com", "10.0.0.1"] },
      db2: {
        role: "replica",
        hosts: ["db2.example.com"],
        follows: "db1",
        server: "mysql 8.0.36",
        crl: "dir",
      },
    },
  );
  const pki = join(root, "pki");
  const out = join(root, "bundles");
  const up = (...extra: string[]) => runCli(["up", topo, "--dir", pki, "--out", out, ...extra]);
  return { root, topo, pki, out, up, write };
}

describe("repl-pki up", () => {
  it("creates the CA, certificates, CRLs and bundles, then changes nothing on a second run", async () => {
    const s = setup();
    const dry = await s.up("--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/CA: would be created/);
    expect(dry.stdout).toMatch(/db2\.client\s+would issue/);
    expect(existsSync(s.pki) || existsSync(s.out)).toBe(false);

    const first = await s.up();
    expect(first.code, first.stderr).toBe(0);
    const b = files(s.out);
    expect(
      Object.keys(b)
        .filter((f) => !f.includes("crl.d/"))
        .sort(),
    ).toEqual([
      "db1/RUNBOOK.md",
      "db1/ca.pem",
      "db1/cert.pem",
      "db1/crl.pem",
      "db1/key.pem",
      "db1/my.cnf",
      "db1/source.sql",
      "db2/RUNBOOK.md",
      "db2/ca.pem",
      "db2/cert.pem",
      "db2/client-cert.pem",
      "db2/client-key.pem",
      "db2/key.pem",
      "db2/my.cnf",
      "db2/replica.sql",
    ]);
    expect(Object.keys(b).some((f) => /^db1\/crl\.d\/[0-9a-f]{8}\.r0$/.test(f))).toBe(true);
    for (const k of ["db1/key.pem", "db2/key.pem", "db2/client-key.pem"]) expect(b[k]!.mode).toBe(0o600);
    expect(b["db1/source.sql"]!.text).toContain(
      "REQUIRE SUBJECT ''/CN=db2.client'' AND ISSUER ''/CN=repl-pki Root CA''",
    );
    expect(b["db2/replica.sql"]!.text).toMatch(
      /CHANGE REPLICATION SOURCE TO\n {2}SOURCE_HOST = 'db1\.example\.com'/,
    );
    expect(b["db2/replica.sql"]!.text).toContain("SOURCE_SSL_CRLPATH = '/etc/mysql/tls/crl.d'");
    expect(b["db2/RUNBOOK.md"]!.text).toContain("SHOW REPLICA STATUS\\G");

    const second = await s.up();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Nothing changed: every certificate, CRL and bundle is current\./);
    expect(files(s.out)).toEqual(b);

    const json = await s.up("--json");
    const r = JSON.parse(json.stdout);
    expect(r.changed).toBe(false);
    expect(r.certificates.map((c: { name: string; action: string }) => `${c.name}:${c.action}`)).toEqual([
      "db1:keep",
      "db2:keep",
      "db2.client:keep",
    ]);
    expect(r.edges[0]).toMatchObject({ replica: "db2", host: "db1.example.com", match: true });
  });

  it("reissues a source whose hosts changed, keeps edits outside the managed block and foreign files", async () => {
    const s = setup();
    expect((await s.up()).code).toBe(0);
    const cnf = join(s.out, "db1", "my.cnf");
    writeFileSync(cnf, `# mine\n[mysqld]\nmax_connections = 7\n\n${readFileSync(cnf, "utf8")}`);
    writeFileSync(join(s.out, "db1", "notes.txt"), "keep me");
    s.write({
      db1: { role: "source", hosts: ["db1.example.com", "db1.internal", "10.0.0.1"], crl: "dir" },
      db2: { role: "replica", hosts: ["db2.example.com"], follows: "db1", sourceHost: "db1.internal" },
    });
    const r = await s.up();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/db1\.2\s+reissued/);
    expect(r.stdout).toMatch(/hosts changed/);
    expect(r.stdout).toMatch(
      /Superseded: db1 \(serial [0-9A-F]+\); .*repl-pki revoke db1 --reason superseded/,
    );
    expect(r.stdout).toMatch(/remove crl\.pem/);
    expect(existsSync(join(s.out, "db1", "crl.pem"))).toBe(false);
    expect(readFileSync(join(s.out, "db1", "notes.txt"), "utf8")).toBe("keep me");
    const text = readFileSync(cnf, "utf8");
    expect(text).toMatch(/^# mine\n\[mysqld\]\nmax_connections = 7\n\n# BEGIN repl-pki managed block/);
    expect(text).toContain("ssl_crlpath = /etc/mysql/tls/crl.d");
    expect(text).not.toContain("ssl_crl =");
    expect(readFileSync(join(s.out, "db2", "replica.sql"), "utf8")).toContain("MASTER_HOST = 'db1.internal'");
  });

  it("--dry-run on an existing CA lists the reissue and the bundles it affects, and writes nothing", async () => {
    const s = setup();
    expect((await s.up()).code).toBe(0);
    const before = files(s.root);
    s.write({
      db1: { role: "source", hosts: ["db1.example.com", "10.0.0.1"] },
      db2: {
        role: "replica",
        hosts: ["db2.example.net"],
        follows: "db1",
        server: "mysql 8.0.36",
        crl: "dir",
      },
    });
    const dry = await s.up("--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/db2\.2\s+would reissue/);
    expect(dry.stdout).toMatch(/db1: unchanged/);
    expect(dry.stdout).toMatch(/db2: would be written once its certificates and CRLs are made/);
    const { [join("topology.json")]: _t, ...rest } = files(s.root);
    const { [join("topology.json")]: _b, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
  });

  it("refuses an edge whose dialled host the source certificate does not name, before writing anything", async () => {
    const s = setup({
      db1: { role: "source", hosts: ["db1.example.com"] },
      db2: { role: "replica", hosts: ["db2.example.com"], follows: "db1", sourceHost: "10.0.0.1" },
    });
    const r = await s.up();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: refused: replication would fail with MASTER_SSL_VERIFY_SERVER_CERT=1/);
    expect(r.stderr).toMatch(/db2 \(MariaDB 10\.11\) dials "10\.0\.0\.1"/);
    expect(r.stderr).toMatch(/hint: add the dialled host/);
    expect(existsSync(s.pki)).toBe(false);
  });

  it("reports topology problems with the field path and line (exit 3)", async () => {
    const s = setup({ db1: { role: "source", hosts: ["db1.example.com"], tlsdir: "/x" } });
    const r = await s.up();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /topology\.json:\d+: servers\.db1\.tlsdir: unknown field \(did you mean "tlsDir"\?\)/,
    );
    const missing = await runCli(["up", join(s.root, "nope.json"), "--dir", s.pki]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no topology file/);
  });
});

describe("repl-pki bundle", () => {
  async function quickstart() {
    const root = tempDir();
    const pki = join(root, "pki");
    const cli = (...a: string[]) => runCli([...a, "--dir", pki]);
    expect((await cli("init-ca", "--key-type", "ec-p256")).code).toBe(0);
    expect((await cli("issue", "server", "source1", "--host", "source1.example.com")).code).toBe(0);
    expect((await cli("issue", "replica", "replica1")).code).toBe(0);
    return { root, pki, cli, out: join(root, "b") };
  }

  it("prefers the source whose certificate names the dialled host exactly over a wildcard one", async () => {
    const q = await quickstart();
    expect((await q.cli("issue", "server", "wild", "--host", "*.example.com")).code).toBe(0);
    const rep = await q.cli("bundle", "replica1", "--out", q.out, "--source-host", "source1.example.com");
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/matches dNSName:source1\.example\.com/);
    expect(readFileSync(join(q.out, "replica1", "replica.sql"), "utf8")).not.toContain("wild");
    expect((await q.cli("issue", "server", "wild2", "--host", "*.example.com")).code).toBe(0);
    const amb = await q.cli(
      "bundle",
      "replica1",
      "--out",
      q.out,
      "--source-host",
      "other.example.com",
      "--json",
    );
    expect(amb.code).toBe(2);
    expect(JSON.parse(amb.stdout).error.message).toMatch(
      /2 server certificates match "other\.example\.com": wild, wild2/,
    );
  });

  it("bundles the quick-start source and replica on the defaults (MariaDB 10.11, port 3306, both CRL forms)", async () => {
    const q = await quickstart();
    const src = await q.cli("bundle", "source1", "--out", q.out);
    expect(src.code, src.stderr).toBe(0);
    expect(src.stdout).toMatch(/Next: follow .*source1\/RUNBOOK\.md on source1/);
    const sql = readFileSync(join(q.out, "source1", "source.sql"), "utf8");
    expect(sql).toContain("GRANT REPLICATION SLAVE ON *.* TO 'repl_replica1'@'%';");
    expect(sql).toContain(
      "ALTER USER 'repl_replica1'@'%' REQUIRE SUBJECT '/CN=replica1' AND ISSUER '/CN=repl-pki Root CA';",
    );
    const rep = await q.cli("bundle", "replica1", "--out", q.out);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(
      /Identity: replica1 dials "source1\.example\.com": .*matches dNSName:source1\.example\.com/,
    );
    const dir = join(q.out, "replica1");
    expect(readdirSync(dir).sort()).toEqual([
      "RUNBOOK.md",
      "ca.pem",
      "client-cert.pem",
      "client-key.pem",
      "crl.d",
      "crl.pem",
      "replica.sql",
    ]);
    const replicaSql = readFileSync(join(dir, "replica.sql"), "utf8");
    expect(replicaSql).toContain("MASTER_HOST = 'source1.example.com',\n  MASTER_PORT = 3306,");
    expect(replicaSql).toContain(
      "MASTER_SSL_CRL = '/etc/mysql/tls/crl.pem',\n  MASTER_SSL_CRLPATH = '/etc/mysql/tls/crl.d',",
    );
    expect(replicaSql).toMatch(/START SLAVE;\n$/);
    expect((await q.cli("bundle", "replica1", "--out", q.out)).stdout).toMatch(/unchanged/);
  });

  it("uses the flavour and version given, and refuses a host the source certificate lacks", async () => {
    const q = await quickstart();
    const mysql = await q.cli(
      "bundle",
      "replica1",
      "--out",
      q.out,
      "--flavour",
      "mysql",
      "--version",
      "8.4.3",
      "--crl",
      "file",
      "--port",
      "3307",
    );
    expect(mysql.code, mysql.stderr).toBe(0);
    const sql = readFileSync(join(q.out, "replica1", "replica.sql"), "utf8");
    expect(sql).toMatch(
      /STOP REPLICA;\nCHANGE REPLICATION SOURCE TO\n {2}SOURCE_HOST = 'source1\.example\.com',\n {2}SOURCE_PORT = 3307,/,
    );
    expect(sql).toContain("SOURCE_TLS_VERSION = 'TLSv1.2,TLSv1.3'");
    expect(existsSync(join(q.out, "replica1", "crl.d"))).toBe(false);

    const wrong = await q.cli(
      "bundle",
      "replica1",
      "--out",
      join(q.root, "w"),
      "--source-host",
      "db9.example.com",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no server certificate of this CA matches "db9\.example\.com"/);
    expect(existsSync(join(q.root, "w"))).toBe(false);
    const noVersion = await q.cli("bundle", "replica1", "--out", q.out, "--flavour", "mysql");
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toMatch(/--flavour mysql needs --version/);
    expect((await q.cli("bundle", "replica1", "--out", q.out, "--crl", "hashed")).code).toBe(2);
    expect((await q.cli("bundle", "replica1", "--out", q.out, "--tls-dir", "/etc/my sql")).code).toBe(2);
    expect((await q.cli("bundle", "replica1")).code).toBe(2); // --out is required
  });

  it("refuses a CRL inside the safety window unless it may refresh it", async () => {
    const q = await quickstart();
    expect((await q.cli("crl", "--days", "3")).code).toBe(0);
    const refused = await q.cli("bundle", "source1", "--out", q.out, "--no-crl-refresh");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /refused to ship crl\.pem: the CRL of the root CA expires at .*, inside the 7-day safety window/,
    );
    expect(existsSync(q.out)).toBe(false);
    const ok = await q.cli("bundle", "source1", "--out", q.out);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/CRLs: regenerated/);
  });
});
