// A third independent reader of what we emit (besides openssl and node:crypto): @peculiar/x509 parses
// every certificate and CRL a CA directory holds, and sees the same fields our own parser reports.
import "reflect-metadata";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { refreshCrls } from "../../src/api/crl.js";
import { systemDeps } from "../../src/api/deps.js";
import { initCa } from "../../src/api/init-ca.js";
import { issue } from "../../src/api/issue.js";
import { revoke } from "../../src/api/revoke.js";
import { pemDecodeAll } from "../../src/core/x509/pem.js";
import { tempDir } from "../helpers/tmp.js";

beforeAll(() => {
  x509.cryptoProvider.set(globalThis.crypto);
});

describe.each(["ec-p256", "rsa-2048"] as const)("@peculiar/x509 reads a %s CA's output", (keyType) => {
  it("certificates: subject, SANs, EKU, basicConstraints, serial; signatures verify", async () => {
    const dir = join(tempDir(), "pki");
    const deps = systemDeps();
    initCa({ dir, keyType, intermediate: true, cn: "Peculiar CA" }, deps);
    const s = issue(
      { dir, name: "db1", role: "server", hosts: ["db1.example.com"], ips: ["10.0.0.5"] },
      deps,
    );
    const int = new x509.X509Certificate(readFileSync(join(dir, "ca", "intermediate.pem"), "latin1"));
    const root = new x509.X509Certificate(readFileSync(join(dir, "ca", "root.pem"), "latin1"));
    const leaf = new x509.X509Certificate(readFileSync(s.certPath, "latin1"));
    expect(leaf.subject).toBe("CN=db1.example.com");
    expect(leaf.issuer).toBe("CN=Peculiar CA Intermediate");
    expect(leaf.serialNumber.toUpperCase()).toBe(s.entry.serial);
    const san = leaf.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.items.map((n) => `${n.type}:${n.value}`)).toEqual([
      "dns:db1.example.com",
      "ip:10.0.0.5",
    ]);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([
      x509.ExtendedKeyUsage.serverAuth,
    ]);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    expect(int.getExtension(x509.BasicConstraintsExtension)!.pathLength).toBe(0);
    expect(await leaf.verify({ publicKey: int.publicKey, signatureOnly: true })).toBe(true);
    expect(await int.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect(await root.isSelfSigned()).toBe(true);
  });

  it("CRLs: issuer, entries with serials and reasons; signatures verify", async () => {
    const dir = join(tempDir(), "pki");
    const deps = systemDeps();
    initCa({ dir, keyType, cn: "Peculiar CA" }, deps);
    const a = issue({ dir, name: "a", role: "replica" }, deps);
    issue({ dir, name: "b", role: "replica" }, deps);
    revoke({ dir, name: "a", reason: "keyCompromise" }, deps);
    refreshCrls({ dir }, deps);
    const [block] = pemDecodeAll(readFileSync(join(dir, "crl.pem"), "latin1"));
    const crl = new x509.X509Crl(block!.der);
    const root = new x509.X509Certificate(readFileSync(join(dir, "ca", "root.pem"), "latin1"));
    expect(crl.issuer).toBe("CN=Peculiar CA");
    expect(crl.entries.map((e) => e.serialNumber.toUpperCase())).toEqual([a.entry.serial]);
    expect(crl.entries[0]!.reason).toBe(x509.X509CrlReason.keyCompromise);
    expect(await crl.verify({ publicKey: root.publicKey })).toBe(true);
  });
});
