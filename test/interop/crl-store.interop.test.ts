// The CRLs that `revoke` / `crl` write into a CA directory (crl.pem and crl.d/), checked end to end
// with the openssl CLI, the library mysqld and MariaDB load them with (spec §1: X509_STORE with
// CRL_CHECK | CRL_CHECK_ALL; spec §2: hashed directory). Everything goes through the library API on
// real files; the index (`list --json`) is the reference for what each CRL must say.
// Without openssl these tests skip locally but FAIL under CI.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshCrls } from "../../src/api/crl.js";
import { systemDeps } from "../../src/api/deps.js";
import { importOpensslIndex } from "../../src/api/import-openssl-index.js";
import { initCa } from "../../src/api/init-ca.js";
import { type IssueResult, issue } from "../../src/api/issue.js";
import { revoke } from "../../src/api/revoke.js";
import type { CoreDeps } from "../../src/core/deps.js";
import type { RevocationReason } from "../../src/core/revocation.js";
import type { KeyType } from "../../src/core/x509/signer.js";
import { runCli } from "../helpers/cli.js";

const opensslAvailable = spawnSync("openssl", ["version"]).status === 0;
const DAY = 86_400_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
}

function openssl(args: string[], cwd?: string): Run {
  const r = spawnSync("openssl", args, { encoding: "utf8", cwd, maxBuffer: 64 << 20 });
  if (r.error) throw r.error; // ENOENT under CI: a failure, not a skip
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}

const scratchDirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), "repl-pki-crl-store-"));
  scratchDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

/** The `X509 CRL` PEM blocks of a file, in order. */
function crlBlocks(file: string): string[] {
  return (
    readFileSync(file, "latin1").match(/-----BEGIN X509 CRL-----\n[\s\S]+?\n-----END X509 CRL-----\n/g) ?? []
  );
}

const OPENSSL_REASON: Record<string, RevocationReason> = {
  "Key Compromise": "keyCompromise",
  "CA Compromise": "caCompromise",
  "Affiliation Changed": "affiliationChanged",
  Superseded: "superseded",
  "Cessation Of Operation": "cessationOfOperation",
  "Certificate Hold": "certificateHold",
  Unspecified: "unspecified",
};

/** "Nov 25 03:29:51 2026 GMT" → "2026-11-25T03:29:51Z". */
const isoOf = (opensslTime: string) => new Date(opensslTime).toISOString().replace(".000Z", "Z");

interface CrlEntryText {
  serial: string;
  revokedAt: string;
  /** The reasonCode as openssl prints it, mapped to our names; "(none)" when the extension is absent. */
  reason: string;
}

interface CrlText {
  issuerHash: string;
  /** undefined when the CRL has no cRLNumber (openssl ca without a crlnumber file). */
  number: bigint | undefined;
  lastUpdate: string;
  nextUpdate: string;
  entries: CrlEntryText[];
  text: string;
}

/** What openssl reads in a PEM CRL file. */
function readCrl(file: string): CrlText {
  const text = openssl(["crl", "-in", file, "-noout", "-text"]);
  expect(text.code, text.out).toBe(0);
  const meta = openssl(["crl", "-in", file, "-noout", "-hash", "-crlnumber"]).stdout;
  const entries = (text.stdout.split("Revoked Certificates:")[1] ?? "")
    .split("Serial Number: ")
    .slice(1)
    .map((b) => {
      const reason = /X509v3 CRL Reason Code:\s*\n\s*(.+)/.exec(b)?.[1]?.trim();
      return {
        serial: b.split("\n")[0]!.trim(),
        revokedAt: isoOf(/Revocation Date: (.+)/.exec(b)![1]!.trim()),
        reason: reason === undefined ? "(none)" : (OPENSSL_REASON[reason] ?? `?${reason}`),
      };
    });
  return {
    issuerHash: /^(?:issuer name hash=)?([0-9a-f]{8})$/m.exec(meta)![1]!,
    number: /crlNumber=(0x[0-9A-Fa-f]+)/.test(meta)
      ? BigInt(/crlNumber=(0x[0-9A-Fa-f]+)/.exec(meta)![1]!)
      : undefined,
    lastUpdate: isoOf(/Last Update: (.+)/.exec(text.stdout)![1]!.trim()),
    nextUpdate: isoOf(/Next Update: (.+)/.exec(text.stdout)![1]!.trim()),
    entries,
    text: text.stdout,
  };
}

const subjectHash = (certFile: string) =>
  openssl(["x509", "-in", certFile, "-noout", "-subject_hash"]).stdout.trim();

interface Listed {
  serial: string;
  name: string;
  issuer: string;
  status: string;
  revokedAt: string;
  reason: string;
}

async function listIndex(dir: string): Promise<Listed[]> {
  const r = await runCli(["list", "--dir", dir, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

interface ChainCa {
  name: "root" | "intermediate";
  cert: string;
}

function chainCas(dir: string, intermediate: boolean): ChainCa[] {
  const cas: ChainCa[] = [{ name: "root", cert: join(dir, "ca", "root.pem") }];
  if (intermediate) cas.push({ name: "intermediate", cert: join(dir, "ca", "intermediate.pem") });
  return cas;
}

/**
 * Every CRL in crl.pem: signed by its CA (and not by the other one), and listing exactly the index's
 * revocations by that CA: same count, serials (uppercase hex, as list prints them), dates and reasons,
 * the reasonCode omitted for unspecified. Returns the CRLs by CA name.
 */
async function expectCrlsMatchIndex(dir: string, cas: ChainCa[]): Promise<Map<string, CrlText>> {
  const blocks = crlBlocks(join(dir, "crl.pem"));
  expect(blocks).toHaveLength(cas.length); // one per CA, the root's included
  expect(readFileSync(join(dir, "crl.pem"), "latin1")).not.toMatch(/BEGIN CERTIFICATE/);
  const index = await listIndex(dir);
  const work = scratch();
  const byCa = new Map<string, CrlText>();
  blocks.forEach((pem, i) => {
    const file = join(work, `crl-${i}.pem`);
    writeFileSync(file, pem);
    const crl = readCrl(file);
    const ca = cas.find((c) => subjectHash(c.cert) === crl.issuerHash);
    expect(ca, `CRL ${i} has an issuer that is no CA of the chain`).toBeDefined();
    expect(byCa.has(ca!.name), `two CRLs for the ${ca!.name} CA`).toBe(false);
    byCa.set(ca!.name, crl);
    const v = openssl(["crl", "-in", file, "-CAfile", ca!.cert, "-noout", "-verify"]);
    expect(v.out).toContain("verify OK");
    expect(v.code).toBe(0);
    for (const other of cas.filter((c) => c !== ca)) {
      expect(openssl(["crl", "-in", file, "-CAfile", other.cert, "-noout", "-verify"]).code).not.toBe(0);
    }
    expect(crl.text).toContain("Version 2 (0x1)");
    expect(crl.text).toMatch(/X509v3 Authority Key Identifier/);
    const expected = index
      .filter((e) => e.issuer === ca!.name && e.status === "revoked")
      .map((e) => ({
        serial: e.serial,
        revokedAt: e.revokedAt,
        reason: e.reason === "unspecified" ? "(none)" : e.reason,
      }));
    const bySerial = (a: CrlEntryText, b: CrlEntryText) => a.serial.localeCompare(b.serial);
    expect(crl.entries.length).toBe(expected.length);
    expect([...crl.entries].sort(bySerial)).toEqual(expected.sort(bySerial));
    if (expected.length === 0) expect(crl.text).toContain("No Revoked Certificates.");
  });
  return byCa;
}

/** `openssl verify -crl_check_all` the way mysqld checks (spec §1), with the files given. */
function verify(cert: string, trust: string[], extra: string[] = []): Run {
  return openssl(["verify", "-crl_check_all", ...trust, ...extra, cert]);
}

function expectOk(r: Run, cert: string): void {
  expect(r.out).toContain(`${cert}: OK`);
  expect(r.code).toBe(0);
}

function expectRevoked(r: Run, depth = 0): void {
  expect(r.out).toMatch(new RegExp(`error 23 at ${depth} depth lookup: certificate revoked`));
  expect(r.code).not.toBe(0);
}

/** A CA with a few leaves, six of them revoked with every reason, each through `revoke`. */
function revokedScenario(keyType: KeyType, intermediate: boolean) {
  const dir = join(scratch(), "pki");
  const deps = systemDeps();
  initCa({ dir, keyType, intermediate, cn: "CRL Store Interop CA" }, deps);
  const certs: Record<string, IssueResult> = {};
  const add = (name: string, role: "server" | "replica" | "relay", hosts?: string[]) => {
    certs[name] = issue({ dir, name, role, hosts }, deps);
  };
  add("db1", "server", ["db1.example.com"]);
  add("db2", "server", ["db2.example.com"]);
  add("good1", "replica");
  add("relay1", "relay", ["relay1.example.com"]);
  for (const n of ["bad1", "bad2", "bad3", "bad4", "bad5"]) add(n, "replica");
  const now = Date.now();
  const revocations: Array<[string, RevocationReason | undefined, Date | undefined]> = [
    ["bad1", "keyCompromise", undefined],
    ["bad2", undefined, undefined], // unspecified: no reasonCode extension
    ["bad3", "superseded", new Date(now - 3 * DAY)],
    ["bad4", "certificateHold", new Date(now - 3_600_000 + 1234)], // milliseconds dropped
    ["bad5", "affiliationChanged", new Date(now - 10 * DAY)],
    ["relay1", "cessationOfOperation", undefined],
    ["db2", "unspecified", undefined],
  ];
  for (const [name, reason, at] of revocations) revoke({ dir, name, reason, at }, deps);
  return { dir, certs, chain: join(dir, "ca", "chain.pem"), cas: chainCas(dir, intermediate) };
}

describe.skipIf(!opensslAvailable && !process.env.CI)("CRLs in a CA directory, read by openssl", () => {
  it("has openssl on PATH", () => {
    expect(opensslAvailable).toBe(true);
  });

  describe.each([
    { chain: "root→leaf", keyType: "rsa-2048" as KeyType, intermediate: false },
    { chain: "root→intermediate→leaf", keyType: "ec-p256" as KeyType, intermediate: true },
  ])("$chain ($keyType)", ({ keyType, intermediate }) => {
    let s: ReturnType<typeof revokedScenario>;
    beforeAll(() => {
      s = revokedScenario(keyType, intermediate);
    });
    const revokedNames = ["bad1", "bad2", "bad3", "bad4", "bad5", "relay1", "db2"];
    const goodNames = ["db1", "good1"];

    it("every CRL in crl.pem verifies with its CA and lists exactly the index's revocations", async () => {
      const crls = await expectCrlsMatchIndex(s.dir, s.cas);
      const leafCa = intermediate ? "intermediate" : "root";
      expect(crls.get(leafCa)!.entries).toHaveLength(revokedNames.length);
      expect(crls.get(leafCa)!.entries.find((e) => e.reason === "certificateHold")!.revokedAt).toMatch(
        /:\d\dZ$/,
      );
      if (intermediate) expect(crls.get("root")!.entries).toEqual([]);
    });

    it("crl.d holds the same current CRLs as crl.pem, and the CA certificates as <subject-hash>.0", () => {
      const names = readdirSync(join(s.dir, "crl.d")).sort();
      for (const ca of s.cas) {
        const h = subjectHash(ca.cert);
        expect(readFileSync(join(s.dir, "crl.d", `${h}.0`), "latin1")).toBe(readFileSync(ca.cert, "latin1"));
        expect(names).toContain(`${h}.r0`);
      }
      const state = JSON.parse(readFileSync(join(s.dir, "crl", "state.json"), "utf8"));
      const current = s.cas.map((c) => readFileSync(join(s.dir, "crl.d", state.cas[c.name].file), "latin1"));
      expect(current.join("")).toBe(readFileSync(join(s.dir, "crl.pem"), "latin1"));
      for (const n of names) expect(n).toMatch(/^[0-9a-f]{8}\.r?\d+$/);
    });

    it("openssl verify -crl_check_all -CAfile chain -CRLfile crl.pem: revoked leaves error 23, good ones OK", () => {
      const trust = ["-CAfile", s.chain, "-CRLfile", join(s.dir, "crl.pem")];
      for (const n of revokedNames) expectRevoked(verify(s.certs[n]!.certPath, trust));
      for (const n of goodNames) expectOk(verify(s.certs[n]!.certPath, trust), s.certs[n]!.certPath);
    });

    it("the same with -CApath crl.d alone (CA certificates and CRLs found by hash)", () => {
      const trust = ["-CApath", join(s.dir, "crl.d")];
      for (const n of revokedNames) expectRevoked(verify(s.certs[n]!.certPath, trust));
      for (const n of goodNames) expectOk(verify(s.certs[n]!.certPath, trust), s.certs[n]!.certPath);
      // no accidental trust from elsewhere: an empty directory verifies nothing
      const empty = scratch();
      expect(verify(s.certs.good1!.certPath, ["-CApath", empty]).code).not.toBe(0);
    });

    it("-attime past nextUpdate gives error 12 'CRL has expired'; just before it verifies", () => {
      const crls = crlBlocks(join(s.dir, "crl.pem"));
      const work = scratch();
      const next = Math.min(
        ...crls.map((pem, i) => {
          writeFileSync(join(work, `${i}.pem`), pem);
          return Date.parse(readCrl(join(work, `${i}.pem`)).nextUpdate);
        }),
      );
      // nextUpdate = now + 30 days (the default), to the second
      expect(Math.abs(next - (Date.now() + 30 * DAY))).toBeLessThan(5 * 60_000);
      const at = (ms: number) => ["-attime", String(Math.floor(ms / 1000))];
      for (const trust of [
        ["-CAfile", s.chain, "-CRLfile", join(s.dir, "crl.pem")],
        ["-CApath", join(s.dir, "crl.d")],
      ]) {
        const late = verify(s.certs.good1!.certPath, trust, at(next + 60_000));
        expect(late.out).toMatch(/error 12 at 0 depth lookup: CRL has expired/);
        expect(late.code).not.toBe(0);
        expectOk(verify(s.certs.good1!.certPath, trust, at(next - 60_000)), s.certs.good1!.certPath);
      }
    });
  });

  describe("a revoked intermediate", () => {
    it("lands in the root's CRL, and a leaf under it is refused with error 23 at depth 1", async () => {
      const dir = join(scratch(), "pki");
      const deps = systemDeps();
      initCa({ dir, keyType: "ec-p256", intermediate: true }, deps);
      const leaf = issue({ dir, name: "replica1", role: "replica" }, deps);
      refreshCrls({ dir }, deps);
      const chain = join(dir, "ca", "chain.pem");
      const fileTrust = ["-CAfile", chain, "-CRLfile", join(dir, "crl.pem")];
      const dirTrust = ["-CApath", join(dir, "crl.d")];
      expectOk(verify(leaf.certPath, fileTrust), leaf.certPath);
      expectOk(verify(leaf.certPath, dirTrust), leaf.certPath);

      const r = revoke({ dir, name: "intermediate", reason: "caCompromise" }, deps);
      expect(r.entry.role).toBe("intermediate-ca");
      expect(r.steps.join("\n")).toMatch(/new intermediate/);
      const crls = await expectCrlsMatchIndex(dir, chainCas(dir, true));
      const intSerial = openssl(["x509", "-in", join(dir, "ca", "intermediate.pem"), "-noout", "-serial"])
        .stdout.trim()
        .replace("serial=", "");
      expect(crls.get("root")!.entries).toEqual([
        { serial: intSerial, revokedAt: r.entry.revokedAt, reason: "caCompromise" },
      ]);
      expect(crls.get("intermediate")!.entries).toEqual([]);
      expectRevoked(verify(leaf.certPath, fileTrust), 1);
      expectRevoked(verify(leaf.certPath, dirTrust), 1);
    });
  });

  describe("a CRL for every CA, even with nothing revoked", () => {
    it.each([false, true])("intermediate: %s", async (intermediate) => {
      const dir = join(scratch(), "pki");
      const deps = systemDeps();
      initCa({ dir, keyType: "ec-p256", intermediate }, deps);
      const leaf = issue({ dir, name: "replica1", role: "replica" }, deps);
      const res = refreshCrls({ dir }, deps);
      expect(res.crls.map((c) => [c.ca, c.action, c.entries])).toEqual(
        [
          ["root", "written", 0],
          ["intermediate", "written", 0],
        ].slice(0, intermediate ? 2 : 1),
      );
      await expectCrlsMatchIndex(dir, chainCas(dir, intermediate));
      const chain = join(dir, "ca", "chain.pem");
      expectOk(verify(leaf.certPath, ["-CAfile", chain, "-CRLfile", join(dir, "crl.pem")]), leaf.certPath);
      expectOk(verify(leaf.certPath, ["-CApath", join(dir, "crl.d")]), leaf.certPath);
      // the control: without the root's CRL every chain fails (what a missing root CRL would do)
      const blocks = crlBlocks(join(dir, "crl.pem"));
      const rootHash = subjectHash(join(dir, "ca", "root.pem"));
      const work = scratch();
      const withoutRoot = blocks.filter((_, i) => {
        writeFileSync(join(work, `b${i}.pem`), blocks[i]!);
        return readCrl(join(work, `b${i}.pem`)).issuerHash !== rootHash;
      });
      writeFileSync(join(work, "no-root.pem"), withoutRoot.join(""));
      const crlFile = withoutRoot.length > 0 ? ["-CRLfile", join(work, "no-root.pem")] : [];
      const r = verify(leaf.certPath, ["-CAfile", chain, ...crlFile]);
      expect(r.out).toMatch(
        new RegExp(`error 3 at ${intermediate ? 1 : 0} depth lookup: unable to get certificate CRL`),
      );
    });
  });

  it("openssl rehash over the same CA certificates (.pem) and CRLs (.crl) makes the names of crl.d", () => {
    for (const intermediate of [false, true]) {
      const dir = join(scratch(), "pki");
      const deps = systemDeps();
      initCa({ dir, keyType: "ec-p256", intermediate }, deps);
      issue({ dir, name: "replica1", role: "replica" }, deps);
      revoke({ dir, name: "replica1" }, deps); // the first generation is written by revoke
      const ours = readdirSync(join(dir, "crl.d")).sort();
      const work = scratch();
      writeFileSync(join(work, "root.pem"), readFileSync(join(dir, "ca", "root.pem")));
      if (intermediate)
        writeFileSync(join(work, "intermediate.pem"), readFileSync(join(dir, "ca", "intermediate.pem")));
      crlBlocks(join(dir, "crl.pem")).forEach((pem, i) => {
        writeFileSync(join(work, `ca-${i}.crl`), pem);
      });
      let r = openssl(["rehash", work]);
      if (r.code !== 0) {
        // builds without the rehash command ship the c_rehash script instead
        const c = spawnSync("c_rehash", [work], { encoding: "utf8" });
        r = { code: c.status ?? -1, stdout: c.stdout, stderr: c.stderr, out: c.stdout + c.stderr };
      }
      expect(r.code, r.out).toBe(0);
      const theirs = readdirSync(work)
        .filter((n) => /^[0-9a-f]{8}\.r?\d+$/.test(n))
        .sort();
      expect(theirs).toHaveLength(intermediate ? 4 : 2);
      expect(ours).toEqual(theirs);
      // and each name holds the same object
      for (const n of theirs) {
        expect(readFileSync(join(dir, "crl.d", n), "latin1")).toBe(readFileSync(join(work, n), "latin1"));
      }
    }
  });

  describe("refreshing", () => {
    it("adds the next .rN with a higher cRLNumber and later lastUpdate; -CApath uses the newest", () => {
      const dir = join(scratch(), "pki");
      const deps = systemDeps();
      initCa({ dir, keyType: "ec-p256", intermediate: true }, deps);
      const a = issue({ dir, name: "a", role: "replica" }, deps);
      refreshCrls({ dir }, deps);
      refreshCrls({ dir }, deps);
      revoke({ dir, name: "a" }, deps);
      const names = readdirSync(join(dir, "crl.d")).sort();
      const intHash = subjectHash(join(dir, "ca", "intermediate.pem"));
      const rootHash = subjectHash(join(dir, "ca", "root.pem"));
      expect(names).toEqual(
        [
          `${intHash}.0`,
          `${intHash}.r0`,
          `${intHash}.r1`,
          `${intHash}.r2`,
          `${rootHash}.0`,
          `${rootHash}.r0`,
          `${rootHash}.r1`,
        ].sort(),
      );
      const gens = [0, 1, 2].map((k) => readCrl(join(dir, "crl.d", `${intHash}.r${k}`)));
      for (let k = 1; k < gens.length; k++) {
        expect(gens[k]!.number).toBeGreaterThan(gens[k - 1]!.number!);
        // strictly later, even within one second: OpenSSL keeps the first of equal lastUpdates
        expect(Date.parse(gens[k]!.lastUpdate)).toBeGreaterThan(Date.parse(gens[k - 1]!.lastUpdate));
      }
      expect(gens.map((g) => g.entries.length)).toEqual([0, 0, 1]);
      expectRevoked(verify(a.certPath, ["-CApath", join(dir, "crl.d")]));
    });

    it("two revocations in the same second are both enforced through crl.d", () => {
      // Regression: both CRLs had the same thisUpdate, and OpenSSL's get_crl_sk keeps the first CRL
      // among equal lastUpdates, so .r0 (without b) won over .r1 and b verified OK via ssl_crlpath.
      const dir = join(scratch(), "pki");
      const now = new Date(Math.floor(Date.now() / 1000) * 1000);
      const deps: CoreDeps = { ...systemDeps(), clock: () => now };
      initCa({ dir, keyType: "ec-p256", intermediate: false }, deps);
      const a = issue({ dir, name: "a", role: "replica" }, deps);
      const b = issue({ dir, name: "b", role: "replica" }, deps);
      revoke({ dir, name: "a" }, deps);
      revoke({ dir, name: "b" }, deps);
      for (const leaf of [a, b]) {
        expectRevoked(verify(leaf.certPath, ["-CApath", join(dir, "crl.d")]));
        expectRevoked(
          verify(leaf.certPath, ["-CAfile", join(dir, "ca", "chain.pem"), "-CRLfile", join(dir, "crl.pem")]),
        );
      }
    });

    it("--prune leaves only .r0 per CA, holding the newest CRL, and the directory still works", async () => {
      const dir = join(scratch(), "pki");
      const deps = systemDeps();
      initCa({ dir, keyType: "ec-p256", intermediate: true }, deps);
      const a = issue({ dir, name: "a", role: "replica" }, deps);
      const good = issue({ dir, name: "good", role: "replica" }, deps);
      refreshCrls({ dir }, deps);
      revoke({ dir, name: "a", reason: "superseded" }, deps);
      const before = readCrl(join(dir, "crl.pem")).number;
      const res = refreshCrls({ dir, prune: true }, deps);
      expect(res.pruned).toBe(true);
      const intHash = subjectHash(join(dir, "ca", "intermediate.pem"));
      const rootHash = subjectHash(join(dir, "ca", "root.pem"));
      expect(readdirSync(join(dir, "crl.d")).sort()).toEqual(
        [`${intHash}.0`, `${intHash}.r0`, `${rootHash}.0`, `${rootHash}.r0`].sort(),
      );
      expect(res.crls.map((c) => c.hashFile).sort()).toEqual([`${intHash}.r0`, `${rootHash}.r0`].sort());
      expect(readCrl(join(dir, "crl.d", `${rootHash}.r0`)).number).toBeGreaterThan(before!);
      expect(readCrl(join(dir, "crl.d", `${intHash}.r0`)).entries.map((e) => e.reason)).toEqual([
        "superseded",
      ]);
      expectRevoked(verify(a.certPath, ["-CApath", join(dir, "crl.d")]));
      expectOk(verify(good.certPath, ["-CApath", join(dir, "crl.d")]), good.certPath);
      // and a later refresh goes on from .r1
      refreshCrls({ dir }, deps);
      expect(readdirSync(join(dir, "crl.d"))).toContain(`${intHash}.r1`);
      await expectCrlsMatchIndex(dir, chainCas(dir, true));
    });
  });

  describe("serials that other tools got wrong (opnsense#10558)", () => {
    const V = "V\t301231235959Z\t";
    const indexTxt = [
      `R\t301231235959Z\t250101000000Z,keyCompromise\t80\tunknown\t/CN=high-bit-1`,
      `R\t301231235959Z\t250102030405Z\t00A1B2C3\tunknown\t/CN=leading-00-high-bit`,
      `R\t301231235959Z\t250103000000Z,superseded\t0012AB\tunknown\t/CN=leading-00`,
      `R\t301231235959Z\t250104000000Z,CACompromise\t${"FF".repeat(20)}\tunknown\t/CN=twenty-ff`,
      `R\t301231235959Z\t491231235959Z,affiliationChanged\t0E0830EEA2F85923C0F6BAC4AD4ADBC4642731BF\tunknown\t/CN=leading-0`,
      `R\t301231235959Z\t20500101000000Z,cessationOfOperation\t0ABC\tunknown\t/CN=gen-time`,
      `R\t301231235959Z\t250105000000Z,certificateHold\tabcdef\tunknown\t/CN=lowercase`,
      `R\t301231235959Z\t250106000000Z,unspecified\t7F\tunknown\t/CN=seven-f`,
      `${V}\t01\tunknown\t/CN=valid`,
      `E\t200101000000Z\t\t8001\tunknown\t/CN=expired`,
      "",
    ].join("\n");
    const expected: CrlEntryText[] = [
      { serial: "80", revokedAt: "2025-01-01T00:00:00Z", reason: "keyCompromise" },
      { serial: "A1B2C3", revokedAt: "2025-01-02T03:04:05Z", reason: "(none)" },
      { serial: "12AB", revokedAt: "2025-01-03T00:00:00Z", reason: "superseded" },
      { serial: "FF".repeat(20), revokedAt: "2025-01-04T00:00:00Z", reason: "caCompromise" },
      {
        serial: "0E0830EEA2F85923C0F6BAC4AD4ADBC4642731BF",
        revokedAt: "2049-12-31T23:59:59Z",
        reason: "affiliationChanged",
      },
      { serial: "0ABC", revokedAt: "2050-01-01T00:00:00Z", reason: "cessationOfOperation" },
      { serial: "ABCDEF", revokedAt: "2025-01-05T00:00:00Z", reason: "certificateHold" },
      { serial: "7F", revokedAt: "2025-01-06T00:00:00Z", reason: "(none)" },
    ];

    it.each([false, true])(
      "come out exactly right in openssl crl -text (intermediate: %s)",
      async (intermediate) => {
        const dir = join(scratch(), "pki");
        const deps = systemDeps();
        initCa({ dir, keyType: "ec-p256", intermediate }, deps);
        const file = join(scratch(), "index.txt");
        writeFileSync(file, indexTxt);
        expect(importOpensslIndex({ dir, file })).toEqual({ imported: 10, revoked: 8 });
        refreshCrls({ dir }, deps);
        const crls = await expectCrlsMatchIndex(dir, chainCas(dir, intermediate));
        const leafCa = crls.get(intermediate ? "intermediate" : "root")!;
        expect(leafCa.entries).toEqual(expected);
        // the DER itself: a high-bit serial keeps its 00 sign byte, a leading 00 pair is not kept
        const block = crlBlocks(join(dir, "crl.pem"))[intermediate ? 1 : 0]!;
        const der = Buffer.from(block.replace(/-----[A-Z0-9 ]+-----/g, ""), "base64");
        for (const integer of [
          "02020080",
          "020400a1b2c3",
          "020212ab",
          `021500${"ff".repeat(20)}`,
          "02020abc",
        ]) {
          expect(der.toString("hex")).toContain(integer);
        }
        expect(der.toString("hex")).not.toContain("02030012ab");
      },
    );
  });

  describe("against openssl ca on the same revocations", () => {
    let ca: string;
    let full: string;
    let plain: string;
    beforeAll(() => {
      // an OpenSSL CA database, written by `openssl ca` itself, with serials around the high bit
      ca = scratch();
      mkdirSync(join(ca, "newcerts"));
      writeFileSync(join(ca, "index.txt"), "");
      writeFileSync(join(ca, "serial"), "7D\n");
      writeFileSync(
        join(ca, "ca.cnf"),
        [
          "[ ca ]",
          "default_ca = CA_default",
          "[ CA_default ]",
          "dir = .",
          "database = ./index.txt",
          "new_certs_dir = ./newcerts",
          "serial = ./serial",
          "certificate = ./ca.pem",
          "private_key = ./ca.key",
          "default_md = sha256",
          "policy = policy_any",
          "default_days = 30",
          "default_crl_days = 7",
          "unique_subject = no",
          "[ policy_any ]",
          "commonName = supplied",
          "",
        ].join("\n"),
      );
      const ok = (r: Run) => expect(r.code, r.out).toBe(0);
      ok(
        openssl(
          ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"].concat([
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=openssl ca oracle",
            "-days",
            "30",
          ]),
          ca,
        ),
      );
      ok(
        openssl(
          [
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "l.key",
          ].concat(["-out", "l.csr", "-subj", "/CN=leaf"]),
          ca,
        ),
      );
      const revokeArgs: string[][] = [
        [], // 7D: valid
        ["-crl_reason", "keyCompromise"], // 7E
        [], // 7F: revoked without a reason
        ["-crl_reason", "superseded"], // 80
        ["-crl_reason", "cessationOfOperation"], // 81
        ["-crl_reason", "affiliationChanged"], // 82
        ["-crl_reason", "certificateHold"], // 83
        ["-crl_reason", "CACompromise"], // 84
        ["-crl_compromise", "20250101120000Z"], // 85: keyTime
        ["-crl_CA_compromise", "20250101120000Z"], // 86: CAkeyTime
        ["-crl_hold", "holdInstructionReject"], // 87: holdInstruction
      ];
      revokeArgs.forEach((args, i) => {
        ok(openssl(["ca", "-batch", "-config", "ca.cnf", "-in", "l.csr", "-out", `l${i}.pem`], ca));
        if (i > 0) ok(openssl(["ca", "-config", "ca.cnf", "-revoke", `l${i}.pem`, ...args], ca));
      });
      ok(openssl(["ca", "-config", "ca.cnf", "-gencrl", "-out", "crl.pem"], ca));
      full = readFileSync(join(ca, "index.txt"), "utf8");
      // the lines without openssl's keyTime / CAkeyTime / holdInstruction forms (imported separately below)
      plain = full
        .split("\n")
        .filter((l) => !/,(keyTime|CAkeyTime|holdInstruction),/.test(l))
        .join("\n");
      writeFileSync(join(ca, "plain.txt"), plain);
    });

    it("lists the same serials, dates and reasons as openssl ca -gencrl", async () => {
      const dir = join(scratch(), "pki");
      const deps = systemDeps();
      initCa({ dir, keyType: "ec-p256", intermediate: true }, deps);
      expect(importOpensslIndex({ dir, file: join(ca, "plain.txt") })).toEqual({ imported: 8, revoked: 7 });
      refreshCrls({ dir }, deps);
      const theirs = readCrl(join(ca, "crl.pem"))
        .entries.filter((e) => Number.parseInt(e.serial, 16) <= 0x84)
        // openssl ca writes reasonCode 0 for an explicit "unspecified"; RFC 5280 §5.3.1 says omit it
        .map((e) => ({ ...e, reason: e.reason === "unspecified" ? "(none)" : e.reason }));
      expect(theirs.map((e) => e.serial)).toEqual(["7E", "7F", "80", "81", "82", "83", "84"]);
      const crls = await expectCrlsMatchIndex(dir, chainCas(dir, true));
      expect(crls.get("intermediate")!.entries).toEqual(theirs);
    });

    // `openssl ca -revoke` with -crl_compromise / -crl_CA_compromise / -crl_hold writes the reasons
    // "keyTime", "CAkeyTime" and "holdInstruction" (apps/ca.c make_revocation_str): the importer maps
    // them to keyCompromise, caCompromise and certificateHold.
    it("imports an index with the reasons openssl ca writes for -crl_compromise and -crl_hold", () => {
      const dir = join(scratch(), "pki");
      initCa({ dir, keyType: "ec-p256" }, systemDeps());
      expect(full).toMatch(/,keyTime,/);
      writeFileSync(join(ca, "full.txt"), full);
      expect(importOpensslIndex({ dir, file: join(ca, "full.txt") })).toEqual({ imported: 11, revoked: 10 });
    });
  });
});
