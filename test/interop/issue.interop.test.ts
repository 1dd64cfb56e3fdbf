// Every issued leaf checked by independent implementations: the openssl CLI and node:crypto.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { systemDeps } from "../../src/api/deps.js";
import { initCa } from "../../src/api/init-ca.js";
import { issue } from "../../src/api/issue.js";
import type { KeyType } from "../../src/core/x509/signer.js";
import { opensslCli } from "../helpers/exec.js";
import { tempDir } from "../helpers/tmp.js";

const CASES: Array<{ keyType: KeyType; intermediate: boolean }> = [
  { keyType: "rsa-2048", intermediate: false },
  { keyType: "ec-p256", intermediate: true },
  { keyType: "ec-p384", intermediate: false },
];

beforeAll(() => {
  expect(opensslCli(["version"]).code, "openssl must be installed (.ci/run installs it)").toBe(0);
});

describe.each(CASES)("a $keyType CA (intermediate: $intermediate)", ({ keyType, intermediate }) => {
  function setup() {
    const dir = join(tempDir(), "pki");
    const deps = systemDeps();
    initCa({ dir, keyType, intermediate, cn: "Interop CA" }, deps);
    const server = issue(
      { dir, name: "db1", role: "server", hosts: ["db1.example.com"], ips: ["10.0.0.5", "fd00::5"] },
      deps,
    );
    const replica = issue({ dir, name: "replica1", role: "replica" }, deps);
    const relay = issue({ dir, name: "relay1", role: "relay", hosts: ["relay1.example.com"] }, deps);
    return { dir, chain: join(dir, "ca", "chain.pem"), server, replica, relay };
  }

  it("passes openssl verify for the purpose its role needs, and fails the other", () => {
    const s = setup();
    const verify = (purpose: string, cert: string) =>
      opensslCli(["verify", "-CAfile", s.chain, "-purpose", purpose, cert]);
    expect(verify("sslserver", s.server.certPath).stdout).toMatch(/: OK$/m);
    expect(verify("sslclient", s.replica.certPath).stdout).toMatch(/: OK$/m);
    expect(verify("sslserver", s.relay.certPath).stdout).toMatch(/: OK$/m);
    expect(verify("sslclient", s.relay.certPath).stdout).toMatch(/: OK$/m);
    const wrong = verify("sslclient", s.server.certPath);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
    expect(verify("sslserver", s.replica.certPath).code).not.toBe(0);
  });

  it("shows the expected SAN, EKU, KU, CN and version in openssl x509 -text", () => {
    const s = setup();
    const text = opensslCli(["x509", "-in", s.server.certPath, "-noout", "-text"]).stdout;
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/Subject: CN ?= ?db1\.example\.com/);
    expect(text).toMatch(/DNS:db1\.example\.com, IP Address:10\.0\.0\.5, IP Address:FD00:0:0:0:0:0:0:5/);
    expect(text).toMatch(/X509v3 Extended Key Usage: *\n *TLS Web Server Authentication\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n *Digital Signature/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n *CA:FALSE/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
    expect(text).toMatch(/X509v3 Authority Key Identifier/);
    const serial = opensslCli(["x509", "-in", s.server.certPath, "-noout", "-serial"]).stdout.trim();
    expect(serial).toBe(`serial=${s.server.entry.serial}`);
    const replicaText = opensslCli(["x509", "-in", s.replica.certPath, "-noout", "-text"]).stdout;
    expect(replicaText).toMatch(/TLS Web Client Authentication/);
    expect(replicaText).toMatch(/DNS:replica1/);
    if (keyType.startsWith("rsa")) expect(text).toMatch(/Digital Signature, Key Encipherment/);
  });

  it("writes a key that matches the certificate, in the traditional PEM form", () => {
    const s = setup();
    const keyPem = readFileSync(s.server.keyPath, "latin1");
    expect(keyPem).toContain(keyType.startsWith("rsa") ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
    const fromKey = opensslCli(["pkey", "-in", s.server.keyPath, "-pubout"]).stdout;
    const fromCert = opensslCli(["x509", "-in", s.server.certPath, "-noout", "-pubkey"]).stdout;
    expect(fromKey).toContain("BEGIN PUBLIC KEY");
    expect(fromKey).toBe(fromCert);
  });

  it("agrees with node:crypto X509Certificate (checkHost, checkIP, verify, checkPrivateKey)", () => {
    const s = setup();
    const cert = new X509Certificate(readFileSync(s.server.certPath));
    const issuerPem = readFileSync(
      intermediate ? join(s.dir, "ca", "intermediate.pem") : join(s.dir, "ca", "root.pem"),
    );
    const issuer = new X509Certificate(issuerPem);
    expect(cert.verify(issuer.publicKey)).toBe(true);
    expect(cert.checkIssued(issuer)).toBe(true);
    expect(cert.checkHost("db1.example.com")).toBe("db1.example.com");
    expect(cert.checkHost("db2.example.com")).toBeUndefined();
    expect(cert.checkIP("10.0.0.5")).toBe("10.0.0.5");
    expect(cert.checkIP("fd00::5")).toBeTruthy();
    expect(cert.checkIP("10.0.0.6")).toBeUndefined();
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(s.server.keyPath)))).toBe(true);
    expect(cert.ca).toBe(false);
    expect(issuer.ca).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe(keyType.startsWith("rsa") ? "rsa" : "ec");
  });
});
