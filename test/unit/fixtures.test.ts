// createFixtures in memory: key derivation, the shape of every scenario's bundles, what each scenario
// breaks (read back from the DER), the manifest's verdict rules, and that the user-facing commands keep
// refusing what the fixtures build on purpose.
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type FixturesResult } from "../../src/api/fixtures.js";
import { checkCrl } from "../../src/core/crl/check-crl.js";
import { parseCrlDer } from "../../src/core/crl/parse-crl.js";
import { OID } from "../../src/core/der/oids.js";
import { deriveEcKey, deriveSerial } from "../../src/core/fixtures/derive.js";
import { SCENARIO_NAMES, selectScenarios } from "../../src/core/fixtures/fixtures.js";
import type { ScenarioManifest } from "../../src/core/fixtures/manifest.js";
import { issueLeaf } from "../../src/core/issue.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { commonNames } from "../../src/core/x509/name.js";
import { pemDecodeAll } from "../../src/core/x509/pem.js";
import { signerFor } from "../../src/crypto/keys.js";
import { testDeps } from "../helpers/deps.js";

const AT = "2026-11-25T12:00:00Z";
let fx: FixturesResult;
const file = (path: string) => {
  const f = fx.plan.find((p) => p.path === path);
  if (!f) throw new Error(`no ${path} in the plan`);
  return f;
};
const text = (path: string) => file(path).contents.toString();
const certs = (path: string) => pemDecodeAll(text(path)).map((b) => parseCertificateDer(b.der));
const scenario = (name: string): ScenarioManifest => fx.manifest.scenarios.find((s) => s.name === name)!;
const spkiOfKey = (path: string) =>
  createPublicKey(createPrivateKey(text(path))).export({ type: "spki", format: "der" }) as Buffer;

beforeAll(async () => {
  fx = await createFixtures({ seed: "unit", at: AT });
}, 60_000);

describe("derived EC keys", () => {
  it.each(["ec-p256", "ec-p384"] as const)(
    "%s: SEC1, PKCS#8 and SPKI are exactly what node:crypto exports",
    (type) => {
      const m = deriveEcKey(Buffer.from("seed"), "label", type);
      const key = createPrivateKey({ key: m.pkcs8, format: "der", type: "pkcs8" });
      expect(key.export({ type: "pkcs8", format: "der" })).toEqual(m.pkcs8);
      expect(key.export({ type: "sec1", format: "der" })).toEqual(m.sec1);
      expect(createPublicKey(key).export({ type: "spki", format: "der" })).toEqual(m.spki);
      expect(signerFor(key).keyType).toBe(type);
    },
  );
  it("depends on seed and label only", () => {
    const a = deriveEcKey(Buffer.from("s"), "x", "ec-p256");
    expect(deriveEcKey(Buffer.from("s"), "x", "ec-p256").sec1).toEqual(a.sec1);
    expect(deriveEcKey(Buffer.from("s"), "y", "ec-p256").sec1).not.toEqual(a.sec1);
    expect(deriveEcKey(Buffer.from("t"), "x", "ec-p256").sec1).not.toEqual(a.sec1);
  });
  it("makes 16-octet positive serials, with the top bit only when asked", () => {
    for (let i = 0; i < 200; i++) {
      const s = deriveSerial(Buffer.from("s"), `l${i}`);
      expect(s.length).toBe(16);
      expect(s[0]! & 0xc0).toBe(0x40);
      expect(deriveSerial(Buffer.from("s"), `l${i}`, true)[0]! & 0x80).toBe(0x80);
    }
  });
});

describe("scenario selection", () => {
  it("defaults to every scenario; --replicas alone means only the topology; with names it adds it", () => {
    expect(selectScenarios(undefined, undefined)).toEqual(SCENARIO_NAMES);
    expect(selectScenarios(undefined, 10)).toEqual(["topology"]);
    expect(selectScenarios(["wrong-host", "valid"], 2)).toEqual(["valid", "wrong-host", "topology"]);
    expect(() => selectScenarios(["nope"], undefined)).toThrow(/unknown scenario "nope"/);
  });
  it("covers every scenario the issue lists", () => {
    for (const n of [
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
      "wrong-host",
      "ip-host-no-ip-san",
      "wildcard-rejected",
      "cn-equals-ca-cn",
      "self-signed-server",
      "mysql-auto-generated",
      "replica-no-client-auth",
      "server-no-server-auth",
      "leaf-expired",
      "leaf-not-yet-valid",
      "ca-expired",
      "serial-high-bit",
      "v1-certificate",
      "key-mismatch",
      "key-pkcs1",
      "key-pkcs8",
      "topology",
    ])
      expect(SCENARIO_NAMES).toContain(n);
  });
});

describe("bundles", () => {
  it("gives every scenario a source/ and replica/ with the bundle file names; keys 0600", () => {
    for (const s of fx.manifest.scenarios) {
      for (const dir of [s.dirs.source, ...s.dirs.replicas]) {
        for (const f of ["ca.pem", "cert.pem", "crl.pem"]) expect(file(`${dir}/${f}`).mode).toBe(0o644);
        expect(file(`${dir}/key.pem`).mode).toBe(0o600);
        const hashed = fx.plan
          .filter((p) => p.path.startsWith(`${dir}/crl.d/`))
          .map((p) => p.path.split("/").pop());
        expect(hashed.some((h) => /^[0-9a-f]{8}\.r0$/.test(h!))).toBe(true);
        expect(hashed.some((h) => /^[0-9a-f]{8}\.0$/.test(h!))).toBe(true);
      }
    }
    expect(fx.plan.at(-1)?.path).toBe("manifest.json");
    expect(JSON.parse(text("manifest.json"))).toEqual(fx.manifest);
  });

  it("puts intermediates into ca.pem (before the root) and after the leaf in cert.pem", () => {
    const ca = certs("valid-intermediate/replica/ca.pem");
    expect(ca.map((c) => commonNames(c.subject)[0])).toEqual([
      "repl-pki fixtures valid-intermediate intermediate CA",
      "repl-pki fixtures valid-intermediate root CA",
    ]);
    const chain = certs("valid-intermediate/source/cert.pem");
    expect(chain).toHaveLength(2);
    expect(chain[1]!.der).toEqual(ca[0]!.der);
    expect(pemDecodeAll(text("valid-intermediate/source/crl.pem"))).toHaveLength(2);
    expect(pemDecodeAll(text("root-crl-missing/source/crl.pem"))).toHaveLength(1);
  });

  it("writes the key formats the scenarios name", () => {
    expect(text("valid/source/key.pem")).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(text("key-pkcs1/replica/key.pem")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(text("key-pkcs8/replica/key.pem")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(createPrivateKey(text("key-pkcs8/replica/key.pem")).asymmetricKeyType).toBe("rsa");
  });
});

describe("what each scenario breaks, read back from the DER", () => {
  it("key-mismatch: the replica key is not the certified one; every other key is", () => {
    for (const s of fx.manifest.scenarios) {
      const pairs = [s.dirs.source, s.dirs.replicas[0]!].map((d) => [
        certs(`${d}/cert.pem`)[0]!.spki,
        spkiOfKey(`${d}/key.pem`),
      ]);
      const match = pairs.map(([a, b]) => a!.equals(b!));
      expect(match).toEqual([s.expect.keyMatchesCertificate.source, s.expect.keyMatchesCertificate.replica]);
      expect(match).toEqual([true, s.name !== "key-mismatch"]);
    }
  });

  it("v1-certificate has no version field and no extensions", () => {
    const c = certs("v1-certificate/source/cert.pem")[0]!;
    expect(c.version).toBe(1);
    expect(c.extensions).toEqual([]);
    expect(new X509Certificate(c.der).subject).toBe("CN=localhost");
  });

  it("mysql-auto-generated: RSA 2048, serials 1/2/3, only a critical basicConstraints, no SAN", () => {
    const [ca] = certs("mysql-auto-generated/source/ca.pem");
    const [server] = certs("mysql-auto-generated/source/cert.pem");
    const [client] = certs("mysql-auto-generated/replica/cert.pem");
    expect([ca, server, client].map((c) => c!.serial.toString("hex"))).toEqual(["01", "02", "03"]);
    expect(commonNames(server!.subject)[0]).toMatch(
      /^MySQL_Server_[\d.]+_Auto_Generated_Server_Certificate$/,
    );
    for (const c of [ca, server, client]) {
      expect(c!.extensions.map((e) => [e.oid, e.critical])).toEqual([[OID.basicConstraints, true]]);
      expect(new X509Certificate(c!.der).publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
  });

  it("serial-high-bit-revoked: the serial starts ≥ 0x80 and the CRL lists exactly it", () => {
    const [leaf] = certs("serial-high-bit-revoked/replica/cert.pem");
    expect(leaf!.serial[0]! & 0x80).toBe(0x80);
    const crl = parseCrlDer(pemDecodeAll(text("serial-high-bit-revoked/source/crl.pem"))[0]!.der);
    expect([...crl.entries].map((e) => e.serial.toString("hex"))).toEqual([leaf!.serial.toString("hex")]);
  });

  it("cn-equals-ca-cn, self-signed-server, crl-wrong-key and the date scenarios", () => {
    const [root] = certs("cn-equals-ca-cn/source/ca.pem");
    expect(certs("cn-equals-ca-cn/source/cert.pem")[0]!.subject).toEqual(root!.subject);
    const self = certs("self-signed-server/source/cert.pem");
    expect(self).toHaveLength(1);
    expect(self[0]!.issuer).toEqual(self[0]!.subject);
    const [ca] = certs("crl-wrong-key/source/ca.pem");
    const crlDer = pemDecodeAll(text("crl-wrong-key/source/crl.pem"))[0]!.der;
    expect(() => checkCrl(crlDer, ca!, "root", new Date(AT))).toThrow(/does not verify/);
    const at = Date.parse(AT);
    expect(certs("leaf-expired/source/cert.pem")[0]!.notAfter.getTime()).toBeLessThan(at);
    expect(certs("leaf-not-yet-valid/replica/cert.pem")[0]!.notBefore.getTime()).toBeGreaterThan(at);
    expect(certs("ca-expired/source/ca.pem")[0]!.notAfter.getTime()).toBeLessThan(at);
    expect(certs("ca-expired/source/cert.pem")[0]!.notAfter.getTime()).toBeGreaterThan(at);
  });
});

describe("manifest verdicts", () => {
  it("derives the MariaDB verdict from the others", () => {
    for (const s of fx.manifest.scenarios) {
      const e = s.expect;
      const connects =
        e.serverCertificate.crl.ok &&
        e.serverCertificate.identity.mariadb.match &&
        e.clientCertificate.crl.ok &&
        e.keyMatchesCertificate.replica;
      expect(e.mariadb.outcome, s.name).toBe(connects ? "connects" : "refuses");
      if (!connects) expect([2013, 2026]).toContain(e.mariadb.errno);
    }
  });
  it("computes identity per flavour", () => {
    const id = (n: string) => scenario(n).expect.serverCertificate.identity;
    expect(id("valid")).toMatchObject({
      "mysql-8": { match: true },
      mariadb: { match: true },
      "mysql-5.7": { match: true },
    });
    expect(id("ip-host-no-ip-san")).toMatchObject({
      "mysql-8": { match: false },
      mariadb: { match: true },
      "mysql-5.7": { match: true },
    });
    expect(scenario("ip-host-no-ip-san").expect.serverCertificate.opensslError).toMatchObject({ error: 64 });
    expect(id("cn-equals-ca-cn")["mysql-5.7"].match).toBe(false);
    for (const f of ["mysql-8", "mariadb", "mysql-5.7"] as const) {
      expect(id("wrong-host")[f].match).toBe(false);
      expect(id("wildcard-rejected")[f].match).toBe(false);
      expect(id("mysql-auto-generated")[f].match).toBe(false);
    }
  });
  it("orders combined errors as OpenSSL does (host check before revocation)", () => {
    const e = scenario("source-revoked").expect.serverCertificate;
    expect(e.chain.ok).toBe(true);
    expect(e.crl).toMatchObject({ ok: false, error: 23, depth: 0, message: "certificate revoked" });
    expect(scenario("intermediate-revoked").expect.clientCertificate.crl).toMatchObject({
      error: 23,
      depth: 1,
    });
  });
  it("lists the topology's replicas", async () => {
    const t = await createFixtures({ replicas: 12, seed: "t", at: AT });
    const s = t.manifest.scenarios[0]!;
    expect(s.name).toBe("topology");
    expect(s.dirs.replicas).toHaveLength(12);
    expect(s.dirs.replicas[0]).toBe("topology/replicas/replica-0001");
    expect(new Set(s.certificates.replicas.map((r) => r.serial)).size).toBe(12);
    expect(t.plan.filter((p) => p.path.endsWith("/cert.pem"))).toHaveLength(13);
  });
});

describe("the user-facing commands keep refusing what fixtures build on purpose", () => {
  it("issue refuses a leaf CN equal to a CA's CN; the CRL gate refuses an expired CRL", () => {
    const [root] = certs("valid/source/ca.pem");
    const ca = {
      name: "root",
      subject: root!.subject,
      keyId: root!.subjectKeyId!,
      signer: signerFor(createPrivateKey(text("valid/source/key.pem"))),
      notAfter: root!.notAfter,
      chainCommonNames: ["db.example.test"],
    };
    const req = { name: "db", role: "server" as const, hosts: ["db.example.test"] };
    expect(() => issueLeaf(ca, req, testDeps())).toThrow(/equals a CA's CN/);
    const [expiredCa] = certs("crl-expired/source/ca.pem");
    const der = pemDecodeAll(text("crl-expired/source/crl.pem"))[0]!.der;
    expect(() => checkCrl(der, expiredCa!, "root", new Date(AT))).toThrow(/not in the future/);
  });
});
