// Spawn tests of the real executable (the built bundle): the process boundary, exit codes, no stacks.
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { runCli } from "../helpers/cli.js";
import { exec } from "../helpers/exec.js";
import { tempDir } from "../helpers/tmp.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "repl-pki.js");
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  exec(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env } });

describe("bin/repl-pki.js", () => {
  it("prints its version", () => {
    expect(cli(["--version"])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });
  it("answers --version and --help from the build-time fast path exactly as the full program does", async () => {
    for (const args of [["--version"], ["-V"], ["--help"], ["-h"]]) {
      const live = await runCli(args);
      expect(cli(args)).toMatchObject({ code: 0, stdout: live.stdout });
    }
  });
  it("runs the README quick start (npm run quickstart) on defaults in the current directory", () => {
    const cwd = tempDir();
    const script = join(import.meta.dirname, "..", "..", "scripts", "quickstart.sh");
    const r = exec("bash", [script], { cwd, env: { PATH: process.env.PATH } });
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      "pki/certs/replica1.pem",
      "pki/crl.pem",
      "bundles/source1/my.cnf",
      "bundles/source1/source.sql",
      "bundles/replica1/replica.sql",
      "bundles/replica1/RUNBOOK.md",
    ]) {
      expect(existsSync(join(cwd, f)), f).toBe(true);
    }
    expect(r.stdout).toMatch(/replica1\s+replica\s+[0-9A-F]{40}\s+valid/);
  });
  it("reports a usage error on stderr with exit 2 and no stack", () => {
    const r = cli(["issue", "server", "db1", "--ip", "999.1.1.1", "--dir", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: invalid IP address "999\.1\.1\.1"\nhint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("shows the cause chain and stack with REPL_PKI_DEBUG=1", () => {
    const r = cli(["list", "--dir", join(tempDir(), "none")], { REPL_PKI_DEBUG: "1" });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
  it("refuses a directory it may not write with exit 3 and a hint (run as an unprivileged user)", () => {
    const parent = tempDir();
    const locked = join(parent, "locked");
    mkdirSync(locked, { mode: 0o755 });
    chmodSync(parent, 0o755);
    const asNobody = process.getuid?.() === 0;
    const args = [BIN, "init-ca", "--dir", join(locked, "pki"), "--key-type", "ec-p256"];
    if (!asNobody) chmodSync(locked, 0o555);
    const r = asNobody
      ? exec("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, ...args])
      : exec(process.execPath, args);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/permission denied/);
    expect(r.stderr).toMatch(/hint: /);
    expect(existsSync(join(locked, "pki"))).toBe(false);
  });
});
