// checkCrl: the last gate before a CRL is written. A CRL that does not verify with its CA's key, names
// another issuer, or is not current would make every server loading it refuse every
// certificate-presenting connection (spec §1), so each of those is refused with CRL_INVALID.
import { describe, expect, it } from "vitest";
import { buildCrl, type CrlEntry } from "../../src/core/crl/build-crl.js";
import { checkCrl } from "../../src/core/crl/check-crl.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { generatePrivateKey, signerFor } from "../../src/crypto/keys.js";
import { ReplPkiError } from "../../src/errors.js";
import { cnNames, makeTestCa, type TestCa } from "../helpers/openssl.js";

const NOW = new Date("2026-11-25T12:00:00Z");
const MIN = 60_000;
const DAY = 86_400_000;

const ENTRIES: CrlEntry[] = [
  { serial: Buffer.from([0x80, 0x01]), revokedAt: new Date("2026-11-01T00:00:00Z"), reason: "keyCompromise" },
  { serial: Buffer.from([0x00, 0x7f]), revokedAt: new Date("2026-11-02T00:00:00Z"), reason: "unspecified" },
];

function crlOf(
  ca: TestCa,
  over: { key?: TestCa["key"]; issuer?: Buffer; thisUpdate?: Date; nextUpdate?: Date } = {},
): Buffer {
  return buildCrl(
    {
      issuer: over.issuer ?? ca.subject,
      authorityKeyId: ca.keyId,
      crlNumber: 7n,
      thisUpdate: over.thisUpdate ?? new Date(NOW.getTime() - 5 * MIN),
      nextUpdate: over.nextUpdate ?? new Date(NOW.getTime() + 30 * DAY),
      entries: ENTRIES,
    },
    signerFor(over.key ?? ca.key),
  );
}

function refusal(fn: () => unknown): ReplPkiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReplPkiError);
    return e as ReplPkiError;
  }
  throw new Error("expected checkCrl to refuse");
}

describe("checkCrl", () => {
  const ca = makeTestCa("repl-pki check-crl CA");
  const caCert = parseCertificateDer(ca.der);

  it("accepts a current CRL signed by the CA and returns it parsed", () => {
    const crl = checkCrl(crlOf(ca), caCert, "root", NOW);
    expect(crl.crlNumber).toBe(7n);
    expect(crl.entryCount).toBe(2);
    expect(crl.issuer.equals(ca.subject)).toBe(true);
    expect(crl.authorityKeyId?.equals(ca.keyId)).toBe(true);
  });

  it("refuses a CRL signed by another key (same issuer name)", () => {
    const other = generatePrivateKey("ec-p256");
    const e = refusal(() => checkCrl(crlOf(ca, { key: other }), caCert, "intermediate", NOW));
    expect(e.code).toBe("CRL_INVALID");
    expect(e.category).toBe("input");
    expect(e.message).toMatch(/intermediate CA.*signature does not verify/);
    expect(e.hint).toBeTruthy();
  });

  it("refuses a CRL signed by a key of another type (RSA CRL for an EC CA)", () => {
    const rsa = generatePrivateKey("rsa-2048");
    expect(refusal(() => checkCrl(crlOf(ca, { key: rsa }), caCert, "root", NOW)).code).toBe("CRL_INVALID");
  });

  it("refuses a CRL whose nextUpdate has passed, or is exactly now", () => {
    const expired = crlOf(ca, {
      thisUpdate: new Date(NOW.getTime() - 31 * DAY),
      nextUpdate: new Date(NOW.getTime() - DAY),
    });
    const e = refusal(() => checkCrl(expired, caCert, "root", NOW));
    expect(e.code).toBe("CRL_INVALID");
    expect(e.message).toMatch(/nextUpdate 2026-11-24T12:00:00Z is not in the future/);
    const atNow = crlOf(ca, { thisUpdate: new Date(NOW.getTime() - DAY), nextUpdate: NOW });
    expect(refusal(() => checkCrl(atNow, caCert, "root", NOW)).code).toBe("CRL_INVALID");
    // one second later it is fine
    const later = crlOf(ca, {
      thisUpdate: new Date(NOW.getTime() - DAY),
      nextUpdate: new Date(NOW.getTime() + 1000),
    });
    expect(checkCrl(later, caCert, "root", NOW).entryCount).toBe(2);
  });

  it("refuses a CRL naming another issuer, even when the signature is the CA's", () => {
    const e = refusal(() => checkCrl(crlOf(ca, { issuer: cnNames("someone else") }), caCert, "root", NOW));
    expect(e.code).toBe("CRL_INVALID");
    expect(e.message).toMatch(/issuer is not the CA's subject/);
  });

  it("refuses a CRL whose signed bytes were altered after signing", () => {
    const der = Buffer.from(crlOf(ca));
    // the first entry's serial 80 01 sits in the TBS: change it to 80 02
    const at = der.indexOf(Buffer.from([0x02, 0x03, 0x00, 0x80, 0x01]));
    expect(at).toBeGreaterThan(0);
    der[at + 4] = 0x02;
    const e = refusal(() => checkCrl(der, caCert, "root", NOW));
    expect(e.code).toBe("CRL_INVALID");
  });

  it("refuses a CRL for another CA's certificate (checked against the wrong CA)", () => {
    const other = makeTestCa("repl-pki check-crl CA"); // same name, other key
    const e = refusal(() => checkCrl(crlOf(ca), parseCertificateDer(other.der), "root", NOW));
    expect(e.message).toMatch(/signature does not verify/);
  });
});
