import { describe, expect, it } from "vitest";
import { nodeKeySource } from "../../src/api/deps.js";
import { createCa } from "../../src/core/ca.js";
import { OID } from "../../src/core/der/oids.js";
import { issueLeaf, type SigningCa } from "../../src/core/issue.js";
import { formatIp } from "../../src/core/net/ip.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { commonNames } from "../../src/core/x509/name.js";
import { parsePrivateKeyPem, signerFor } from "../../src/crypto/keys.js";
import { ReplPkiError } from "../../src/errors.js";
import { FIXED_NOW, testDeps } from "../helpers/deps.js";

function signingCa(intermediate = false): SigningCa {
  const deps = testDeps();
  const m = createCa({ cn: "Test Repl CA", keyType: "ec-p256", intermediate }, deps);
  const s = m.intermediate ?? m.root;
  const parsed = parseCertificateDer(s.certDer);
  return {
    name: intermediate ? "intermediate" : "root",
    subject: parsed.subject,
    keyId: s.keyId,
    signer: signerFor(parsePrivateKeyPem(s.keyPem)),
    notAfter: parsed.notAfter,
    chainCommonNames: ["Test Repl CA", ...(intermediate ? ["Test Repl CA Intermediate"] : [])],
  };
}

describe("createCa", () => {
  it("makes a v3 self-signed root with CA:TRUE critical, keyCertSign+cRLSign, SKI = AKI", () => {
    const m = createCa({ cn: "Test Repl CA", keyType: "ec-p256" }, testDeps());
    const c = parseCertificateDer(m.root.certDer);
    expect(c.version).toBe(3);
    expect(c.subject.equals(c.issuer)).toBe(true);
    expect(c.basicConstraints).toEqual({ ca: true, pathLen: undefined });
    expect(c.extensions.find((e) => e.oid === OID.basicConstraints)?.critical).toBe(true);
    expect(c.keyUsage).toEqual([5, 6]);
    expect(c.subjectKeyId?.equals(c.authorityKeyId!)).toBe(true);
    expect(c.notAfter.getTime() - FIXED_NOW.getTime()).toBe(3650 * 86_400_000);
    expect(m.intermediate).toBeUndefined();
  });
  it("makes an intermediate with pathLen 0 signed by the root, never outliving it", () => {
    const m = createCa({ cn: "Test Repl CA", keyType: "ec-p256", intermediate: true, days: 100 }, testDeps());
    const root = parseCertificateDer(m.root.certDer);
    const int = parseCertificateDer(m.intermediate!.certDer);
    expect(int.basicConstraints).toEqual({ ca: true, pathLen: 0 });
    expect(int.issuer.equals(root.subject)).toBe(true);
    expect(int.authorityKeyId?.equals(root.subjectKeyId!)).toBe(true);
    expect(int.notAfter.getTime()).toBe(root.notAfter.getTime());
    expect(commonNames(int.subject)).toEqual(["Test Repl CA Intermediate"]);
  });
});

describe("issueLeaf", () => {
  const ca = signingCa();
  it("gives a server serverAuth, its hosts as SANs and the first host as CN, backdated notBefore", () => {
    const leaf = issueLeaf(
      ca,
      { name: "db1", role: "server", hosts: ["db1.example.com", "10.0.0.5"], ips: ["fd00::5"] },
      testDeps(),
    );
    const c = parseCertificateDer(leaf.certDer);
    expect(c.extKeyUsage).toEqual([OID.serverAuth]);
    expect(c.san?.dns).toEqual(["db1.example.com"]);
    expect(c.san?.ip.map(formatIp)).toEqual(["10.0.0.5", "fd00::5"]);
    expect(commonNames(c.subject)).toEqual(["db1.example.com"]);
    expect(c.basicConstraints).toEqual({ ca: false, pathLen: undefined });
    expect(FIXED_NOW.getTime() - c.notBefore.getTime()).toBe(5 * 60_000);
    expect(leaf.entry.sans).toBe("DNS:db1.example.com,IP:10.0.0.5,IP:fd00::5");
    expect(leaf.entry.serial).toMatch(/^[0-9A-F]{40}$/);
    expect(leaf.keyPem).toContain("BEGIN EC PRIVATE KEY");
  });
  it("gives a replica without --host its NAME as CN and dNSName, and clientAuth", () => {
    const c = parseCertificateDer(issueLeaf(ca, { name: "replica1", role: "replica" }, testDeps()).certDer);
    expect(c.extKeyUsage).toEqual([OID.clientAuth]);
    expect(c.san?.dns).toEqual(["replica1"]);
    expect(commonNames(c.subject)).toEqual(["replica1"]);
  });
  it("gives a relay both EKUs", () => {
    const c = parseCertificateDer(
      issueLeaf(ca, { name: "relay1", role: "relay", hosts: ["relay1"] }, testDeps()).certDer,
    );
    expect(c.extKeyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
  });
  it("writes RSA keys as PKCS#1 by default and PKCS#8 on request", () => {
    expect(issueLeaf(ca, { name: "r", role: "replica", keyType: "rsa-2048" }, testDeps()).keyPem).toContain(
      "BEGIN RSA PRIVATE KEY",
    );
    expect(issueLeaf(ca, { name: "r", role: "replica", keyFormat: "pkcs8" }, testDeps()).keyPem).toContain(
      "BEGIN PRIVATE KEY",
    );
  });
  it("refuses a CN equal to a CA's CN (mysqld ERROR 2026)", () => {
    expect(() => issueLeaf(ca, { name: "x", role: "server", hosts: ["Test Repl CA"] }, testDeps())).toThrow(
      ReplPkiError,
    );
    const withInt = signingCa(true);
    expect(() =>
      issueLeaf(withInt, { name: "x", role: "server", hosts: ["10.0.0.1"], ips: [] }, testDeps()),
    ).not.toThrow();
    try {
      issueLeaf(
        { ...withInt, chainCommonNames: ["Test Repl CA", "x"] },
        { name: "x", role: "replica" },
        testDeps(),
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ReplPkiError).code).toBe("NAME_EQUALS_CA_CN");
    }
  });
  it("requires a host for a server", () => {
    expect(() => issueLeaf(ca, { name: "db1", role: "server" }, testDeps())).toThrow(
      /needs at least one --host/,
    );
  });
  it("clamps a leaf to the CA's expiry and says so", () => {
    const leaf = issueLeaf(
      { ...ca, notAfter: new Date("2027-01-01T00:00:00Z") },
      { name: "r", role: "replica" },
      testDeps(),
    );
    expect(parseCertificateDer(leaf.certDer).notAfter.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(leaf.warnings[0]).toMatch(/shortened/);
  });
  it("uses the key source for the leaf key (never the CA's)", () => {
    const leaf = issueLeaf(ca, { name: "r", role: "replica" }, { ...testDeps(), keys: nodeKeySource });
    expect(parseCertificateDer(leaf.certDer).spki.equals(ca.signer.spki)).toBe(false);
  });
});
