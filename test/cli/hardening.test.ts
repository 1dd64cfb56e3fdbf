// Failure modes found by review: a lost revocation line, a revoked intermediate, a failed issue,
// loose key permissions, and exit codes behind a closed pipe.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { exec } from "../helpers/exec.js";
import { tempDir } from "../helpers/tmp.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "repl-pki.js");

async function ok(argv: string[]) {
  const r = await runCli(argv);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function newCa(intermediate = false) {
  const dir = join(tempDir(), "pki");
  await ok(["init-ca", "--dir", dir, "--key-type", "ec-p256", ...(intermediate ? ["--intermediate"] : [])]);
  return dir;
}

describe("never a lost revocation", () => {
  it("refuses to publish a CRL with fewer entries than the last one (index lost its revocation line)", async () => {
    const dir = await newCa();
    await ok(["issue", "replica", "r1", "--dir", dir]);
    await ok(["revoke", "r1", "--dir", dir]);
    const index = join(dir, "index.log");
    const text = readFileSync(index, "latin1");
    truncateSync(index, text.lastIndexOf("\nR\t") + 1); // the revocation line is gone
    const crlBefore = readFileSync(join(dir, "crl.pem"), "latin1");
    const r = await runCli(["crl", "--dir", dir, "--json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe("INDEX_CORRUPT");
    expect(JSON.parse(r.stdout).error.message).toMatch(
      /lists 0 revocations by the root CA, but its last CRL listed 1/,
    );
    expect(readFileSync(join(dir, "crl.pem"), "latin1")).toBe(crlBefore);
  });
});

describe("a revoked intermediate", () => {
  it("signs nothing more, and doctor reports it and its certificates as critical", async () => {
    const dir = await newCa(true);
    await ok(["issue", "replica", "r1", "--dir", dir]);
    await ok(["revoke", "intermediate", "--dir", dir, "--reason", "caCompromise"]);
    const r = await runCli(["issue", "replica", "r2", "--dir", dir, "--json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe("CA_REVOKED");
    expect(existsSync(join(dir, "certs", "r2.pem"))).toBe(false);
    const d = await runCli(["doctor", "--dir", dir, "--json"]);
    expect(d.code).toBe(1);
    const findings = JSON.parse(d.stdout).findings as Array<{
      severity: string;
      item: string;
      check: string;
    }>;
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: "critical", item: "CA intermediate", check: "revocation" }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: "critical", item: "cert r1", check: "issuer" }),
    );
  });
});

describe("issue", () => {
  it("leaves nothing behind when the index cannot be written", async () => {
    const dir = await newCa();
    rmSync(join(dir, "index.log"));
    mkdirSync(join(dir, "index.log")); // appending fails with EISDIR after the key and cert were written
    const r = await runCli(["issue", "replica", "r1", "--dir", dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: failed to append to .*index\.log/);
    expect(readdirSync(join(dir, "certs"))).toEqual([]);
    expect(readdirSync(join(dir, "keys"))).toEqual([]);
    expect(readdirSync(join(dir, "serials"))).toEqual([]);
  });
});

describe("doctor", () => {
  it("reports a private key readable by others as critical", async () => {
    const dir = await newCa();
    await ok(["issue", "replica", "r1", "--dir", dir]);
    chmodSync(join(dir, "keys", "r1.key"), 0o644);
    const d = await runCli(["doctor", "--dir", dir, "--json"]);
    expect(d.code).toBe(1);
    expect(JSON.parse(d.stdout).findings).toContainEqual(
      expect.objectContaining({ severity: "critical", item: "cert r1", check: "key file" }),
    );
  });
});

describe("bin behind a closed pipe", () => {
  it("keeps the exit code of a check that answered no", async () => {
    const dir = await newCa();
    await ok(["issue", "server", "db1", "--host", "db1.example.com", "--dir", dir]);
    const cert = join(dir, "certs", "db1.pem");
    const r = exec("bash", [
      "-o",
      "pipefail",
      "-c",
      `node "${BIN}" check-host "${cert}" db2.example.com | true`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
