// In-process CLI tests: a fresh commander program per run, real files in a temp dir.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { snapshot, tempDir } from "../helpers/tmp.js";

async function newCa(extra: string[] = []) {
  const dir = join(tempDir(), "pki");
  const r = await runCli(["init-ca", "--dir", dir, "--key-type", "ec-p256", ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe("init-ca", () => {
  it("creates a CA with 0700 directories and 0600 keys, and refuses to touch it again", async () => {
    const dir = await newCa(["--intermediate"]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "ca", "root.key")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "ca", "intermediate.key")).mode & 0o777).toBe(0o600);
    const before = snapshot(dir);
    const again = await runCli(["init-ca", "--dir", dir]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/^error: a CA already exists/);
    expect(again.stderr).toMatch(/hint: .*another --dir/);
    expect(snapshot(dir)).toEqual(before);
  });
  it("takes --dir from REPL_PKI_DIR", async () => {
    const dir = join(tempDir(), "from-env");
    const r = await runCli(["init-ca", "--key-type", "ec-p256"], { env: { REPL_PKI_DIR: dir } });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "repl-pki.json"))).toBe(true);
  });
  it.each([
    [["--key-type", "dsa-1024"], 2, /unknown key type/],
    [["--days", "0"], 2, /--days/],
    [["--cn", "a/b"], 2, /invalid CA common name/],
    [["--bogus"], 2, /unknown option/],
  ])("rejects %j with exit %i and writes nothing", async (args, code, msg) => {
    const dir = join(tempDir(), "pki");
    const r = await runCli(["init-ca", "--dir", dir, ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("issue", () => {
  it("issues server, replica and relay certificates listed in the index", async () => {
    const dir = await newCa();
    expect(
      (
        await runCli([
          "issue",
          "server",
          "db1",
          "--dir",
          dir,
          "--host",
          "db1.example.com",
          "--ip",
          "10.0.0.5",
        ])
      ).code,
    ).toBe(0);
    expect((await runCli(["issue", "replica", "r1", "--dir", dir])).code).toBe(0);
    expect(
      (await runCli(["issue", "relay", "relay1", "--dir", dir, "--host", "relay1.example.com"])).code,
    ).toBe(0);
    expect(statSync(join(dir, "keys", "r1.key")).mode & 0o777).toBe(0o600);
    const list = JSON.parse((await runCli(["list", "--dir", dir, "--json"])).stdout);
    expect(list.map((c: { name: string; role: string }) => `${c.name}:${c.role}`)).toEqual([
      "root:root-ca",
      "db1:server",
      "r1:replica",
      "relay1:relay",
    ]);
    expect(list[1].sans).toBe("DNS:db1.example.com,IP:10.0.0.5");
    const text = (await runCli(["list", "--dir", dir])).stdout;
    expect(text).toMatch(/^NAME\s+ROLE\s+SERIAL/);
    expect(text).toContain("relay1");
  });
  it.each([
    [["issue", "server", "db1", "--host", "db 1"], 2, "INVALID_HOST"],
    [["issue", "server", "db1", "--host", "db1.example.com*"], 2, "INVALID_HOST"],
    [["issue", "server", "db1", "--ip", "999.1.1.1"], 2, "INVALID_HOST"],
    [["issue", "server", "db1"], 2, "MISSING_ARGUMENT"],
    [["issue", "replica", "Bad_Name"], 2, "INVALID_NAME"],
    [["issue", "replica", "r9", "--key-type", "ed448"], 2, "INVALID_OPTION_VALUE"],
    [["issue", "replica", "root"], 3, "NAME_ALREADY_ISSUED"],
    [["issue", "replica", "dup"], 3, "NAME_ALREADY_ISSUED"],
    [["issue", "server", "x", "--host", "repl-pki Root CA"], 2, "INVALID_HOST"],
  ])("%j fails with exit %i (%s), JSON error, nothing written", async (argv, code, errCode) => {
    const dir = await newCa();
    expect((await runCli(["issue", "replica", "dup", "--dir", dir])).code).toBe(0);
    const before = snapshot(dir);
    const r = await runCli([...argv, "--dir", dir, "--json"]);
    expect(r.code).toBe(code);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe(errCode);
    expect(err.hint).toBeTruthy();
    expect(snapshot(dir)).toEqual(before);
  });
  it("refuses a leaf CN equal to the CA's CN", async () => {
    const dir = await newCa(["--cn", "replcn"]);
    const r = await runCli(["issue", "replica", "replcn", "--dir", dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/equals a CA's CN/);
  });
  it("fails clearly on a missing CA directory", async () => {
    const r = await runCli(["issue", "replica", "r1", "--dir", join(tempDir(), "nope")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: no CA in .*\nhint: create one with: repl-pki init-ca/);
  });
  it("names the missing repl-pki.json of a CA directory instead of suggesting init-ca", async () => {
    const dir = await newCa();
    rmSync(join(dir, "repl-pki.json"));
    const r = await runCli(["list", "--dir", dir, "--json"]);
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe("CA_CORRUPT");
    expect(err.message).toMatch(/repl-pki\.json is missing/);
  });
  it("fails clearly on a corrupt CA certificate and on a CA key that does not match", async () => {
    const dir = await newCa();
    const other = await newCa();
    writeFileSync(join(dir, "ca", "root.key"), readFileSync(join(other, "ca", "root.key")));
    let r = await runCli(["issue", "replica", "r1", "--dir", dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/does not match the CA certificate/);
    writeFileSync(
      join(dir, "ca", "root.pem"),
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    r = await runCli(["issue", "replica", "r1", "--dir", dir, "--json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe("CA_CORRUPT");
  });
  it("reuses a name whose files a crash left behind without an index line", async () => {
    const dir = await newCa();
    writeFileSync(join(dir, "certs", "ghost.pem"), "left by a crash");
    const r = await runCli(["issue", "replica", "ghost", "--dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "certs", "ghost.pem"), "latin1")).toContain("BEGIN CERTIFICATE");
  });
});

describe("show", () => {
  it("shows a certificate by NAME and by serial in any accepted form", async () => {
    const dir = await newCa();
    await runCli(["issue", "replica", "r1", "--dir", dir]);
    const byName = JSON.parse((await runCli(["show", "r1", "--dir", dir, "--json"])).stdout);
    expect(byName.require.subject.openssl3).toBe("/CN=r1");
    expect(byName.require.issuer.openssl3).toBe("/CN=repl-pki Root CA");
    expect(byName.extendedKeyUsage).toEqual(["clientAuth"]);
    const colon = byName.serial.match(/../g).join(":").toLowerCase();
    const bySerial = JSON.parse((await runCli(["show", "--serial", colon, "--dir", dir, "--json"])).stdout);
    expect(bySerial.name).toBe("r1");
    const dec = BigInt(`0x${byName.serial}`).toString();
    expect(
      JSON.parse((await runCli(["show", "--serial-decimal", dec, "--dir", dir, "--json"])).stdout).name,
    ).toBe("r1");
    const text = (await runCli(["show", "r1", "--dir", dir])).stdout;
    expect(text).toContain("REQUIRE SUBJECT '/CN=r1' AND ISSUER '/CN=repl-pki Root CA'");
  });
  it("errors on an unknown name and on ambiguous selectors", async () => {
    const dir = await newCa();
    expect((await runCli(["show", "nope", "--dir", dir])).code).toBe(3);
    expect((await runCli(["show", "r1", "--serial", "AB", "--dir", dir])).code).toBe(2);
    expect((await runCli(["show", "--serial", "zz", "--dir", dir])).code).toBe(2);
  });
});
