// `repl-pki verify` and `repl-pki check-host` in-process: a CA made with the CLI in a temp dir, the
// clock injected through runCli's deps, exit codes 0/1/2/3, --json, and bad input refused with a
// typed error and no stack.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckHostResult } from "../../src/api/check-host.js";
import type { VerifyReport } from "../../src/core/verify/verify.js";
import { pemDecodeAll } from "../../src/core/x509/pem.js";
import { runCli } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/deps.js";
import { DAY, EXT, makeCert } from "../helpers/pki-builder.js";

const T0 = FIXED_NOW.getTime();
const at = (ms: number) => ({ deps: { clock: () => new Date(ms) } });

let dir = "";
let files = "";
const p = (...parts: string[]) => join(dir, ...parts);

async function ok(argv: string[]) {
  const r = await runCli(argv, at(T0));
  expect(r.code, `${argv.join(" ")}\n${r.stderr}`).toBe(0);
  return r;
}

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), "repl-pki-verify-cli-"));
  dir = join(base, "pki");
  files = base;
  await ok(["init-ca", "--dir", dir, "--key-type", "ec-p256", "--intermediate"]);
  await ok(["issue", "server", "db1", "--dir", dir, "--host", "db1.example.com", "--ip", "10.0.0.5"]);
  await ok(["issue", "replica", "r1", "--dir", dir]);
  await ok(["crl", "--dir", dir]);
  const t = { notBefore: new Date(T0 - DAY), notAfter: new Date(T0 + 30 * DAY) };
  const selfSigned = makeCert({ cn: "db1.example.com", ...t, ext: EXT.leaf() });
  writeFileSync(join(files, "self-signed.pem"), selfSigned.pem);
  const autoCa = makeCert({ cn: "MySQL_Server_8.0.40_Auto_Generated_CA_Certificate", ...t, ext: EXT.ca() });
  const auto = makeCert({
    cn: "MySQL_Server_8.0.40_Auto_Generated_Server_Certificate",
    issuer: autoCa,
    ...t,
  });
  writeFileSync(join(files, "auto-ca.pem"), autoCa.pem);
  writeFileSync(join(files, "auto-server.pem"), auto.pem);
  const crl = readFileSync(p("crl.pem"), "latin1");
  writeFileSync(join(files, "root-crl-only.pem"), crl.slice(0, crl.indexOf("-----END X509 CRL-----") + 23));
  writeFileSync(join(files, "empty.pem"), "");
  writeFileSync(join(files, "text.pem"), "hello, not a certificate\n");
  writeFileSync(join(files, "db1.der"), pemDecodeAll(readFileSync(p("certs", "db1.pem"), "latin1"))[0]!.der);
});

afterAll(() => rmSync(files, { recursive: true, force: true }));

const base = () => ["verify", "--cert", p("certs", "db1.pem"), "--ca", p("ca", "chain.pem")];

describe("verify", () => {
  it("accepts a good chain with CRLs and the right host: exit 0, one line per check", async () => {
    const r = await ok([...base(), "--crl", p("crl.pem"), "--host", "db1.example.com"]);
    expect(r.stdout).toMatch(/^verify .* as a server certificate, host db1\.example\.com \(mysql-8\)/);
    for (const check of [
      "chain",
      "ca",
      "purpose",
      "identity",
      "crl",
      "signature",
      "validity",
      "self-signed",
      "eku",
    ])
      expect(r.stdout).toMatch(new RegExp(`^PASS  ${check} `, "m"));
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).toMatch(/ACCEPTED/);
  });
  it("fails a chain whose root has no CRL (CRL_CHECK_ALL) with OpenSSL's words: exit 1", async () => {
    const r = await runCli([...base(), "--crl", join(files, "root-crl-only.pem")], at(T0));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}crl +\[0\] {2}error 3 at 0 depth lookup: unable to get certificate CRL/m,
    );
    expect(r.stderr).toMatch(
      /^error: verification failed: error 3 at 0 depth lookup: unable to get certificate CRL\n/,
    );
    expect(r.stderr).toMatch(/hint: every CA of the chain, the root too, needs a current CRL/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("says CRL has expired at --at past nextUpdate, and --json gives one report with exit 1", async () => {
    const r = await runCli(
      [...base(), "--crl", p("crl.pem"), "--at", new Date(T0 + 40 * DAY).toISOString(), "--json"],
      at(T0),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const rep = JSON.parse(r.stdout) as VerifyReport;
    expect(rep.ok).toBe(false);
    expect(rep.openssl.error).toMatchObject({ code: 12, depth: 0, text: "CRL has expired" });
    expect(rep.checks.find((c) => c.check === "crl")?.status).toBe("fail");
  });
  it("reports an IP host without an iPAddress SAN as error 64 on mysql-8", async () => {
    const r = await runCli([...base(), "--host", "10.0.0.6"], at(T0));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}identity .*error 64 at 0 depth lookup: IP address mismatch/);
  });
  it("checks a replica certificate with --purpose client, and refuses it as a server (error 26)", async () => {
    const replica = ["verify", "--cert", p("certs", "r1.pem"), "--ca", p("ca", "chain.pem")];
    expect((await runCli([...replica, "--purpose", "client"], at(T0))).code).toBe(0);
    const r = await runCli(replica, at(T0));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
  });
  it("rejects look-alikes that OpenSSL accepts: an auto-generated server certificate", async () => {
    const r = await runCli(
      ["verify", "--cert", join(files, "auto-server.pem"), "--ca", join(files, "auto-ca.pem")],
      at(T0),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PASS {2}chain/m);
    expect(r.stdout).toMatch(/^FAIL {2}auto-generated .*VERIFY_IDENTITY impossible/m);
    expect(r.stdout).toMatch(/NOT USABLE/);
  });
  it("rejects a self-signed leaf with error 18", async () => {
    const r = await runCli(
      ["verify", "--cert", join(files, "self-signed.pem"), "--ca", p("ca", "chain.pem")],
      at(T0),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}chain .*error 18 at 0 depth lookup: self-signed certificate/);
    expect(r.stdout).toMatch(/FAIL {2}self-signed/);
  });
  it.each([
    ["an empty file", "empty.pem", /is empty/],
    ["a text file", "text.pem", /is not a PEM file/],
    ["a DER certificate", "db1.der", /is a DER certificate; mysqld reads PEM only/],
  ])("refuses %s as the certificate: exit 3", async (_what, file, msg) => {
    const r = await runCli(["verify", "--cert", join(files, file), "--ca", p("ca", "chain.pem")], at(T0));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it.each([
    ["a private key", () => p("keys", "db1.key"), /holds a private key, not a certificate/],
    ["a CRL (wrong label)", () => p("crl.pem"), /holds PEM "X509 CRL", "X509 CRL" but not a PEM certificate/],
    ["a missing file", () => join(files, "nope.pem"), /no certificate file/],
  ])("refuses %s as the certificate: exit 3", async (_what, file, msg) => {
    const r = await runCli(["verify", "--cert", file(), "--ca", p("ca", "chain.pem"), "--json"], at(T0));
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toMatch(msg);
  });
  it("refuses a DER or certificate-only file as the CRL: exit 3", async () => {
    const r = await runCli([...base(), "--crl", p("ca", "chain.pem")], at(T0));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/but not a PEM CRL/);
  });
  it.each([["*."], [".."], ["a b"], ["[::1]"], [`${"a".repeat(300)}.example.com`]])(
    "refuses the host %j: exit 2, before reading any file",
    async (host) => {
      const r = await runCli(
        ["verify", "--cert", join(files, "nope.pem"), "--ca", p("ca", "chain.pem"), "--host", host],
        at(T0),
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: invalid host/);
    },
  );
  it.each([
    [["verify", "--ca", "x.pem"], /required option '--cert <file>'/],
    [["verify", "--cert", "x.pem"], /give --ca FILE or --capath DIR/],
    [["verify", "--cert", "x.pem", "--ca", "y", "--flavour", "mysql-9"], /unknown server flavour/],
    [["verify", "--cert", "x.pem", "--ca", "y", "--purpose", "peer"], /unknown purpose/],
    [["verify", "--cert", "x.pem", "--ca", "y", "--at", "tomorrow"], /not an ISO 8601 UTC time/],
    [
      ["verify", "--cert", "x.pem", "--ca", "y", "--purpose", "client", "--host", "db1"],
      /--host only applies/,
    ],
  ])("usage errors exit 2: %j", async (argv, msg) => {
    const r = await runCli(argv, at(T0));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});

describe("check-host", () => {
  const cert = () => p("certs", "db1.pem");
  it.each([
    ["db1.example.com", "mysql-8", 0],
    ["DB1.EXAMPLE.COM", "mysql-8", 0],
    ["10.0.0.5", "mysql-8", 0],
    ["db2.example.com", "mysql-8", 1],
    ["db1.example.com", "mysql-5.7", 0],
    ["10.0.0.5", "mysql-5.7", 1],
    ["10.0.0.5", "mariadb", 0],
  ])("%s on %s: exit %i", async (host, flavour, code) => {
    const r = await runCli(["check-host", cert(), host, "--flavour", flavour], at(T0));
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toMatch(code === 0 ? /^MATCH {2}/ : /^NO MATCH {2}/);
    if (code === 1) expect(r.stderr).toMatch(/^error: .* does not match .*\nhint: /);
  });
  it("explains an IP host against a CN-only match per flavour, in --json", async () => {
    const r = await runCli(["check-host", cert(), "10.0.0.5", "--flavour", "mysql-5.7", "--json"], at(T0));
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout) as CheckHostResult;
    expect(res).toMatchObject({ match: false, nameMatch: false, flavour: "mysql-5.7" });
    expect(res.reason).toMatch(/first CN "db1\.example\.com" is not "10\.0\.0\.5"/);
  });
  it("rejects a self-signed certificate even when its name matches", async () => {
    const r = await runCli(
      ["check-host", join(files, "self-signed.pem"), "db1.example.com", "--json"],
      at(T0),
    );
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout) as CheckHostResult;
    expect(res.nameMatch).toBe(true);
    expect(res.rejections.map((x) => x.id)).toEqual(["self-signed"]);
  });
  it("rejects an auto-generated certificate", async () => {
    const r = await runCli(["check-host", join(files, "auto-server.pem"), "db1.example.com"], at(T0));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/auto-generated/);
  });
  it.each([["*."], [".."], ["a b"], ["[::1]"], [`${"a".repeat(300)}.example.com`], ["db1.example.com:3306"]])(
    "exit 2 for the host %j",
    async (host) => {
      const r = await runCli(["check-host", cert(), host], at(T0));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: invalid host .*\nhint: /);
    },
  );
  it("exit 3 for a key instead of a certificate", async () => {
    const r = await runCli(["check-host", p("keys", "db1.key"), "db1.example.com"], at(T0));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/holds a private key/);
  });
});
