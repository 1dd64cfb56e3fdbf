// `repl-pki doctor` in-process on real CA directories: a healthy one, one whose CRLs are expiring (the
// clock injected through runCli's deps), one with an identity problem, one whose CA was replaced.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/api/doctor.js";
import { signCertificate } from "../../src/core/x509/certificate-build.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { extension } from "../../src/core/x509/extensions.js";
import { pemDecodeAll, pemEncode } from "../../src/core/x509/pem.js";
import { signerFor } from "../../src/crypto/keys.js";
import { loadCa, loadSigningKey } from "../../src/store/ca-store.js";
import { runCli } from "../helpers/cli.js";
import { FIXED_NOW } from "../helpers/deps.js";
import { tempDir } from "../helpers/tmp.js";

const T0 = FIXED_NOW.getTime();
const DAY = 86_400_000;
const at = (ms: number) => ({ deps: { clock: () => new Date(ms) } });

async function ok(argv: string[], ms = T0) {
  const r = await runCli(argv, at(ms));
  expect(r.code, `${argv.join(" ")}\n${r.stderr}`).toBe(0);
  return r;
}

async function healthyCa(keyType = "ec-p256"): Promise<string> {
  const dir = join(tempDir("repl-pki-doctor-"), "pki");
  await ok(["init-ca", "--dir", dir, "--key-type", keyType, "--intermediate"]);
  await ok(["issue", "server", "db1", "--dir", dir, "--host", "db1.example.com", "--ip", "10.0.0.5"]);
  await ok(["issue", "replica", "r1", "--dir", dir]);
  await ok(["crl", "--dir", dir]);
  return dir;
}

async function doctorJson(dir: string, ms: number, extra: string[] = []) {
  const r = await runCli(["doctor", "--dir", dir, "--json", ...extra], at(ms));
  return { code: r.code, report: JSON.parse(r.stdout) as DoctorReport, stderr: r.stderr };
}

const find = (r: DoctorReport, item: string, check: string) =>
  r.findings.find((f) => f.item === item && f.check === check);

describe("doctor", () => {
  it("a healthy CA: nothing critical, exit 0; a table with every CA, CRL and certificate", async () => {
    const dir = await healthyCa();
    const r = await runCli(["doctor", "--dir", dir], at(T0 + DAY));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^SEVERITY\s+ITEM\s+CHECK\s+DETAIL\n/);
    for (const item of ["CA root", "CA intermediate", "CRL root", "CRL intermediate", "cert db1", "cert r1"])
      expect(r.stdout).toContain(item);
    expect(r.stdout).not.toMatch(/^CRITICAL/m);
    expect(r.stdout).toMatch(/\n0 critical, 1 warning\(s\), \d+ ok/);
    // the one warning is a per-flavour limit: ECDSA keys and MySQL 5.7 yaSSL builds
    expect(r.stdout).toMatch(/^WARNING\s+CA directory\s+mysql-5\.7\s+ECDSA keys/m);
    // --strict turns that warning into exit 1
    const strict = await runCli(["doctor", "--dir", dir, "--strict"], at(T0 + DAY));
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^error: 1 warning\(s\) in .* \(--strict\)/);
  });

  it("an RSA CA passes --strict", async () => {
    const dir = await healthyCa("rsa-2048");
    const { code, report } = await doctorJson(dir, T0 + DAY, ["--strict"]);
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ critical: 0, warning: 0 });
  });

  it("CRLs expiring: warning when due (exit 0, --strict 1), critical within a day and once expired (exit 1)", async () => {
    const dir = await healthyCa();
    let d = await doctorJson(dir, T0 + 25 * DAY);
    expect(d.code).toBe(0);
    expect(find(d.report, "CRL root", "crl")).toMatchObject({ severity: "warning" });
    expect(find(d.report, "CRL root", "crl")?.detail).toMatch(/due: .* run repl-pki crl --if-due/);
    expect((await doctorJson(dir, T0 + 25 * DAY, ["--strict"])).code).toBe(1);
    d = await doctorJson(dir, T0 + 29.5 * DAY);
    expect(d.code).toBe(1);
    expect(d.stderr).toBe("");
    expect(find(d.report, "CRL intermediate", "crl")).toMatchObject({ severity: "critical" });
    d = await doctorJson(dir, T0 + 31 * DAY);
    expect(find(d.report, "CRL intermediate", "crl")?.detail).toMatch(/expired .*error 12 "CRL has expired"/);
    const text = await runCli(["doctor", "--dir", dir], at(T0 + 31 * DAY));
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^CRITICAL\s+CRL root\s+crl\s+expired/m);
    expect(text.stderr).toMatch(/^error: \d+ critical problem\(s\) in .*\nhint: fix the CRITICAL rows first/);
  });

  it("no CRL at all is a warning; a CA missing its CRL while another has one is critical", async () => {
    const dir = await healthyCa();
    rmSync(join(dir, "crl.pem"));
    rmSync(join(dir, "crl"), { recursive: true });
    const none = await doctorJson(dir, T0 + DAY);
    expect(find(none.report, "CRL root", "crl")).toMatchObject({ severity: "warning" });
    await ok(["crl", "--dir", dir]);
    const pem = readFileSync(join(dir, "crl.pem"), "latin1");
    writeFileSync(join(dir, "crl.pem"), pem.slice(pem.indexOf("-----END X509 CRL-----") + 23)); // drop the first CRL
    const one = await doctorJson(dir, T0 + DAY);
    expect(one.code).toBe(1);
    expect(one.report.findings.filter((f) => f.check === "crl" && f.severity === "critical")).toHaveLength(1);
  });

  it("an identity problem: a leaf whose CN equals the CA's and has no serverAuth is critical", async () => {
    const dir = await healthyCa();
    const ca = loadCa(dir);
    const path = join(dir, "certs", "db1.pem");
    const old = parseCertificateDer(pemDecodeAll(readFileSync(path, "latin1"))[0]!.der);
    // re-signed by the real CA with the same serial, but the intermediate's subject and no EKU serverAuth
    const der = signCertificate(
      {
        serial: old.serial,
        issuer: old.issuer,
        subject: ca.intermediate!.parsed.subject,
        notBefore: old.notBefore,
        notAfter: old.notAfter,
        spki: old.spki,
        extensions: old.extensions
          .filter((e) => e.oid !== "2.5.29.37")
          .map((e) => extension(e.oid, e.critical, e.value)),
      },
      signerFor(loadSigningKey(ca)),
    );
    writeFileSync(path, pemEncode("CERTIFICATE", der));
    const { code, report } = await doctorJson(dir, T0 + DAY);
    expect(code).toBe(1);
    expect(find(report, "cert db1", "cn-equals-ca")).toMatchObject({ severity: "critical" });
    expect(find(report, "cert db1", "issuer")).toMatchObject({ severity: "ok" });
    expect(find(report, "cert r1", "identity")).toMatchObject({ severity: "ok" });
  });

  it("certificates issued by a CA that is no longer in the chain are critical", async () => {
    const dir = await healthyCa();
    const other = await healthyCa();
    for (const f of ["root.pem", "root.key", "intermediate.pem", "intermediate.key", "chain.pem"])
      cpSync(join(other, "ca", f), join(dir, "ca", f));
    const { code, report } = await doctorJson(dir, T0 + DAY);
    expect(code).toBe(1);
    expect(find(report, "cert db1", "issuer")?.detail).toMatch(
      /issued by a CA that is no longer in the chain/,
    );
    expect(find(report, "CRL root", "crl")?.detail).toMatch(/does not verify with the CA's key/);
  });

  it("warns about revoked certificates that still work where CRLs are ignored", async () => {
    const dir = await healthyCa();
    await ok(["revoke", "r1", "--dir", dir]);
    const { report } = await doctorJson(dir, T0 + DAY);
    expect(find(report, "CA directory", "revocation")?.detail).toMatch(/r1 revoked .*yaSSL .*wolfSSL/);
  });

  it("leaf expiry windows: warning within 30 days, critical within 7 and after", async () => {
    const dir = await healthyCa();
    const notAfter = parseCertificateDer(
      pemDecodeAll(readFileSync(join(dir, "certs", "db1.pem"), "latin1"))[0]!.der,
    ).notAfter.getTime();
    await ok(["crl", "--dir", dir, "--days", "3000"], notAfter - 40 * DAY);
    expect(find((await doctorJson(dir, notAfter - 20 * DAY)).report, "cert db1", "expiry")?.severity).toBe(
      "warning",
    );
    expect(find((await doctorJson(dir, notAfter - 3 * DAY)).report, "cert db1", "expiry")?.severity).toBe(
      "critical",
    );
    expect(find((await doctorJson(dir, notAfter + DAY)).report, "cert db1", "expiry")?.detail).toMatch(
      /expired/,
    );
  });

  it("exit 3 without a CA", async () => {
    const r = await runCli(["doctor", "--dir", join(tempDir(), "nope")], at(T0));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: no CA in /);
  });
});
