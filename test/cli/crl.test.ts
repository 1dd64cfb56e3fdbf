// `repl-pki revoke`, `repl-pki crl` and `repl-pki crl show` in-process: real files in a temp dir, the
// clock injected through runCli's deps, typed errors with their exit codes, and failures that write
// nothing.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CrlSummary } from "../../src/api/crl-show.js";
import { runCli } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/deps.js";
import { snapshot, tempDir } from "../helpers/tmp.js";

const T0 = FIXED_NOW.getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const clockAt = (ms: number) => ({ deps: { clock: () => new Date(ms) } });

/** Runs the CLI at time `ms` (default T0) and expects success. */
async function ok(argv: string[], ms = T0) {
  const r = await runCli(argv, clockAt(ms));
  expect(r.code, `${argv.join(" ")}\n${r.stderr}`).toBe(0);
  return r;
}

async function newCa(intermediate: boolean, leaves: string[] = ["r1", "r2"]): Promise<string> {
  const dir = join(tempDir(), "pki");
  await ok(["init-ca", "--dir", dir, "--key-type", "ec-p256", ...(intermediate ? ["--intermediate"] : [])]);
  for (const n of leaves) await ok(["issue", "replica", n, "--dir", dir]);
  return dir;
}

async function show(dir: string, ms = T0, file?: string): Promise<CrlSummary[]> {
  const r = await runCli(["crl", "show", ...(file ? [file] : []), "--dir", dir, "--json"], clockAt(ms));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as CrlSummary[];
}

interface Listed {
  name: string;
  serial: string;
  status: string;
  revokedAt: string;
  reason: string;
}
async function list(dir: string): Promise<Listed[]> {
  return JSON.parse((await ok(["list", "--dir", dir, "--json"])).stdout) as Listed[];
}

const state = (dir: string) => JSON.parse(readFileSync(join(dir, "crl", "state.json"), "utf8"));
const crlD = (dir: string) => readdirSync(join(dir, "crl.d")).sort();

describe("revoke", () => {
  it("records the revocation, writes the CRLs and prints what each server must do", async () => {
    const dir = await newCa(true);
    const r = await ok(["revoke", "r1", "--dir", dir, "--reason", "keyCompromise"], T0 + 1000);
    const serial = (await list(dir)).find((e) => e.name === "r1")!.serial;
    expect(r.stdout).toContain(
      `Revoked replica "r1" (serial ${serial}) at ${iso(T0 + 1000)}, reason keyCompromise`,
    );
    expect(r.stdout).toMatch(/^CA\s+ACTION\s+NUMBER\s+ENTRIES\s+NEXT UPDATE\s+crl\.d FILE$/m);
    expect(r.stdout).toMatch(/^root\s+written\s+1\s+0\s/m); // the root's first CRL, even with nothing revoked
    expect(r.stdout).toMatch(/^intermediate\s+written\s+1\s+1\s/m);
    expect(r.stdout).toContain(`ssl_crl / MASTER_SSL_CRL:         ${join(dir, "crl.pem")}`);
    // spec §10: reload TLS on every source, and end the revoked replica's live connection
    expect(r.stdout).toMatch(/Now, on the servers:\n {2}1\. /);
    expect(r.stdout).toContain("FLUSH SSL");
    expect(r.stdout).toContain("ALTER INSTANCE RELOAD TLS");
    expect(r.stdout).toMatch(/End r1's live replication connection.*never re-verified.*KILL CONNECTION/);
    const listed = (await list(dir)).find((e) => e.name === "r1")!;
    expect(listed).toMatchObject({ status: "revoked", revokedAt: iso(T0 + 1000), reason: "keyCompromise" });
    expect(existsSync(join(dir, "crl.pem"))).toBe(true);
    expect(crlD(dir)).toHaveLength(4); // two CA certificates, two CRLs
  });

  it("revoking a server tells its replicas to reconnect; --json carries entry, crl and steps", async () => {
    const dir = await newCa(false, []);
    await ok(["issue", "server", "db1", "--dir", dir, "--host", "db1.example.com"]);
    const r = await ok(["revoke", "db1", "--dir", dir, "--json", "--reason", "superseded"]);
    const out = JSON.parse(r.stdout);
    expect(out.entry).toMatchObject({ name: "db1", role: "server", status: "R", reason: "superseded" });
    expect(out.crl.written).toBe(true);
    expect(out.crl.crls).toHaveLength(1);
    expect(out.crl.crls[0]).toMatchObject({ ca: "root", action: "written", number: "1", entries: 1 });
    expect(out.steps.join("\n")).toMatch(/STOP SLAVE IO_THREAD; START SLAVE IO_THREAD/);
    expect(out.steps.join("\n")).not.toMatch(/KILL CONNECTION/);
  });

  it("selects by --serial in any spelling openssl or a browser prints, and by --serial-decimal", async () => {
    const dir = await newCa(false, ["r1", "r2", "r3"]);
    const serials = Object.fromEntries((await list(dir)).map((e) => [e.name, e.serial]));
    const colons = serials.r1!.toLowerCase().match(/../g)!.join(":");
    await ok(["revoke", "--serial", colons, "--dir", dir]);
    await ok(["revoke", "--serial", `0x${serials.r2}`, "--dir", dir]);
    await ok(["revoke", "--serial-decimal", BigInt(`0x${serials.r3}`).toString(), "--dir", dir]);
    const after = await list(dir);
    expect(after.filter((e) => e.status === "revoked").map((e) => e.name)).toEqual(["r1", "r2", "r3"]);
    // the reason defaults to unspecified, the time to now
    expect(after.find((e) => e.name === "r1")).toMatchObject({ reason: "unspecified", revokedAt: iso(T0) });
  });

  it("takes --at in the past, and within the clock-skew allowance", async () => {
    const dir = await newCa(false);
    await ok(["revoke", "r1", "--at", "2026-11-20T10:00:00Z", "--dir", dir]);
    await ok(["revoke", "r2", "--at", iso(T0 + 60_000), "--dir", dir]);
    const after = await list(dir);
    expect(after.find((e) => e.name === "r1")!.revokedAt).toBe("2026-11-20T10:00:00Z");
    expect(after.find((e) => e.name === "r2")!.revokedAt).toBe(iso(T0 + 60_000));
  });

  it("revoking the intermediate lands in the root's CRL", async () => {
    const dir = await newCa(true);
    const r = await ok(["revoke", "intermediate", "--reason", "caCompromise", "--dir", dir, "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.entry.role).toBe("intermediate-ca");
    const root = out.crl.crls.find((c: { ca: string }) => c.ca === "root");
    expect(root).toMatchObject({ action: "written", entries: 1 });
    expect(out.steps.join("\n")).toMatch(/issue replacements from a new intermediate/);
    const shown = await show(dir);
    expect(shown.map((c) => [c.issuer, c.entries])).toEqual([
      ["/CN=repl-pki Root CA", 1],
      ["/CN=repl-pki Root CA Intermediate", 0],
    ]);
  });

  it("needs only the issuing CA's key: a leaf under the intermediate is revoked with the root key offline", async () => {
    // Regression: revoke regenerated every CA's CRL, so with root.key offline (which init-ca says is
    // fine) it failed after recording the revocation, and the intermediate's CRL never listed it.
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]);
    renameSync(join(dir, "ca", "root.key"), join(tempDir(), "root.key.offline"));
    const r = await ok(["revoke", "r1", "--dir", dir, "--json"], T0 + HOUR);
    const crls = JSON.parse(r.stdout).crl.crls;
    expect(crls.map((c: { ca: string; action: string }) => `${c.ca}:${c.action}`)).toEqual([
      "root:current",
      "intermediate:written",
    ]);
    const shown = await show(dir, T0 + HOUR);
    expect(shown.map((c) => [c.number, c.entries, c.signature])).toEqual([
      ["1", 0, "ok"],
      ["2", 1, "ok"],
    ]);
  });
});

describe("revoke and crl errors: typed, with exit codes, writing nothing", () => {
  const cases: Array<[string, string[], number, string]> = [
    ["revoking twice", ["revoke", "r1"], 3, "ALREADY_REVOKED"],
    ["an unknown name", ["revoke", "nosuch"], 3, "UNKNOWN_CERTIFICATE"],
    ["an unknown serial", ["revoke", "--serial", "01:02"], 3, "UNKNOWN_CERTIFICATE"],
    ["an unknown decimal serial", ["revoke", "--serial-decimal", "12345"], 3, "UNKNOWN_CERTIFICATE"],
    ["the root CA", ["revoke", "root"], 2, "INVALID_OPTION_VALUE"],
    ["--at in the future", ["revoke", "r2", "--at", iso(T0 + DAY)], 2, "INVALID_TIME"],
    ["--at not ISO UTC", ["revoke", "r2", "--at", "2026-11-20 10:00"], 2, "INVALID_TIME"],
    ["a bad reason", ["revoke", "r2", "--reason", "stolen"], 2, "INVALID_OPTION_VALUE"],
    [
      "removeFromCRL (delta CRLs only)",
      ["revoke", "r2", "--reason", "removeFromCRL"],
      2,
      "INVALID_OPTION_VALUE",
    ],
    ["no certificate given", ["revoke"], 2, "CONFLICTING_OPTIONS"],
    ["a name and a serial", ["revoke", "r2", "--serial", "0A"], 2, "CONFLICTING_OPTIONS"],
    ["a malformed serial", ["revoke", "--serial", "zz"], 2, "INVALID_SERIAL"],
    ["--crl-days 0", ["revoke", "r2", "--crl-days", "0"], 2, "INVALID_OPTION_VALUE"],
    ["crl --within without --if-due", ["crl", "--within", "10d"], 2, "CONFLICTING_OPTIONS"],
    ["crl --within not a duration", ["crl", "--if-due", "--within", "10x"], 2, "INVALID_TIME"],
    ["crl --days 0", ["crl", "--days", "0"], 2, "INVALID_OPTION_VALUE"],
  ];
  it.each(cases)("%s: exit %i", async (_what, argv, code, errCode) => {
    const dir = await newCa(true);
    await ok(["revoke", "r1", "--dir", dir]);
    const before = snapshot(dir);
    const r = await runCli([...argv, "--dir", dir, "--json"], clockAt(T0 + HOUR));
    expect(r.code, r.stdout + r.stderr).toBe(code);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe(errCode);
    // parseDays (src/core/time.ts) gives no hint; every other error does
    if (!argv.includes("0")) expect(err.hint).toBeTruthy();
    expect(snapshot(dir)).toEqual(before);
    // and the same without --json: a one-line error on stderr, no stack
    const plain = await runCli([...argv, "--dir", dir], clockAt(T0 + HOUR));
    expect(plain.code).toBe(code);
    expect(plain.stderr).toMatch(/^error: /);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a damaged index line: INDEX_CORRUPT (exit 3) from crl and revoke, and nothing written", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]);
    const index = join(dir, "index.log");
    const lines = readFileSync(index, "utf8").split("\n");
    lines[3] = lines[3]!.replace("\treplica\t", "\treplicb\t"); // r1's line, checksum left as it was
    writeFileSync(index, lines.join("\n"));
    const before = snapshot(dir);
    for (const argv of [["crl"], ["crl", "--prune"], ["revoke", "r2"], ["revoke", "--serial", "0A"]]) {
      const r = await runCli([...argv, "--dir", dir], clockAt(T0 + DAY));
      expect(r.code, argv.join(" ")).toBe(3);
      expect(r.stderr).toMatch(/^error: the index .*index\.log is damaged at line 4/);
      expect(r.stderr).toMatch(/hint: restore the index from a backup/);
      const j = await runCli([...argv, "--dir", dir, "--json"], clockAt(T0 + DAY));
      expect(JSON.parse(j.stdout).error.code).toBe("INDEX_CORRUPT");
      // Regression: `crl` used to reserve (write) the next cRLNumbers before reading the index
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("a missing CA key: crl fails (exit 3) before writing anything", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]);
    renameSync(join(dir, "ca", "root.key"), join(tempDir(), "root.key"));
    const before = snapshot(dir);
    const r = await runCli(["crl", "--dir", dir], clockAt(T0 + DAY));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/root\.key is missing/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a first crl that failed does not make --if-due believe every CRL is current", async () => {
    // Regression: the failed run left crl/state.json with reserved numbers and empty dates, which
    // isDue read as "not due": --if-due then printed "nothing written" forever, with no CRL at all.
    const dir = await newCa(true);
    const away = join(tempDir(), "root.key");
    renameSync(join(dir, "ca", "root.key"), away);
    expect((await runCli(["crl", "--dir", dir], clockAt(T0))).code).toBe(3);
    renameSync(away, join(dir, "ca", "root.key"));
    const r = await ok(["crl", "--if-due", "--dir", dir], T0 + HOUR);
    expect(r.stdout).not.toMatch(/nothing written/);
    expect(r.stdout).toMatch(/^root\s+written\s/m);
    expect(r.stdout).toMatch(/^intermediate\s+written\s/m);
    expect((await show(dir, T0 + HOUR)).map((c) => c.signature)).toEqual(["ok", "ok"]);
  });
});

describe("crl", () => {
  it("writes one CRL per CA, root included: thisUpdate now minus 5 minutes, nextUpdate now plus --days", async () => {
    const dir = await newCa(true);
    const r = await ok(["crl", "--dir", dir, "--days", "7"]);
    expect(r.stdout).toMatch(/^root\s+written\s+1\s+0\s+/m);
    const shown = await show(dir);
    expect(shown).toHaveLength(2);
    for (const c of shown) {
      expect(c.thisUpdate).toBe(iso(T0 - 5 * 60_000));
      expect(c.nextUpdate).toBe(iso(T0 + 7 * DAY));
      expect(c.secondsLeft).toBe(7 * 86_400);
      expect(c.signature).toBe("ok");
      expect(c.expired).toBe(false);
      expect(c.number).toBe("1");
    }
    expect(readFileSync(join(dir, "crl.pem"), "latin1").match(/-----BEGIN X509 CRL-----/g)).toHaveLength(2);
    expect(readFileSync(join(dir, "crl.pem"), "latin1")).not.toMatch(/BEGIN (CERTIFICATE|CRL-----)/);
    // the default lifetime is 30 days
    await ok(["crl", "--dir", dir], T0 + HOUR);
    expect((await show(dir, T0 + HOUR))[0]!.nextUpdate).toBe(iso(T0 + HOUR + 30 * DAY));
  });

  it("a second run adds the next .rN (old kept, no gap, cRLNumber up); --prune leaves only .r0", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]);
    const first = crlD(dir);
    expect(first.filter((n) => n.includes(".r"))).toHaveLength(2);
    const firstFiles = Object.fromEntries(
      first.map((n) => [n, readFileSync(join(dir, "crl.d", n), "latin1")]),
    );
    await ok(["crl", "--dir", dir], T0 + 1000);
    await ok(["crl", "--dir", dir], T0 + 2000);
    const third = crlD(dir);
    const hashes = [...new Set(third.map((n) => n.split(".")[0]!))];
    expect(hashes).toHaveLength(2);
    for (const h of hashes) {
      expect(third.filter((n) => n.startsWith(`${h}.r`))).toEqual([`${h}.r0`, `${h}.r1`, `${h}.r2`]);
      expect(third).toContain(`${h}.0`);
    }
    // the old generations are kept byte for byte (a running OpenSSL may have cached them)
    for (const [n, text] of Object.entries(firstFiles)) {
      expect(readFileSync(join(dir, "crl.d", n), "latin1")).toBe(text);
    }
    const numbers = (name: string) =>
      ["r0", "r1", "r2"].map(async (g) =>
        Number((await show(dir, T0, join(dir, "crl.d", `${name}.${g}`)))[0]!.number),
      );
    for (const h of hashes) expect(await Promise.all(numbers(h))).toEqual([1, 2, 3]);
    expect(state(dir).cas.root.number).toBe("3");

    const p = await ok(["crl", "--prune", "--dir", dir], T0 + 3000);
    expect(p.stdout).toMatch(/Pruned old CRL generations: run FLUSH SSL .* ALTER INSTANCE RELOAD TLS/);
    expect(crlD(dir)).toEqual(hashes.flatMap((h) => [`${h}.0`, `${h}.r0`]).sort());
    for (const h of hashes) {
      expect((await show(dir, T0, join(dir, "crl.d", `${h}.r0`)))[0]!.number).toBe("4");
    }
    // crl.pem and crl.d agree
    expect(readFileSync(join(dir, "crl.pem"), "latin1")).toBe(
      [state(dir).cas.root.file, state(dir).cas.intermediate.file]
        .map((f: string) => readFileSync(join(dir, "crl.d", f), "latin1"))
        .join(""),
    );
  });

  it("--if-due regenerates only inside the window (default: a third of the lifetime)", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]); // lifetime 30 days + 5 minutes: window ≈ 10 days
    const before = snapshot(dir);
    for (const at of [T0 + HOUR, T0 + 19 * DAY, T0 + 20 * DAY - HOUR]) {
      const r = await ok(["crl", "--if-due", "--dir", dir], at);
      expect(r.stdout).toContain("Every CRL is current: nothing written.");
      expect(r.stdout).toMatch(/^root\s+current\s+1\s/m);
      expect(snapshot(dir)).toEqual(before);
    }
    const j = await ok(["crl", "--if-due", "--dir", dir, "--json"], T0 + 19 * DAY);
    expect(JSON.parse(j.stdout)).toMatchObject({ written: false, pruned: false, removed: [] });

    const due = await ok(["crl", "--if-due", "--dir", dir], T0 + 20 * DAY + HOUR);
    expect(due.stdout).toMatch(/^root\s+written\s+2\s/m);
    expect(due.stdout).toMatch(/^intermediate\s+written\s+2\s/m);
    expect(due.stdout).not.toMatch(/nothing written/);
    expect((await show(dir, T0 + 20 * DAY + HOUR))[0]!.nextUpdate).toBe(iso(T0 + 50 * DAY + HOUR));
  });

  it("--if-due --within sets the window", async () => {
    const dir = await newCa(false);
    await ok(["crl", "--dir", dir]);
    // 11 days left: outside the default window, inside --within 12d, outside --within 264h - 1h
    const at = T0 + 19 * DAY;
    expect((await ok(["crl", "--if-due", "--dir", dir], at)).stdout).toMatch(/nothing written/);
    expect((await ok(["crl", "--if-due", "--within", "263h", "--dir", dir], at)).stdout).toMatch(
      /nothing written/,
    );
    const r = await ok(["crl", "--if-due", "--within", "12d", "--dir", dir], at);
    expect(r.stdout).toMatch(/^root\s+written\s+2\s/m);
    // and right after, nothing is due again
    expect((await ok(["crl", "--if-due", "--within", "12d", "--dir", dir], at + HOUR)).stdout).toMatch(
      /nothing written/,
    );
  });

  it("--if-due renews only the CA that is due, and crl.pem keeps the other's current CRL", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]);
    await ok(["revoke", "r1", "--dir", dir], T0 + 15 * DAY); // renews the intermediate's CRL only
    const at = T0 + 20 * DAY + HOUR; // root: 9.96 days left (due); intermediate: 25 days left
    const r = await ok(["crl", "--if-due", "--dir", dir, "--json"], at);
    const out = JSON.parse(r.stdout);
    expect(out.crls.map((c: { ca: string; action: string }) => `${c.ca}:${c.action}`)).toEqual([
      "root:written",
      "intermediate:current",
    ]);
    const shown = await show(dir, at);
    expect(shown.map((c) => [c.number, c.entries, c.nextUpdate])).toEqual([
      ["2", 0, iso(at + 30 * DAY)],
      ["2", 1, iso(T0 + 45 * DAY)],
    ]);
  });
});

describe("crl, recovering", () => {
  it("--if-due regenerates a CA whose current CRL is gone from crl.d, instead of failing on crl.pem", async () => {
    // Regression: --if-due with one CA due and the other's crl.d file missing (removed by hand, or by
    // the old --prune that deleted the new .r0) wrote crl.d, then failed with CA_CORRUPT on crl.pem.
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir]);
    const rootFile = state(dir).cas.root.file as string;
    rmSync(join(dir, "crl.d", rootFile));
    const r = await ok(["crl", "--if-due", "--dir", dir, "--json"], T0 + HOUR);
    expect(
      JSON.parse(r.stdout).crls.map((c: { ca: string; action: string }) => `${c.ca}:${c.action}`),
    ).toEqual(["root:written", "intermediate:current"]);
    expect(crlD(dir)).toContain(state(dir).cas.root.file);
    expect((await show(dir, T0 + HOUR)).map((c) => c.signature)).toEqual(["ok", "ok"]);
  });
});

describe("crl show", () => {
  it("prints issuer, number, dates, time left, entries, signature and the verdict", async () => {
    const dir = await newCa(false);
    await ok(["revoke", "r1", "--dir", dir]);
    const r = await ok(["crl", "show", "--dir", dir], T0 + 12 * HOUR);
    expect(r.stdout).toBe(
      [
        "issuer      /CN=repl-pki Root CA",
        "number      1",
        `thisUpdate  ${iso(T0 - 5 * 60_000)}`,
        `nextUpdate  ${iso(T0 + 30 * DAY)} (29.5 days left)`,
        "entries     1",
        "signature   ok",
        `verdict     after ${iso(T0 + 30 * DAY)}, every new replication connection checked against this CRL is refused`,
        "",
        "",
      ].join("\n"),
    );
  });

  it("an expired CRL: exit 1 with the verdict", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir, "--days", "2"]);
    const r = await runCli(["crl", "show", "--dir", dir], clockAt(T0 + 3 * DAY));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `verdict     EXPIRED at ${iso(T0 + 2 * DAY)}: every new replication connection checked against this CRL is refused (OpenSSL error 12, "CRL has expired")`,
    );
    expect(r.stdout).toMatch(/\(expired 1\.0 days ago\)/);
    expect(r.stderr).toMatch(
      /^error: 2 CRL\(s\) in the file have expired\nhint: regenerate with repl-pki crl/,
    );
    // exactly at nextUpdate it is expired already (OpenSSL: nextUpdate must be after the time checked)
    expect((await runCli(["crl", "show", "--dir", dir], clockAt(T0 + 2 * DAY))).code).toBe(1);
    expect((await runCli(["crl", "show", "--dir", dir], clockAt(T0 + 2 * DAY - 1000))).code).toBe(0);
  });

  it("an expired CRL with --json: the list on stdout, exit 1, no second JSON document", async () => {
    const dir = await newCa(true);
    await ok(["crl", "--dir", dir, "--days", "2"]);
    const r = await runCli(["crl", "show", "--dir", dir, "--json"], clockAt(T0 + 3 * DAY));
    expect(r.code).toBe(1);
    const list = JSON.parse(r.stdout);
    expect(list.map((c: { expired: boolean }) => c.expired)).toEqual([true, true]);
    expect(r.stderr).toBe("");
  });

  it("checks the signature against the CA in --dir", async () => {
    const a = await newCa(false, []);
    const b = await newCa(false, []); // same default CN, other key
    await ok(["crl", "--dir", a]);
    const shown = await show(b, T0, join(a, "crl.pem"));
    expect(shown[0]!.signature).toBe("bad");
    const none = join(tempDir(), "no-ca");
    expect((await show(none, T0, join(a, "crl.pem")))[0]!.signature).toBe("unknown issuer");
  });

  it("refuses a DER file, a certificate PEM and a missing file (exit 3, with a hint)", async () => {
    const dir = await newCa(false);
    await ok(["crl", "--dir", dir]);
    const pem = readFileSync(join(dir, "crl.pem"), "latin1");
    const der = Buffer.from(pem.replace(/-----[A-Z0-9 ]+-----/g, ""), "base64");
    const derFile = join(tempDir(), "crl.der");
    writeFileSync(derFile, der);
    const oldLabel = join(tempDir(), "crl-label.pem");
    writeFileSync(oldLabel, pem.replace(/X509 CRL/g, "CRL"));
    const cases: Array<[string, RegExp, RegExp, string]> = [
      [derFile, /is DER; mysqld's ssl_crl reads PEM only/, /openssl crl -inform DER/, "PEM_PARSE_FAILED"],
      [
        join(dir, "certs", "r1.pem"),
        /holds PEM "CERTIFICATE" but no "X509 CRL" block/,
        /hint: /,
        "PEM_PARSE_FAILED",
      ],
      [oldLabel, /holds PEM "CRL" but no "X509 CRL" block/, /X509 CRL/, "PEM_PARSE_FAILED"],
      [join(dir, "nope.pem"), /no CRL file .*nope\.pem/, /run repl-pki crl first/, "FILE_NOT_FOUND"],
    ];
    for (const [file, msg, hint, code] of cases) {
      const r = await runCli(["crl", "show", file, "--dir", dir], clockAt(T0));
      expect(r.code, file).toBe(3);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.split("\n")[1]).toMatch(/^hint: /);
      expect(r.stderr).toMatch(hint);
      const j = await runCli(["crl", "show", file, "--dir", dir, "--json"], clockAt(T0));
      expect(JSON.parse(j.stdout).error.code).toBe(code);
    }
  });
});
