import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildCrl,
  type CrlEntry,
  type CrlInput,
  parseRevocationReason,
  REASON_CODES,
  type RevocationReason,
} from "../../src/core/crl/build-crl.js";
import { parseCrlDer } from "../../src/core/crl/parse-crl.js";
import { children, DerError, readTlv } from "../../src/core/der/decode.js";
import {
  bitString,
  explicit,
  nullValue,
  oid,
  seq,
  smallInteger,
  TAG,
  tlv,
  unsignedInteger,
} from "../../src/core/der/encode.js";
import { OID } from "../../src/core/der/oids.js";
import { x509Time } from "../../src/core/der/time.js";
import { authorityKeyIdentifier, extension } from "../../src/core/x509/extensions.js";
import { commonNameDer } from "../../src/core/x509/name.js";
import type { Signer } from "../../src/core/x509/signer.js";
import { generatePrivateKey, signerFor } from "../../src/crypto/keys.js";
import { verifySignedDer } from "../../src/crypto/verify-signature.js";

// Fixed clock: nothing here depends on the time the tests run.
const T0 = new Date("2026-11-24T08:10:00Z");
const T1 = new Date("2026-12-01T08:10:00Z");
const ISSUER = commonNameDer("repl-pki unit CA");
const AKI = Buffer.alloc(20, 0xab);
const hex = (h: string) => Buffer.from(h.replace(/\s/g, ""), "hex");

/** Deterministic stand-in for a key, so whole CRLs can be compared byte for byte. */
const fakeSigner: Signer = {
  keyType: "ec-p256",
  algorithmIdentifier: seq(oid(OID.ecdsaWithSHA256)),
  spki: Buffer.alloc(0),
  sign: (data) => createHash("sha256").update(data).digest(),
};

const input = (entries: CrlInput["entries"], over: Partial<CrlInput> = {}): CrlInput => ({
  issuer: ISSUER,
  authorityKeyId: AKI,
  crlNumber: 7n,
  thisUpdate: T0,
  nextUpdate: T1,
  entries,
  ...over,
});

/** The obvious tlv()-per-entry encoder: slow, but written straight from RFC 5280 §5.1. */
function referenceCrl(inp: CrlInput, signer: Signer): Buffer {
  const entries = [...(inp.entries as Iterable<CrlEntry>)].map((e) => {
    const code = REASON_CODES[e.reason];
    const ext =
      code === 0 ? [] : [seq(extension(OID.reasonCode, false, tlv(TAG.ENUMERATED, Uint8Array.of(code))))];
    return seq(unsignedInteger(e.serial), x509Time(e.revokedAt), ...ext);
  });
  const n = inp.crlNumber.toString(16);
  const tbs = seq(
    smallInteger(1),
    signer.algorithmIdentifier,
    inp.issuer,
    x509Time(inp.thisUpdate),
    x509Time(inp.nextUpdate),
    ...(entries.length > 0 ? [seq(...entries)] : []),
    explicit(
      0,
      seq(
        authorityKeyIdentifier(inp.authorityKeyId),
        extension(OID.cRLNumber, false, unsignedInteger(hex(n.length % 2 ? `0${n}` : n))),
      ),
    ),
  );
  return seq(tbs, signer.algorithmIdentifier, bitString(signer.sign(tbs)));
}

/** The revokedCertificates entries of a CRL as TLVs, read with the generic decoder. */
function entryTlvs(der: Buffer) {
  const tbs = children(readTlv(der))[0]!;
  const revoked = children(tbs).find((t, i) => i > 2 && t.tag === TAG.SEQUENCE);
  return revoked ? children(revoked) : [];
}

/** Small seeded PRNG (mulberry32), so the randomised comparison is reproducible. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REASONS = Object.keys(REASON_CODES) as RevocationReason[];

describe("buildCrl", () => {
  it("round-trips through parseCrlDer and verifies (EC P-256 and RSA-2048)", () => {
    for (const type of ["ec-p256", "rsa-2048"] as const) {
      const signer = signerFor(generatePrivateKey(type));
      const entries: CrlEntry[] = [
        { serial: hex("0102030405"), revokedAt: new Date("2026-11-20T10:00:00Z"), reason: "keyCompromise" },
        { serial: hex("7f"), revokedAt: new Date("2026-11-21T23:59:59Z"), reason: "unspecified" },
        {
          serial: hex("40" + "11".repeat(19)),
          revokedAt: new Date("2026-11-22T00:00:00Z"),
          reason: "superseded",
        },
      ];
      const der = buildCrl(input(entries, { crlNumber: 123456789n }), signer);
      const crl = parseCrlDer(der);
      expect(crl.version).toBe(2);
      expect(crl.issuer.equals(ISSUER)).toBe(true);
      expect(crl.thisUpdate).toEqual(T0);
      expect(crl.nextUpdate).toEqual(T1);
      expect(crl.crlNumber).toBe(123456789n);
      expect(crl.authorityKeyId?.equals(AKI)).toBe(true);
      expect(crl.extensions.map((e) => [e.oid, e.critical])).toEqual([
        [OID.authorityKeyIdentifier, false],
        [OID.cRLNumber, false],
      ]);
      expect(crl.entryCount).toBe(3);
      expect([...crl.entries]).toEqual(
        entries.map((e) => ({
          serial: Buffer.from(e.serial),
          revokedAt: e.revokedAt,
          reason: e.reason,
          reasonCode: e.reason === "unspecified" ? undefined : REASON_CODES[e.reason],
        })),
      );
      expect(crl.signatureAlgorithm).toBe(
        type === "ec-p256" ? OID.ecdsaWithSHA256 : OID.sha256WithRSAEncryption,
      );
      expect(verifySignedDer(crl.tbs, crl.signatureAlgorithm, crl.signature, signer.spki)).toBe(true);
      const tampered = Buffer.from(crl.tbs);
      tampered[tampered.length - 1]! ^= 1;
      expect(verifySignedDer(tampered, crl.signatureAlgorithm, crl.signature, signer.spki)).toBe(false);
    }
  });

  it("encodes boundary serials as minimal positive INTEGERs", () => {
    const cases: [string, string][] = [
      ["80", "02 02 0080"], // high bit: needs the 00 sign byte (opnsense#10558)
      ["80" + "00".repeat(15), `02 11 0080${"00".repeat(15)}`],
      ["0001", "02 01 01"], // leading 00s are not part of the value
      ["000080", "02 02 0080"],
      ["00", "02 01 00"],
      ["7f" + "ff".repeat(19), `02 14 7f${"ff".repeat(19)}`], // 20 octets, the RFC 5280 maximum
      ["ff".repeat(20), `02 15 00${"ff".repeat(20)}`], // 20-byte magnitude with the high bit: 21 octets
      ["40" + "00".repeat(19), `02 14 40${"00".repeat(19)}`], // src/core/serial.ts's shape
    ];
    const entries = cases.map(([s]) => ({ serial: hex(s), revokedAt: T0, reason: "keyCompromise" as const }));
    const der = buildCrl(input(entries), fakeSigner);
    const serials = entryTlvs(der).map((e) => children(e)[0]!.raw.toString("hex"));
    expect(serials).toEqual(cases.map(([, enc]) => enc.replace(/\s/g, "")));
    expect([...parseCrlDer(der).entries].map((e) => e.serial.toString("hex"))).toEqual([
      "80",
      "80" + "00".repeat(15),
      "01",
      "80",
      "00",
      "7f" + "ff".repeat(19),
      "ff".repeat(20),
      "40" + "00".repeat(19),
    ]);
    expect(der.equals(referenceCrl(input(entries), fakeSigner))).toBe(true);
  });

  it("omits revokedCertificates entirely when nothing is revoked (RFC 5280 §5.1.2.6)", () => {
    const der = buildCrl(input([]), fakeSigner);
    const tbs = children(readTlv(der))[0]!;
    expect(children(tbs).map((t) => t.tag)).toEqual([
      TAG.INTEGER,
      0x30,
      0x30,
      TAG.UTC_TIME,
      TAG.UTC_TIME,
      0xa0,
    ]);
    const crl = parseCrlDer(der);
    expect(crl.entryCount).toBe(0);
    expect([...crl.entries]).toEqual([]);
    expect(der.equals(referenceCrl(input([]), fakeSigner))).toBe(true);
  });

  it("writes reasonCode for every reason except unspecified", () => {
    const entries = REASONS.map((reason, i) => ({ serial: Uint8Array.of(i + 1), revokedAt: T0, reason }));
    const tlvs = entryTlvs(buildCrl(input(entries), fakeSigner));
    for (const [i, reason] of REASONS.entries()) {
      const parts = children(tlvs[i]!);
      if (reason === "unspecified") {
        expect(parts).toHaveLength(2);
      } else {
        // Extensions { Extension { reasonCode, OCTET STRING { ENUMERATED code } } }, non-critical
        expect(parts[2]!.raw.toString("hex")).toBe(`300c300a0603551d1504030a01${"0" + REASON_CODES[reason]}`);
      }
    }
  });

  it("switches from UTCTime to GeneralizedTime at 2050 (RFC 5280 §4.1.2.5)", () => {
    const dates: [string, number, string][] = [
      ["2049-12-31T23:59:59.999Z", TAG.UTC_TIME, "491231235959Z"], // milliseconds are dropped
      ["2050-01-01T00:00:00Z", TAG.GENERALIZED_TIME, "20500101000000Z"],
      ["1950-01-01T00:00:00Z", TAG.UTC_TIME, "500101000000Z"],
      ["1949-12-31T23:59:59Z", TAG.GENERALIZED_TIME, "19491231235959Z"],
      ["1969-12-31T23:59:59Z", TAG.UTC_TIME, "691231235959Z"], // before the epoch: negative ms
      ["2038-01-19T03:14:08Z", TAG.UTC_TIME, "380119031408Z"],
    ];
    const entries = dates.map(([d], i) => ({
      serial: Uint8Array.of(i + 1),
      revokedAt: new Date(d),
      reason: "superseded" as const,
    }));
    const der = buildCrl(
      input(entries, {
        thisUpdate: new Date("2049-06-01T00:00:00Z"),
        nextUpdate: new Date("2050-06-01T00:00:00Z"),
      }),
      fakeSigner,
    );
    const times = entryTlvs(der).map((e) => children(e)[1]!);
    expect(times.map((t) => [t.tag, t.content.toString("latin1")])).toEqual(
      dates.map(([, tag, text]) => [tag, text]),
    );
    const crl = parseCrlDer(der);
    expect(crl.thisUpdate.toISOString()).toBe("2049-06-01T00:00:00.000Z");
    expect(crl.nextUpdate?.toISOString()).toBe("2050-06-01T00:00:00.000Z");
    const fields = children(children(readTlv(der))[0]!);
    expect([fields[3]!.tag, fields[4]!.tag]).toEqual([TAG.UTC_TIME, TAG.GENERALIZED_TIME]);
    expect([...crl.entries].map((e) => e.revokedAt.getTime())).toEqual(
      dates.map(([d]) => Math.floor(new Date(d).getTime() / 1000) * 1000),
    );
  });

  it("matches the reference encoder byte for byte on random entries", () => {
    const rnd = prng(20261124);
    const entries: CrlEntry[] = [];
    for (let i = 0; i < 3000; i++) {
      const serial = Buffer.alloc(1 + Math.floor(rnd() * 21));
      for (let j = 0; j < serial.length; j++) serial[j] = Math.floor(rnd() * 256);
      if (rnd() < 0.2) serial[0] = 0; // leading zero bytes
      if (rnd() < 0.3) serial[0]! |= 0x80; // high bit
      // Runs of equal dates (the caches), then jumps across 1900–2100 (both Time forms).
      const ms =
        rnd() < 0.5 && i > 0
          ? entries[i - 1]!.revokedAt.getTime()
          : Date.UTC(1900, 0, 1) + rnd() * 200 * 365.25 * 86_400_000;
      entries.push({ serial, revokedAt: new Date(ms), reason: REASONS[Math.floor(rnd() * REASONS.length)]! });
    }
    for (const crlNumber of [0n, 1n, 0x80n, 2n ** 159n - 1n]) {
      const inp = input(entries, { crlNumber });
      const der = buildCrl(inp, fakeSigner);
      expect(der.equals(referenceCrl(inp, fakeSigner))).toBe(true);
      expect(parseCrlDer(der).crlNumber).toBe(crlNumber);
    }
    // Any iterable gives the same bytes as the array, even a one-shot generator reusing its objects.
    function* gen() {
      yield* entries;
    }
    function* reusing() {
      const e: CrlEntry = { serial: Buffer.alloc(21), revokedAt: new Date(0), reason: "unspecified" };
      for (const x of entries) {
        e.serial = Buffer.from(x.serial);
        e.revokedAt.setTime(x.revokedAt.getTime());
        e.reason = x.reason;
        yield e;
      }
    }
    expect(buildCrl(input(gen()), fakeSigner).equals(buildCrl(input(entries), fakeSigner))).toBe(true);
    expect(buildCrl(input(reusing()), fakeSigner).equals(buildCrl(input(entries), fakeSigner))).toBe(true);
    expect(buildCrl(input(new Set(entries)), fakeSigner).equals(buildCrl(input(entries), fakeSigner))).toBe(
      true,
    );
    const arrayLike: ArrayLike<CrlEntry> = { length: 2, 0: entries[0]!, 1: entries[1]! };
    const two = buildCrl(input(entries.slice(0, 2)), fakeSigner);
    expect(buildCrl(input(arrayLike), fakeSigner).equals(two)).toBe(true);
  });

  it("streams from a re-iterable source without copying, even one that reuses its entry object", () => {
    const n = 5000;
    const serials = Buffer.alloc(8 * n);
    for (let i = 0; i < n; i++) serials.writeBigUInt64BE(0xfedcba9800000000n + BigInt(i), 8 * i);
    const expected = Array.from({ length: n }, (_, i) => ({
      serial: serials.subarray(8 * i, 8 * i + 8),
      revokedAt: new Date(T0.getTime() - i * 1000),
      reason: REASONS[i % REASONS.length]!,
    }));
    let passes = 0;
    const streamed: Iterable<CrlEntry> = {
      *[Symbol.iterator]() {
        passes++;
        const e = {
          serial: serials.subarray(0, 0),
          revokedAt: T0,
          reason: "unspecified" as RevocationReason,
        };
        for (let i = 0; i < n; i++) {
          e.serial = serials.subarray(8 * i, 8 * i + 8);
          e.revokedAt = new Date(T0.getTime() - i * 1000);
          e.reason = REASONS[i % REASONS.length]!;
          yield e;
        }
      },
    };
    expect(buildCrl(input(streamed), fakeSigner).equals(referenceCrl(input(expected), fakeSigner))).toBe(
      true,
    );
    expect(passes).toBe(2); // the "one-shot?" probe never advances its iterator
    let calls = 0;
    const shrinking: Iterable<CrlEntry> = {
      *[Symbol.iterator]() {
        calls++;
        yield* expected.slice(0, calls === 2 ? n - 1 : n);
      },
    };
    expect(() => buildCrl(input(shrinking), fakeSigner)).toThrow(/changed between the two passes/);
  });

  it("stays linear: 200k entries with distinct dates build and parse back", () => {
    const n = 200_000;
    const entries = Array.from({ length: n }, (_, i) => {
      const serial = Buffer.alloc(20, 0x5a);
      serial.writeUInt32BE(i, 16);
      return {
        serial,
        revokedAt: new Date(T0.getTime() - i * 61_000),
        reason: "cessationOfOperation" as const,
      };
    });
    const crl = parseCrlDer(buildCrl(input(entries), fakeSigner));
    expect(crl.entryCount).toBe(n);
    let i = 0;
    for (const e of crl.entries) {
      if (e.revokedAt.getTime() !== entries[i]!.revokedAt.getTime() || !e.serial.equals(entries[i]!.serial))
        break;
      i++;
    }
    expect(i).toBe(n);
  });

  it("rejects inputs that would make a wrong CRL", () => {
    const ok = { serial: hex("01"), revokedAt: T0, reason: "superseded" as const };
    const bad =
      (over: Partial<CrlInput>, entries: CrlEntry[] = [ok]) =>
      () =>
        buildCrl(input(entries, over), fakeSigner);
    expect(bad({}, [{ ...ok, serial: new Uint8Array(0) }])).toThrow(RangeError);
    expect(bad({}, [{ ...ok, reason: "toString" as RevocationReason }])).toThrow(/unknown revocation reason/);
    expect(bad({}, [{ ...ok, revokedAt: new Date(Number.NaN) }])).toThrow(RangeError);
    expect(bad({}, [{ ...ok, revokedAt: new Date("+010000-01-01T00:00:00Z") }])).toThrow(RangeError);
    expect(bad({ nextUpdate: T0 })).toThrow(/nextUpdate/);
    expect(bad({ thisUpdate: new Date(Number.NaN) })).toThrow(/thisUpdate/);
    expect(bad({ crlNumber: -1n })).toThrow(/negative/);
    expect(bad({ crlNumber: 2n ** 159n })).toThrow(/20 octets/); // 00 80 … is 21 octets
    expect(bad({ authorityKeyId: Buffer.alloc(0) })).toThrow(/authorityKeyId/);
    expect(bad({ issuer: Buffer.concat([ISSUER, hex("00")]) })).toThrow(/issuer/);
  });
});

describe("parseCrlDer strictness", () => {
  /** A CRL whose only entry carries `serialTlv` verbatim. */
  const withSerial = (serialTlv: Buffer) =>
    seq(
      seq(
        smallInteger(1),
        seq(oid(OID.sha256WithRSAEncryption), nullValue()),
        ISSUER,
        x509Time(T0),
        seq(seq(serialTlv, x509Time(T0))),
      ),
      seq(oid(OID.sha256WithRSAEncryption), nullValue()),
      bitString(hex("00")),
    );

  it("refuses serials that are negative or not minimal, instead of reading them as another serial", () => {
    for (const enc of ["020180", "02020001", "0200"]) {
      const crl = parseCrlDer(withSerial(hex(enc)));
      expect(crl.entryCount).toBe(1);
      expect(() => [...crl.entries]).toThrow(DerError);
    }
    const crl = parseCrlDer(withSerial(hex("02020080")));
    expect(crl.version).toBe(2);
    expect(crl.nextUpdate).toBeUndefined();
    expect(crl.crlNumber).toBeUndefined();
    expect([...crl.entries][0]).toMatchObject({
      serial: hex("80"),
      reason: "unspecified",
      reasonCode: undefined,
    });
  });

  it("reads reasonCode among other entry extensions, and refuses trailing bytes after them", () => {
    const invalidityDate = extension("2.5.29.24", false, x509Time(T0));
    const reason = extension(OID.reasonCode, false, tlv(TAG.ENUMERATED, Uint8Array.of(4)));
    const entry = (...tail: Buffer[]) => seq(hex("020101"), x509Time(T0), ...tail);
    const crlWith = (e: Buffer) =>
      seq(
        seq(smallInteger(1), fakeSigner.algorithmIdentifier, ISSUER, x509Time(T0), seq(e)),
        fakeSigner.algorithmIdentifier,
        bitString(hex("00")),
      );
    const [e] = parseCrlDer(crlWith(entry(seq(invalidityDate, reason)))).entries;
    expect(e).toMatchObject({ reason: "superseded", reasonCode: 4 });
    const trailing = parseCrlDer(crlWith(entry(seq(invalidityDate, reason), hex("0500"))));
    expect(() => [...trailing.entries]).toThrow(DerError);
  });

  it("refuses a CRL whose inner and outer signature algorithms differ", () => {
    const der = buildCrl(input([]), fakeSigner);
    const tbs = children(readTlv(der))[0]!;
    const other = seq(tbs.raw, seq(oid(OID.ecdsaWithSHA384)), bitString(hex("00")));
    expect(() => parseCrlDer(other)).toThrow(/signature algorithms differ/);
  });
});

describe("parseRevocationReason", () => {
  it("accepts the issuable names in any case and OpenSSL's spelling, nothing else", () => {
    expect(parseRevocationReason("keyCompromise")).toBe("keyCompromise");
    expect(parseRevocationReason("CACompromise")).toBe("caCompromise");
    expect(parseRevocationReason("cessation-of-operation")).toBe("cessationOfOperation");
    expect(parseRevocationReason("toString")).toBeUndefined();
    expect(parseRevocationReason("removeFromCRL")).toBeUndefined();
    expect(parseRevocationReason("")).toBeUndefined();
  });
});

describe("verifySignedDer", () => {
  it("is false for an unsupported algorithm, a key of the wrong type or an unreadable key", () => {
    const ec = signerFor(generatePrivateKey("ec-p256"));
    const tbs = Buffer.from("tbs");
    const sig = ec.sign(tbs);
    expect(verifySignedDer(tbs, OID.ecdsaWithSHA256, sig, ec.spki)).toBe(true);
    expect(verifySignedDer(tbs, OID.sha256WithRSAEncryption, sig, ec.spki)).toBe(false);
    expect(verifySignedDer(tbs, OID.ecdsaWithSHA384, sig, ec.spki)).toBe(false);
    expect(verifySignedDer(tbs, "1.2.840.113549.1.1.5", sig, ec.spki)).toBe(false); // sha1WithRSA
    expect(verifySignedDer(tbs, OID.ecdsaWithSHA256, sig, Buffer.from("junk"))).toBe(false);
    expect(verifySignedDer(tbs, OID.ecdsaWithSHA256, Buffer.from("junk"), ec.spki)).toBe(false);
  });
});
