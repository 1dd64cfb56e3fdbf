// Every scenario's manifest verdicts against the openssl CLI, the library mysqld and mariadbd verify with.
// Nothing is hard-coded per scenario: the commands come from the manifest (dirs, host, at) and the
// expected answers are the manifest's own; a scenario is right when OpenSSL says the same.
//   chain          openssl verify -attime AT -CAfile <verifier>/ca.pem -untrusted <peer>/cert.pem -purpose P
//   crl            + -crl_check_all -CRLfile <verifier>/crl.pem, and again with -CApath <verifier>/crl.d
//   opensslError   crl + -verify_ip/-verify_hostname HOST for the server certificate (MySQL 8's check)
//   identity       mysql-8: x509 -checkip (IP host) or -checkhost; mariadb: -checkhost, or -checkip for an
//                  IP; mysql-5.7: the subject CN as openssl prints it equals HOST
//   keys           openssl pkey -pubout vs openssl x509 -pubkey
// Without openssl this file skips locally and FAILS under CI.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures } from "../../src/api/fixtures.js";
import { SCENARIO_NAMES } from "../../src/core/fixtures/fixtures.js";
import type { FixturesManifest, ScenarioManifest } from "../../src/core/fixtures/manifest.js";
import type { Verdict } from "../../src/core/fixtures/verdicts.js";
import { mapLimit, runOpenssl } from "../helpers/openssl.js";

const opensslAvailable = spawnSync("openssl", ["version"]).status === 0;
const AT = "2026-11-25T12:00:00Z";

/** `openssl verify` output as a verdict: the first "error N at D depth lookup" line, or OK. */
function verdictOf(r: { code: number; stdout: string; stderr: string }): Verdict {
  const out = `${r.stdout}\n${r.stderr}`;
  const m = /^error (\d+) at (\d+) depth lookup: (.*)$/m.exec(out);
  if (m) return { ok: false, error: Number(m[1]), depth: Number(m[2]), message: m[3]! };
  if (r.code === 0 && /: OK$/m.test(out)) return { ok: true };
  throw new Error(`unexpected openssl verify output (exit ${r.code}):\n${out}`);
}

interface Observed {
  server: { chain: Verdict; crl: Verdict; crlDir: Verdict; opensslError: Verdict };
  client: { chain: Verdict; crl: Verdict; crlDir: Verdict }[];
  identity: { "mysql-8": boolean; mariadb: boolean; "mysql-5.7": boolean };
  keys: { source: boolean; replica: boolean[] };
}

async function observe(out: string, m: FixturesManifest, s: ScenarioManifest): Promise<Observed> {
  const at = String(Date.parse(m.at) / 1000);
  const p = (dir: string, f: string) => join(out, dir, f);
  const verify = async (verifier: string, peer: string, purpose: string, extra: string[]) =>
    verdictOf(
      await runOpenssl([
        "verify",
        "-attime",
        at,
        "-CAfile",
        p(verifier, "ca.pem"),
        "-untrusted",
        p(peer, "cert.pem"),
        "-purpose",
        purpose,
        ...extra,
        p(peer, "cert.pem"),
      ]),
    );
  const sides = (verifier: string, peer: string, purpose: string) =>
    Promise.all([
      verify(verifier, peer, purpose, []),
      verify(verifier, peer, purpose, ["-crl_check_all", "-CRLfile", p(verifier, "crl.pem")]),
      verify(verifier, peer, purpose, ["-crl_check_all", "-CApath", p(verifier, "crl.d")]),
    ]);
  const src = s.dirs.source;
  const replicas = [...new Set([s.dirs.replicas[0]!, s.dirs.replicas.at(-1)!])];
  const ip = isIP(s.host) !== 0;
  const hostOpt = ip ? ["-verify_ip", s.host] : ["-verify_hostname", s.host];
  const [server, full, ...clients] = await Promise.all([
    sides(replicas[0]!, src, "sslserver"),
    verify(replicas[0]!, src, "sslserver", [
      "-crl_check_all",
      "-CRLfile",
      p(replicas[0]!, "crl.pem"),
      ...hostOpt,
    ]),
    ...replicas.map((r) => sides(src, r, "sslclient")),
  ]);
  const x509 = (args: string[]) => runOpenssl(["x509", "-noout", "-in", p(src, "cert.pem"), ...args]);
  const byHost = /does match certificate/.test((await x509(["-checkhost", s.host])).stdout);
  const byIp = ip && /does match certificate/.test((await x509(["-checkip", s.host])).stdout);
  // RFC 2253 prints the RDNs last-first, so the first CN in DER order is the last one printed
  const subject = (await x509(["-subject", "-nameopt", "RFC2253"])).stdout.trim().replace(/^subject=/, "");
  const cns = subject.split(/(?<!\\),/).filter((rdn) => rdn.startsWith("CN="));
  const firstCn = cns.at(-1)?.slice(3);
  const pub = async (dir: string) => {
    const [k, c] = await Promise.all([
      runOpenssl(["pkey", "-pubout", "-in", p(dir, "key.pem")]),
      runOpenssl(["x509", "-pubkey", "-noout", "-in", p(dir, "cert.pem")]),
    ]);
    expect(k.code, k.stderr).toBe(0);
    return k.stdout === c.stdout;
  };
  return {
    server: { chain: server[0], crl: server[1], crlDir: server[2], opensslError: full },
    client: clients.map(([chain, crl, crlDir]) => ({ chain, crl, crlDir })),
    identity: { "mysql-8": ip ? byIp : byHost, mariadb: byHost || byIp, "mysql-5.7": firstCn === s.host },
    keys: { source: await pub(src), replica: await Promise.all(replicas.map(pub)) },
  };
}

describe.skipIf(!opensslAvailable && !process.env.CI)("fixtures manifest against the openssl CLI", () => {
  let out: string;
  let work: string;
  let manifest: FixturesManifest;
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const observed = new Map<string, Observed>();

  beforeAll(async () => {
    expect(opensslAvailable, "openssl must be on PATH (CI installs it)").toBe(true);
    work = mkdtempSync(join(tmpdir(), "repl-pki-fixtures-interop-"));
    out = join(work, "fx");
    const opts = { out, seed: "interop", at: AT, scenarios: [...SCENARIO_NAMES], replicas: 4 };
    manifest = (await createFixtures(opts)).manifest;
    const results = await mapLimit(manifest.scenarios, (s) => observe(out, manifest, s));
    for (const [i, s] of manifest.scenarios.entries()) observed.set(s.name, results[i]!);
  }, 180_000);

  const names = () => manifest.scenarios.map((s) => s.name);
  it("covers every scenario", () => {
    expect(names().length).toBeGreaterThanOrEqual(27);
  });

  it.each([
    "valid",
    "valid-intermediate",
    "valid-ecdsa",
    "replica-revoked",
    "source-revoked",
    "intermediate-revoked",
    "crl-expired",
    "crl-not-yet-valid",
    "root-crl-missing",
    "crl-wrong-key",
    "leaf-expired",
    "leaf-not-yet-valid",
    "ca-expired",
    "serial-high-bit",
    "serial-high-bit-revoked",
    "wrong-host",
    "ip-host-no-ip-san",
    "wildcard-rejected",
    "cn-equals-ca-cn",
    "self-signed-server",
    "mysql-auto-generated",
    "replica-no-client-auth",
    "server-no-server-auth",
    "v1-certificate",
    "key-mismatch",
    "key-pkcs1",
    "key-pkcs8",
    "topology",
  ])("%s: openssl agrees with every verdict of the manifest", (name) => {
    const s = manifest.scenarios.find((x) => x.name === name)!;
    const o = observed.get(name)!;
    const e = s.expect;
    expect(o.server.chain, "server chain").toEqual(e.serverCertificate.chain);
    expect(o.server.crl, "server crl (crl.pem)").toEqual(e.serverCertificate.crl);
    expect(o.server.crlDir, "server crl (crl.d)").toEqual(e.serverCertificate.crl);
    expect(o.server.opensslError, "server, MySQL 8 check").toEqual(e.serverCertificate.opensslError);
    for (const c of o.client) {
      expect(c.chain, "client chain").toEqual(e.clientCertificate.chain);
      expect(c.crl, "client crl (crl.pem)").toEqual(e.clientCertificate.crl);
      expect(c.crlDir, "client crl (crl.d)").toEqual(e.clientCertificate.crl);
      expect(c.crl, "client opensslError").toEqual(e.clientCertificate.opensslError);
    }
    const id = e.serverCertificate.identity;
    expect(o.identity).toEqual({
      "mysql-8": id["mysql-8"].match,
      mariadb: id.mariadb.match,
      "mysql-5.7": id["mysql-5.7"].match,
    });
    expect(o.keys.source).toBe(e.keyMatchesCertificate.source);
    for (const k of o.keys.replica) expect(k).toBe(e.keyMatchesCertificate.replica);
  });

  it("reads every CRL and every certificate file", async () => {
    const files = manifest.scenarios.flatMap((s) => [s.dirs.source, s.dirs.replicas[0]!]);
    const results = await mapLimit(files, async (d) => {
      const crl = await runOpenssl(["crl", "-noout", "-in", join(out, d, "crl.pem")]);
      const cert = await runOpenssl(["x509", "-noout", "-text", "-in", join(out, d, "cert.pem")]);
      return [crl.code, cert.code, d];
    });
    for (const [crl, cert, d] of results) expect([crl, cert], String(d)).toEqual([0, 0]);
  });
});
