// `repl-pki fixtures` in-process (real files in temp dirs, the clock injected), plus one spawn of the
// built binary for the process boundary.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FixturesManifest } from "../../src/core/fixtures/manifest.js";
import { runCli } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/deps.js";
import { exec } from "../helpers/exec.js";
import { tempDir } from "../helpers/tmp.js";

const AT = "2026-11-25T12:00:00Z";
const BIN = join(import.meta.dirname, "..", "..", "bin", "repl-pki.js");
const atNow = { deps: { clock: () => FIXED_NOW } };
const readManifest = (out: string): FixturesManifest =>
  JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));

describe("repl-pki fixtures", () => {
  it("lists the scenarios", async () => {
    const r = await runCli(["fixtures", "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SCENARIO +WHAT IT IS\n/);
    for (const n of ["valid", "crl-wrong-key", "mysql-auto-generated", "topology"])
      expect(r.stdout).toContain(`\n${n} `);
  });

  it("writes the chosen scenarios with a manifest and prints the verdict table", async () => {
    const out = join(tempDir(), "fx");
    const r = await runCli(
      [
        "fixtures",
        "--out",
        out,
        "--scenario",
        "valid",
        "--scenario",
        "source-revoked",
        "--seed",
        "s",
        "--at",
        AT,
      ],
      atNow,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^SCENARIO +MARIADB +WHAT IT IS\nvalid +connects +valid, single CA\nsource-revoked +refuses /,
    );
    expect(r.stdout).toContain(`Wrote 25 files to ${out}`);
    expect(r.stdout).not.toMatch(/Not reproducible/);
    expect(r.stderr).toBe(""); // no progress when stderr is not a terminal
    expect(readdirSync(out).sort()).toEqual(["manifest.json", "source-revoked", "valid"]);
    expect(readdirSync(join(out, "valid", "replica")).sort()).toEqual([
      "ca.pem",
      "cert.pem",
      "crl.d",
      "crl.pem",
      "key.pem",
    ]);
    expect(statSync(join(out, "valid", "source", "key.pem")).mode & 0o777).toBe(0o600);
    const m = readManifest(out);
    expect(m).toMatchObject({ format: "repl-pki-fixtures/1", at: AT, seed: "s", keyType: "ec-p256" });
    expect(m.scenarios.map((s) => [s.name, s.expect.mariadb.outcome])).toEqual([
      ["valid", "connects"],
      ["source-revoked", "refuses"],
    ]);
  });

  it("--json prints the manifest; without --seed/--at it says the run is not reproducible", async () => {
    const out = join(tempDir(), "fx");
    const r = await runCli(["fixtures", "--out", out, "--scenario", "wrong-host", "--json"], atNow);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ out, files: 13 });
    expect(j.manifest).toEqual(readManifest(out));
    expect(j.manifest.at).toBe(AT); // the injected clock
    const plain = await runCli(["fixtures", "--out", join(tempDir(), "fx"), "--scenario", "valid"], atNow);
    expect(plain.stdout).toMatch(/Not reproducible: give --seed and --at/);
  });

  it("--replicas N alone writes only the topology, with progress when asked", async () => {
    const out = join(tempDir(), "fx");
    const r = await runCli(["fixtures", "--out", out, "--replicas", "300", "--progress"], atNow);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["manifest.json", "topology"]);
    expect(readdirSync(join(out, "topology", "replicas"))).toHaveLength(300);
    expect(r.stderr).toMatch(/\rfixtures: 300\/300 replica certificates\n/);
    expect(r.stderr).toMatch(/\rfixtures: 1807\/1807 files written\n$/);
    expect(readManifest(out).scenarios[0]!.dirs.replicas[299]).toBe("topology/replicas/replica-0300");
  });

  it("refuses a non-empty --out unless --force (exit 3), and writes nothing", async () => {
    const out = tempDir();
    writeFileSync(join(out, "mine.txt"), "keep");
    const r = await runCli(["fixtures", "--out", out, "--scenario", "valid"], atNow);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: --out .* is not empty\nhint: .*--force/);
    expect(readdirSync(out)).toEqual(["mine.txt"]);
    const forced = await runCli(["fixtures", "--out", out, "--scenario", "valid", "--force"], atNow);
    expect(forced.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["manifest.json", "mine.txt", "valid"]);
    expect(readFileSync(join(out, "mine.txt"), "utf8")).toBe("keep");
  });

  it.each([
    [["fixtures"], /needs --out DIR/],
    [["fixtures", "--out", "x", "--scenario", "nope"], /unknown scenario "nope"/],
    [["fixtures", "--out", "x", "--replicas", "0"], /--replicas must be a whole number from 1/],
    [["fixtures", "--out", "x", "--replicas", "ten"], /--replicas must be a whole number/],
    [["fixtures", "--out", "x", "--at", "yesterday"], /not an ISO 8601 UTC time/],
    [["fixtures", "--out", "x", "--key-type", "dsa"], /unknown key type "dsa"/],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("--json errors go to stdout with their code", async () => {
    const r = await runCli(["fixtures", "--out", "x", "--scenario", "nope", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe("INVALID_OPTION_VALUE");
  });

  it("runs from the built binary", () => {
    const out = join(tempDir(), "fx");
    const args = [BIN, "fixtures", "--out", out, "--scenario", "key-pkcs8", "--seed", "b", "--at", AT];
    const r = exec(process.execPath, args, { env: { PATH: process.env.PATH } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, "key-pkcs8", "replica", "key.pem"), "utf8")).toMatch(
      /^-----BEGIN PRIVATE KEY-----/,
    );
    expect(readManifest(out).scenarios[0]!.keyType).toBe("rsa-2048");
  });
});
