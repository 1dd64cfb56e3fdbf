// Two runs with the same --seed and --at: EC keys, serials, names, dates, CRL contents and the manifest
// are identical; what differs is exactly what the manifest says (ECDSA signature values, and everything
// of the RSA scenarios' keys). A different seed or time changes keys/serials or dates.
import { beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type FixturesResult } from "../../src/api/fixtures.js";
import { parseCrlDer } from "../../src/core/crl/parse-crl.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { pemDecodeAll } from "../../src/core/x509/pem.js";

const AT = "2027-03-01T08:00:00Z";
const RSA_SCENARIOS = new Set(["mysql-auto-generated", "key-pkcs1", "key-pkcs8"]);
let a: FixturesResult;
let b: FixturesResult;

const contents = (r: FixturesResult) => new Map(r.plan.map((f) => [f.path, Buffer.from(f.contents)]));

/** The signed part of every certificate and CRL in a PEM file, and the signatures. */
function signedParts(pem: Buffer): { tbs: Buffer[]; signatures: Buffer[] } {
  const blocks = pemDecodeAll(pem.toString("latin1"));
  const parsed = blocks.map((blk) =>
    blk.label === "X509 CRL" ? parseCrlDer(blk.der) : parseCertificateDer(blk.der),
  );
  return { tbs: parsed.map((p) => p.tbs), signatures: parsed.map((p) => p.signature) };
}

beforeAll(async () => {
  [a, b] = await Promise.all([
    createFixtures({ seed: "same", at: AT }),
    createFixtures({ seed: "same", at: AT }),
  ]);
}, 60_000);

describe("two runs with the same --seed and --at", () => {
  it("write the same files, the same manifest and the same key files for every EC scenario", () => {
    const ca = contents(a);
    const cb = contents(b);
    expect([...ca.keys()]).toEqual([...cb.keys()]);
    expect(cb.get("manifest.json")).toEqual(ca.get("manifest.json"));
    expect(a.manifest.determinism.identical.length).toBeGreaterThan(0);
    for (const [path, x] of ca) {
      const scenario = path.split("/")[0]!;
      if (path.endsWith("/key.pem") && !RSA_SCENARIOS.has(scenario)) expect(cb.get(path), path).toEqual(x);
      if (path.endsWith("/key.pem") && RSA_SCENARIOS.has(scenario)) expect(cb.get(path), path).not.toEqual(x);
    }
  });

  it("differ in EC scenarios only in signature values: every to-be-signed part is identical", () => {
    const cb = contents(b);
    let compared = 0;
    let signaturesDiffer = 0;
    for (const [path, x] of contents(a)) {
      const scenario = path.split("/")[0]!;
      if (RSA_SCENARIOS.has(scenario) || path === "manifest.json" || path.endsWith("/key.pem")) continue;
      const y = cb.get(path)!;
      const [px, py] = [signedParts(x), signedParts(y)];
      expect(px.tbs.length, path).toBeGreaterThan(0);
      expect(py.tbs, path).toEqual(px.tbs);
      compared++;
      if (!Buffer.concat(px.signatures).equals(Buffer.concat(py.signatures))) signaturesDiffer++;
    }
    expect(compared).toBeGreaterThan(100);
    // node:crypto's ECDSA nonce is random: signatures (so the PEM bytes) differ, as the manifest says
    expect(signaturesDiffer).toBe(compared);
  });

  it("agree on serials, names and dates, RSA scenarios included", () => {
    const summary = (r: FixturesResult) => r.manifest.scenarios.map((s) => s.certificates);
    expect(summary(b)).toEqual(summary(a));
    const rsa = a.manifest.scenarios.filter((s) => RSA_SCENARIOS.has(s.name));
    expect(rsa.map((s) => s.keyType)).toEqual(["rsa-2048", "rsa-2048", "rsa-2048"]);
  });
});

describe("changing the seed or the time", () => {
  it("a different seed changes EC keys and serials but not names or dates", async () => {
    const c = await createFixtures({ seed: "other", at: AT, scenarios: ["valid"] });
    const a1 = a.manifest.scenarios.find((s) => s.name === "valid")!;
    const c1 = c.manifest.scenarios[0]!;
    expect(c1.certificates.source.serial).not.toBe(a1.certificates.source.serial);
    expect(c1.certificates.source.subject).toBe(a1.certificates.source.subject);
    expect(c1.certificates.source.notAfter).toBe(a1.certificates.source.notAfter);
    const key = (r: FixturesResult) => r.plan.find((f) => f.path === "valid/source/key.pem")!.contents;
    expect(key(c)).not.toEqual(key(a));
  });

  it("a different time moves every date and keeps keys and serials", async () => {
    const c = await createFixtures({ seed: "same", at: "2027-03-02T08:00:00Z", scenarios: ["valid"] });
    const a1 = a.manifest.scenarios.find((s) => s.name === "valid")!.certificates.source;
    const c1 = c.manifest.scenarios[0]!.certificates.source;
    expect(c1.serial).toBe(a1.serial);
    expect(Date.parse(c1.notAfter) - Date.parse(a1.notAfter)).toBe(86_400_000);
  });

  it("without --seed and --at nothing is promised", async () => {
    const c = await createFixtures({ scenarios: ["valid"] });
    expect(c.manifest.seed).toBeNull();
    expect(c.manifest.determinism.identical).toEqual([]);
  });
});
