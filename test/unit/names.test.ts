import { isIP } from "node:net";
import { describe, expect, it } from "vitest";
import { classifySans, validateDnsName, validateName } from "../../src/core/names.js";
import { formatIp, parseIp } from "../../src/core/net/ip.js";
import { UsageError } from "../../src/errors.js";

describe("certificate NAMEs", () => {
  it.each(["db1", "replica-1", "a.b_c-d", "0"])("accepts %s", (n) => expect(validateName(n)).toBe(n));
  it.each(["", "Db1", "-db", ".db", "db 1", "db/1", "a".repeat(65), "ünï"])("rejects %j", (n) => {
    expect(() => validateName(n)).toThrow(UsageError);
  });
});

describe("host names for dNSName SANs", () => {
  it.each([
    "db1.example.com",
    "DB1.Example.COM",
    "localhost",
    "*.db.example.com",
    "xn--bcher-kva.example",
    "_svc.example.com",
  ])("accepts %s", (h) => expect(validateDnsName(h)).toBe(h));
  it.each([
    "",
    "a b",
    "db.",
    "*.",
    "..",
    "*.com",
    "db*.example.com",
    "db.*.example.com",
    "-a.example.com",
    `${"a".repeat(64)}.com`,
    "bücher.example",
    "[::1]",
    "db1.example.com*",
  ])("rejects %j with INVALID_HOST", (h) => {
    try {
      validateDnsName(h);
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).code).toBe("INVALID_HOST");
      expect((e as UsageError).hint).toBeTruthy();
    }
  });
});

describe("SAN classification", () => {
  it("puts IPs given as --host into iPAddress and de-duplicates", () => {
    const s = classifySans(["db1.example.com", "10.0.0.5", "DB1.example.com"], ["10.0.0.5", "fd00::5"]);
    expect(s.dns).toEqual(["db1.example.com"]);
    expect(s.ips.map((b) => formatIp(b))).toEqual(["10.0.0.5", "fd00::5"]);
  });
  it.each(["999.1.1.1", "10.0.0", "fd00::5/64", "[fd00::5]", "db1"])("rejects --ip %s", (ip) => {
    expect(() => classifySans([], [ip])).toThrow(UsageError);
  });
});

describe("IP literals", () => {
  it.each([
    ["127.0.0.1", "7f000001"],
    ["::1", "00000000000000000000000000000001"],
    ["::ffff:10.0.0.1", "00000000000000000000ffff0a000001"],
    ["2001:db8::1:0:0:1", "20010db8000000000001000000000001"],
  ])("parses %s", (text, hex) => expect(parseIp(text)?.toString("hex")).toBe(hex));
  it.each(["10.0.0.05", "1.2.3.4.5", "fe80::1%eth0", "::g"])("rejects %s", (t) =>
    expect(parseIp(t)).toBeUndefined(),
  );
  it("formats IPv6 per RFC 5952", () => {
    expect(formatIp(parseIp("2001:0db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(formatIp(parseIp("1:0:3:4:5:6:7:8")!)).toBe("1:0:3:4:5:6:7:8");
  });
});

describe("IP literal parsing agrees with node:net (no leading zeros, no zone ids)", () => {
  const corpus = [
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.1.1.1",
    "1.2.3",
    "01.2.3.4",
    "1.2.3.04",
    "::",
    "::1",
    "1::",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7::8",
    "1::2::3",
    ":1::2",
    "1::2:",
    "fe80::1%eth0",
    "::ffff:1.2.3.4",
    "::ffff:1.2.3",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::1.2.3.4",
    "12345::",
    "g::1",
    "1:::2",
    "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
    "::ffff:256.1.1.1",
    "1.2.3.4.5",
    "",
    ":",
    "::::",
    "a:b",
    "1::1.2.3.4:5",
  ];
  it.each(corpus)("%j", (text) => {
    const node = isIP(text) !== 0 && !text.includes("%") && !/(^|[.:])0\d/.test(text.replace(/^.*:/, ":"));
    expect(parseIp(text) !== undefined).toBe(node);
  });
});
