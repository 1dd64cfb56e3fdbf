// Our CRLs against the real OpenSSL, the library mysqld loads them with (spec §1: X509_STORE with
// CRL_CHECK | CRL_CHECK_ALL, PEM only). Without openssl these tests skip locally but FAIL under CI.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCrl, type CrlEntry, type RevocationReason } from "../../src/core/crl/build-crl.js";
import { OID } from "../../src/core/der/oids.js";
import { signCertificate } from "../../src/core/x509/certificate-build.js";
import {
  authorityKeyIdentifier,
  basicConstraints,
  extKeyUsage,
  KEY_USAGE,
  keyIdentifier,
  keyUsage,
  subjectKeyIdentifier,
} from "../../src/core/x509/extensions.js";
import { commonNameDer } from "../../src/core/x509/name.js";
import { pemEncode } from "../../src/core/x509/pem.js";
import type { KeyType } from "../../src/core/x509/signer.js";
import { generatePrivateKey, signerFor, spkiDer } from "../../src/crypto/keys.js";

const opensslAvailable = spawnSync("openssl", ["version"]).status === 0;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** openssl's way of printing a serial (i2a_ASN1_INTEGER): the magnitude in uppercase hex, "00" for 0. */
function opensslSerial(magnitude: Uint8Array): string {
  const h = Buffer.from(magnitude)
    .toString("hex")
    .replace(/^(00)+/, "")
    .toUpperCase();
  return h === "" ? "00" : h;
}

/** ASN1_TIME_print: "Jan  1 00:00:00 2025 GMT". */
function opensslTime(d: Date): string {
  const mon = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const p = (n: number) => String(n).padStart(2, "0");
  return `${mon} ${String(d.getUTCDate()).padStart(2, " ")} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

/** `openssl x509 -text` style reason names (OpenSSL's crl_reasons table). */
const OPENSSL_REASON: Record<RevocationReason, string> = {
  unspecified: "Unspecified",
  keyCompromise: "Key Compromise",
  caCompromise: "CA Compromise",
  affiliationChanged: "Affiliation Changed",
  superseded: "Superseded",
  cessationOfOperation: "Cessation Of Operation",
  certificateHold: "Certificate Hold",
};

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.error) throw r.error; // ENOENT under CI: a failure, not a skip
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!opensslAvailable && !process.env.CI)("CRLs read by the openssl CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "repl-pki-crl-interop-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has openssl on PATH", () => {
    expect(opensslAvailable).toBe(true);
  });

  for (const caType of ["ec-p256", "rsa-2048"] as KeyType[]) {
    it(`${caType} CA: CRL verifies, lists every entry exactly, revokes, and expires`, () => {
      const now = Date.now();
      const caKey = generatePrivateKey(caType);
      const ca = signerFor(caKey);
      const caName = commonNameDer(`repl-pki interop ${caType} CA`);
      const caKeyId = keyIdentifier(ca.spki);
      const caCert = signCertificate(
        {
          serial: randomBytes(16),
          issuer: caName,
          subject: caName,
          notBefore: new Date(now - HOUR),
          notAfter: new Date(now + 3650 * DAY),
          spki: ca.spki,
          extensions: [
            basicConstraints(true),
            keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
            subjectKeyIdentifier(caKeyId),
            authorityKeyIdentifier(caKeyId),
          ],
        },
        ca,
      );
      const leaf = (cn: string, serial: Buffer) => {
        const spki = spkiDer(generatePrivateKey("ec-p256"));
        return signCertificate(
          {
            serial,
            issuer: caName,
            subject: commonNameDer(cn),
            notBefore: new Date(now - HOUR),
            notAfter: new Date(now + 365 * DAY),
            spki,
            extensions: [
              basicConstraints(false),
              keyUsage([KEY_USAGE.digitalSignature]),
              extKeyUsage([OID.clientAuth]),
              subjectKeyIdentifier(keyIdentifier(spki)),
              authorityKeyIdentifier(caKeyId),
            ],
          },
          ca,
        );
      };
      // The revoked leaf has a high-bit serial: the half of random serials opnsense#10558 lost.
      const revokedSerial = Buffer.concat([Buffer.from([0x80 | randomBytes(1)[0]!]), randomBytes(15)]);
      const goodSerial = Buffer.concat([Buffer.from([0x00, 0x01]), randomBytes(14)]);

      const at = (iso: string) => new Date(iso);
      const entries: CrlEntry[] = [
        {
          serial: revokedSerial,
          revokedAt: new Date(Math.floor((now - 10 * 60_000) / 1000) * 1000),
          reason: "keyCompromise",
        },
        { serial: Buffer.from([0x80]), revokedAt: at("2025-01-01T00:00:00Z"), reason: "superseded" },
        {
          serial: Buffer.from([0x00, 0x01, 0x02]),
          revokedAt: at("2049-12-31T23:59:59Z"),
          reason: "unspecified",
        },
        { serial: Buffer.alloc(20, 0xff), revokedAt: at("2050-01-01T00:00:00Z"), reason: "caCompromise" },
        {
          serial: Buffer.from(`7f${"ee".repeat(19)}`, "hex"),
          revokedAt: at("1999-02-03T04:05:06Z"),
          reason: "certificateHold",
        },
        { serial: Buffer.from([0x00]), revokedAt: at("2030-06-15T12:00:00Z"), reason: "affiliationChanged" },
        {
          serial: Buffer.from([0x01, 0x00]),
          revokedAt: at("2030-06-15T12:00:01Z"),
          reason: "cessationOfOperation",
        },
      ];
      // Plus random serials of every length 1–20, about half with the high bit set.
      const seen = new Set(entries.map((e) => opensslSerial(e.serial)));
      while (entries.length < 2000) {
        const serial = randomBytes(1 + (entries.length % 20));
        if (seen.has(opensslSerial(serial))) continue;
        seen.add(opensslSerial(serial));
        entries.push({
          serial,
          revokedAt: new Date(Date.UTC(2024, 0, 1) + entries.length * 1000),
          reason: "superseded",
        });
      }
      const thisUpdate = new Date(Math.floor((now - 5 * 60_000) / 1000) * 1000);
      const nextUpdate = new Date(thisUpdate.getTime() + 7 * DAY);
      const crl = buildCrl(
        { issuer: caName, authorityKeyId: caKeyId, crlNumber: 4242n, thisUpdate, nextUpdate, entries },
        ca,
      );

      const f = (name: string) => join(dir, `${caType}-${name}`);
      writeFileSync(f("ca.pem"), pemEncode("CERTIFICATE", caCert));
      writeFileSync(f("crl.pem"), pemEncode("X509 CRL", crl));
      writeFileSync(f("revoked.pem"), pemEncode("CERTIFICATE", leaf("revoked-replica", revokedSerial)));
      writeFileSync(f("good.pem"), pemEncode("CERTIFICATE", leaf("good-replica", goodSerial)));

      // Signature over the CRL, checked by openssl against the CA certificate.
      const verified = run(["crl", "-in", f("crl.pem"), "-CAfile", f("ca.pem"), "-noout", "-verify"]);
      expect(verified.out).toContain("verify OK");
      expect(verified.status).toBe(0);

      // Every entry, as openssl reads it: serial, date and reason.
      const text = execFileSync("openssl", ["crl", "-in", f("crl.pem"), "-noout", "-text"], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(text).toContain("Version 2 (0x1)");
      expect(text).toContain(`Last Update: ${opensslTime(thisUpdate)}`);
      expect(text).toContain(`Next Update: ${opensslTime(nextUpdate)}`);
      expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*4242\b/);
      expect(text.replace(/[\s:]/g, "")).toContain(caKeyId.toString("hex").toUpperCase());
      const blocks = text.split("Serial Number: ").slice(1);
      expect(blocks).toHaveLength(entries.length);
      const printed = blocks.map((b) => {
        const reason = /X509v3 CRL Reason Code:\s*\n\s*(.+)/.exec(b)?.[1]?.trim();
        return {
          serial: b.split("\n")[0]!.trim(),
          date: /Revocation Date: (.+)/.exec(b)?.[1]?.trim(),
          reason: reason ?? "(none)",
        };
      });
      expect(printed).toEqual(
        entries.map((e) => ({
          serial: opensslSerial(e.serial),
          date: opensslTime(e.revokedAt),
          reason: e.reason === "unspecified" ? "(none)" : OPENSSL_REASON[e.reason],
        })),
      );

      // Chain verification the way mysqld does it: CRL_CHECK | CRL_CHECK_ALL.
      const verify = (cert: string, extra: string[] = []) =>
        run([
          "verify",
          "-crl_check_all",
          "-CAfile",
          f("ca.pem"),
          "-CRLfile",
          f("crl.pem"),
          ...extra,
          f(cert),
        ]);
      const good = verify("good.pem");
      expect(good.out).toContain(`${f("good.pem")}: OK`);
      expect(good.status).toBe(0);
      const revoked = verify("revoked.pem");
      expect(revoked.out).toMatch(/error 23 at 0 depth lookup: certificate revoked/);
      expect(revoked.status).not.toBe(0);
      const late = String(Math.floor((nextUpdate.getTime() + DAY) / 1000));
      const expired = verify("good.pem", ["-attime", late]);
      expect(expired.out).toMatch(/error 12 at 0 depth lookup: CRL has expired/);
      expect(expired.status).not.toBe(0);
    });
  }

  it("an empty CRL (no revokedCertificates field) is accepted by openssl", () => {
    const ca = signerFor(generatePrivateKey("ec-p256"));
    const name = commonNameDer("repl-pki interop empty CA");
    const keyId = keyIdentifier(ca.spki);
    const now = Date.now();
    const caCert = signCertificate(
      {
        serial: Buffer.from([0x42]),
        issuer: name,
        subject: name,
        notBefore: new Date(now - HOUR),
        notAfter: new Date(now + DAY),
        spki: ca.spki,
        extensions: [
          basicConstraints(true),
          keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
          subjectKeyIdentifier(keyId),
        ],
      },
      ca,
    );
    const crl = buildCrl(
      {
        issuer: name,
        authorityKeyId: keyId,
        crlNumber: 1n,
        thisUpdate: new Date(now - HOUR),
        nextUpdate: new Date(now + DAY),
        entries: [],
      },
      ca,
    );
    writeFileSync(join(dir, "empty-ca.pem"), pemEncode("CERTIFICATE", caCert));
    writeFileSync(join(dir, "empty-crl.pem"), pemEncode("X509 CRL", crl));
    const r = run([
      "crl",
      "-in",
      join(dir, "empty-crl.pem"),
      "-CAfile",
      join(dir, "empty-ca.pem"),
      "-noout",
      "-verify",
      "-text",
    ]);
    expect(r.out).toContain("verify OK");
    expect(r.out).toContain("No Revoked Certificates.");
    // The CA checked against its own (empty) CRL, as CRL_CHECK_ALL requires for the root (spec §1).
    const v = run([
      "verify",
      "-crl_check_all",
      "-CAfile",
      join(dir, "empty-ca.pem"),
      "-CRLfile",
      join(dir, "empty-crl.pem"),
      join(dir, "empty-ca.pem"),
    ]);
    expect(v.out).toContain(": OK");
    expect(v.status).toBe(0);
  });
});
