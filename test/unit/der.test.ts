import { describe, expect, it } from "vitest";
import { children, decodeOid, integerMagnitude, readTlv } from "../../src/core/der/decode.js";
import { lengthSize, oid, seq, smallInteger, tlv, unsignedInteger } from "../../src/core/der/encode.js";
import { parseX509Time, x509Time } from "../../src/core/der/time.js";

describe("DER INTEGER encoding of serials", () => {
  it("prepends 0x00 when the high bit is set", () => {
    expect(unsignedInteger(Buffer.from([0x80, 0x01])).toString("hex")).toBe("0203008001");
  });
  it("strips leading zero octets but keeps one when needed for the sign", () => {
    expect(unsignedInteger(Buffer.from([0x00, 0x00, 0x12])).toString("hex")).toBe("020112");
    expect(unsignedInteger(Buffer.from([0x00, 0x00, 0x92])).toString("hex")).toBe("02020092");
  });
  it("round-trips through integerMagnitude", () => {
    const mag = Buffer.from("00ff00ff", "hex");
    expect(integerMagnitude(readTlv(unsignedInteger(mag)).content).toString("hex")).toBe("ff00ff");
  });
  it("encodes small integers", () => {
    expect(smallInteger(0).toString("hex")).toBe("020100");
    expect(smallInteger(128).toString("hex")).toBe("02020080");
    expect(smallInteger(65536).toString("hex")).toBe("0203010000");
  });
});

describe("DER lengths", () => {
  it.each([
    [0, 1],
    [127, 1],
    [128, 2],
    [255, 2],
    [256, 3],
    [65535, 3],
    [65536, 4],
    [16777216, 5],
  ])("length %i takes %i bytes and decodes back", (len, size) => {
    expect(lengthSize(len)).toBe(size);
    const v = tlv(0x04, Buffer.alloc(len));
    const t = readTlv(v);
    expect(t.content.length).toBe(len);
    expect(t.contentStart).toBe(1 + size);
  });
  it("rejects a value running past the end", () => {
    expect(() => readTlv(Buffer.from([0x30, 0x05, 0x01]))).toThrow(/past the end/);
  });
});

describe("OIDs", () => {
  it.each(["2.5.29.17", "1.2.840.113549.1.1.11", "1.3.6.1.5.5.7.3.2", "2.999.3"])("round-trips %s", (o) => {
    expect(decodeOid(readTlv(oid(o)).content)).toBe(o);
  });
  it("matches the well-known encoding of sha256WithRSAEncryption", () => {
    expect(oid("1.2.840.113549.1.1.11").toString("hex")).toBe("06092a864886f70d01010b");
  });
});

describe("X.509 times (RFC 5280 §4.1.2.5)", () => {
  it("uses UTCTime through 2049 and GeneralizedTime from 2050", () => {
    expect(x509Time(new Date("2049-12-31T23:59:59Z")).toString("latin1").slice(2)).toBe("491231235959Z");
    expect(x509Time(new Date("2050-01-01T00:00:00Z")).toString("latin1").slice(2)).toBe("20500101000000Z");
  });
  it("parses both back", () => {
    for (const iso of ["1999-05-01T10:00:00.000Z", "2049-12-31T23:59:59.000Z", "2050-01-01T00:00:00.000Z"]) {
      const t = readTlv(x509Time(new Date(iso)));
      expect(parseX509Time(t.tag, t.content).toISOString()).toBe(iso);
    }
  });
  it("walks nested sequences", () => {
    const s = seq(smallInteger(1), seq(smallInteger(2)));
    expect(children(readTlv(s)).map((c) => c.tag)).toEqual([0x02, 0x30]);
  });
});
