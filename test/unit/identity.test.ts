// Host-identity model, case by case (named like OpenSSL's test/recipes/25-test_verify.t). Expected values
// are OpenSSL 3.0.19 behaviour as reproduced with `openssl verify -verify_hostname/-verify_ip` and
// `openssl x509 -checkhost/-checkip`; test/interop/identity.interop.test.ts re-derives them from openssl.
import { describe, expect, it } from "vitest";
import { OID } from "../../src/core/der/oids.js";
import { checkHostIdentity, type Flavour } from "../../src/core/identity/check-host.js";
import { a2iIpadd } from "../../src/core/identity/openssl-ip.js";
import { classifyHost } from "../../src/core/identity/validate-host.js";
import { equalWildcard, validStar } from "../../src/core/identity/wildcard.js";
import { x509CheckHost, x509CheckIpAsc } from "../../src/core/identity/x509-check.js";
import { formatIp, parseIp } from "../../src/core/net/ip.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { UsageError } from "../../src/errors.js";
import { cnNames, dirString, GN, makeLeaf, makeTestCa, nameDer } from "../helpers/openssl.js";

const ca = makeTestCa();
const ip = (s: string) => parseIp(s)!;
const cert = (subject: Buffer, san?: Buffer[]) => parseCertificateDer(makeLeaf(ca, subject, san));

const C = {
  dns: cert(cnNames("db1.example.com"), [GN.dns("db1.example.com")]),
  dnsOtherCn: cert(cnNames("db1.example.com"), [GN.dns("db2.example.com")]),
  cnOnly: cert(cnNames("db1.example.com")),
  cnIp: cert(cnNames("10.0.0.5")),
  cnIpSanDns: cert(cnNames("10.0.0.5"), [GN.dns("db2.example.com")]),
  ipSanCnDns: cert(cnNames("db1.example.com"), [GN.ip(ip("10.0.0.5"))]),
  ip6: cert(nameDer(), [GN.ip(ip("2001:db8::5")), GN.ip(ip("::1"))]),
  mapped: cert(nameDer(), [GN.ip(ip("::ffff:10.0.0.5"))]),
  dnsIpText: cert(nameDer(), [GN.dns("10.0.0.5")]),
  wild: cert(cnNames("wild"), [GN.dns("*.example.com")]),
  partial: cert(nameDer(), [GN.dns("f*.corp.example.com"), GN.dns("*z.corp.example.com")]),
  badWild: cert(cnNames("x"), [GN.dns("*.com"), GN.dns("a*b.example.com"), GN.dns("db.*.example.com")]),
  idn: cert(nameDer(), [
    GN.dns("*.xn--bcher-kva.example"),
    GN.dns("x*.example.org"),
    GN.dns("xn--*.example.net"),
  ]),
  upper: cert(cnNames("DB1.EXAMPLE.COM")),
  trailing: cert(nameDer(), [GN.dns("db1.example.com.")]),
  emailOnly: cert(cnNames("db1.example.com"), [GN.email("dba@example.com")]),
  uriOnly: cert(cnNames("db1.example.com"), [GN.uri("https://db1.example.com/")]),
  otherOnly: cert(cnNames("db1.example.com"), [GN.otherName("1.3.6.1.4.1.311.20.2.3", "db1@example.com")]),
  emptySan: cert(cnNames("db1.example.com"), []),
  twoCns: cert(cnNames("a.example.com", "db1.example.com")),
  bmpCn: cert(nameDer([[OID.commonName, dirString(0x1e, "db1.example.com")]])),
  wildCn: cert(cnNames("*.example.com")),
  empty: cert(nameDer()),
};

type Row = [
  name: string,
  c: keyof typeof C,
  host: string,
  mysql8: boolean,
  mariadb: boolean,
  mysql57: boolean,
];
// biome-ignore format: a table
const ROWS: Row[] = [
  ["dNSName exact",                       "dns",        "db1.example.com",         true,  true,  true ],
  ["dNSName case-insensitive",            "dns",        "DB1.Example.COM",         true,  true,  false],
  ["CN hidden by a dNSName SAN",          "dnsOtherCn", "db1.example.com",         false, false, true ],
  ["CN fallback without SAN",             "cnOnly",     "db1.example.com",         true,  true,  true ],
  ["IP host never matches CN (MySQL 8)",  "cnIp",       "10.0.0.5",                false, true,  true ],
  ["IP CN hidden by dNSName SAN",         "cnIpSanDns", "10.0.0.5",                false, false, true ],
  ["iPAddress SAN does not hide the CN",  "ipSanCnDns", "db1.example.com",         true,  true,  true ],
  ["iPAddress SAN v4",                    "ipSanCnDns", "10.0.0.5",                true,  true,  false],
  ["OpenSSL reads 010 as decimal",        "ipSanCnDns", "010.0.0.5",               true,  true,  false],
  ["iPAddress SAN v6, other spelling",    "ip6",        "2001:DB8:0:0:0:0:0:5",    true,  true,  false],
  ["iPAddress SAN ::1",                   "ip6",        "0:0:0:0:0:0:0:1",         true,  true,  false],
  ["v4-mapped SAN is not the v4 address", "mapped",     "10.0.0.5",                false, false, false],
  ["v4-mapped SAN, v4-mapped host",       "mapped",     "::ffff:a00:5",            true,  true,  false],
  ["IP text in a dNSName",                "dnsIpText",  "10.0.0.5",                false, true,  false],
  ["wildcard one label",                  "wild",       "db1.example.com",         true,  true,  false],
  ["wildcard not two labels",             "wild",       "a.b.example.com",         false, false, false],
  ["wildcard not the apex",               "wild",       "example.com",             false, false, false],
  ["wildcard never covers '_'",           "wild",       "db_1.example.com",        false, false, false],
  ["partial wildcard prefix",             "partial",    "foo.corp.example.com",    true,  true,  false],
  ["partial wildcard may be empty",       "partial",    "f.corp.example.com",      true,  true,  false],
  ["partial wildcard suffix",             "partial",    "barz.corp.example.com",   true,  true,  false],
  ["*.com is literal",                    "badWild",    "example.com",             false, false, false],
  ["a*b is literal",                      "badWild",    "axb.example.com",         false, false, false],
  ["star in second label is literal",     "badWild",    "db.x.example.com",        false, false, false],
  ["wildcard over an IDN parent",         "idn",        "db.xn--bcher-kva.example", true, true,  false],
  ["partial wildcard never hits xn--",    "idn",        "xn--caf-dma.example.org", false, false, false],
  ["no wildcard inside an xn-- label",    "idn",        "xn--abc.example.net",     false, false, false],
  ["upper-case CN, lower-case host",      "upper",      "db1.example.com",         true,  true,  false],
  ["trailing dot only matches a dot",     "trailing",   "db1.example.com",         false, false, false],
  ["trailing dot host",                   "trailing",   "db1.example.com.",        true,  true,  false],
  ["email-only SAN keeps the CN",         "emailOnly",  "db1.example.com",         true,  true,  true ],
  ["URI-only SAN keeps the CN",           "uriOnly",    "db1.example.com",         true,  true,  true ],
  ["otherName-only SAN keeps the CN",     "otherOnly",  "db1.example.com",         true,  true,  true ],
  ["empty SAN keeps the CN",              "emptySan",   "db1.example.com",         true,  true,  true ],
  ["any CN, but 5.7 takes the first",     "twoCns",     "db1.example.com",         true,  true,  false],
  ["BMPString CN converted to UTF-8",     "bmpCn",      "db1.example.com",         true,  true,  false],
  ["wildcard CN",                         "wildCn",     "db1.example.com",         true,  true,  false],
  ["empty subject, no SAN",               "empty",      "db1.example.com",         false, false, false],
];

describe("checkHostIdentity", () => {
  const flavours: Flavour[] = ["mysql-8", "mariadb", "mysql-5.7"];
  it.each(ROWS)("%s (%s, %s)", (_name, c, host, ...want) => {
    const got = flavours.map((f) => checkHostIdentity(C[c], host, f));
    expect(got.map((g) => g.match)).toEqual(want);
    for (const g of got) {
      expect(g.reason.length).toBeGreaterThan(10);
      expect(g.matchedBy !== undefined).toBe(g.match);
    }
  });

  it("explains why MySQL 8 refuses an IP in the CN", () => {
    const r = checkHostIdentity(C.cnIp, "10.0.0.5", "mysql-8");
    expect(r.reason).toMatch(/no iPAddress SAN/);
    expect(r.reason).toMatch(/MariaDB would accept/);
    expect(checkHostIdentity(C.cnIp, "10.0.0.5", "mariadb").matchedBy).toBe("CN:10.0.0.5");
  });

  it("names the rule in mysql-5.7 refusals", () => {
    expect(checkHostIdentity(C.upper, "db1.example.com", "mysql-5.7").reason).toMatch(/only in letter case/);
    expect(checkHostIdentity(C.wildCn, "db1.example.com", "mysql-5.7").reason).toMatch(/not expanded/);
    expect(checkHostIdentity(C.twoCns, "db1.example.com", "mysql-5.7").reason).toMatch(/only the first/);
    expect(checkHostIdentity(C.empty, "db1.example.com", "mysql-5.7").reason).toMatch(/CN location/);
    expect(checkHostIdentity(C.bmpCn, "db1.example.com", "mysql-5.7").reason).toMatch(/NULL embedded/);
  });

  it("reports the matched name the way OpenSSL's peername does", () => {
    expect(checkHostIdentity(C.wild, "DB1.example.com").matchedBy).toBe("dNSName:*.example.com");
    expect(checkHostIdentity(C.ip6, "::1").matchedBy).toBe("iPAddress:::1");
  });

  it("rejects an unknown flavour", () => {
    expect(() => checkHostIdentity(C.dns, "db1.example.com", "mysql-9" as Flavour)).toThrow(UsageError);
  });
});

describe("classifyHost", () => {
  // biome-ignore format: a table
  const BAD: [string, RegExp][] = [
    ["",                 /empty/],
    ["*.",               /wildcard/],
    ["*.example.com",    /wildcard/],
    ["..",               /empty label/],
    [".example.com",     /empty label/],
    ["a..b",             /empty label/],
    ["a b",              /white space/],
    ["db1\t",            /white space/],
    ["db\u0000x",        /white space or control/],
    ["[::1]",            /brackets/],
    ["fe80::1%eth0",     /zone/],
    ["db1:3306",         /IPv6/],
    [`${"a".repeat(300)}.example.com`, /label is 300/],
    [`${"a.".repeat(127)}com`,         /at most 253/],
    ["-db.example.com",  /starts or ends with '-'/],
    ["db!.example.com",  /characters other than/],
    ["bücher.example",   /non-ASCII/],
    ["256.1.1.1",        /larger than 255/],
    ["4294967297.1.1.1", /larger than 255/],
    ["1.2.3",            /all digits/],
    ["10.0.0.5.",        /all digits/],
  ];
  it.each(BAD)("refuses %j", (host, why) => {
    let err: unknown;
    try {
      classifyHost(host);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe("INVALID_HOST");
    expect((err as UsageError).message).toMatch(why);
    expect((err as UsageError).hint).toBeTruthy();
  });

  it("classifies the forms OpenSSL reads as IP literals", () => {
    expect(classifyHost("10.0.0.5")).toMatchObject({
      kind: "ip",
      family: 4,
      canonical: "10.0.0.5",
      notes: [],
    });
    const lz = classifyHost("010.000.000.005");
    expect(lz).toMatchObject({ kind: "ip", canonical: "10.0.0.5" });
    expect(lz.notes.join()).toMatch(/octal/);
    expect(classifyHost("2001:DB8::5")).toMatchObject({ kind: "ip", family: 6, canonical: "2001:db8::5" });
    expect(classifyHost("::01.2.3.4")).toMatchObject({ kind: "ip", canonical: "::102:304" });
    expect(classifyHost("::01.2.3.4").notes.join()).toMatch(/inet_pton/);
  });

  it("keeps names as names, with notes for the surprising ones", () => {
    expect(classifyHost("db1.example.com")).toEqual({ kind: "dns", host: "db1.example.com", notes: [] });
    expect(classifyHost("localhost").kind).toBe("dns");
    expect(classifyHost("db1.example.com.").notes.join()).toMatch(/trailing dot/);
    expect(classifyHost("db_1.example.com").notes.join()).toMatch(/'_'/);
    expect(classifyHost(`${"a".repeat(63)}.example.com`).kind).toBe("dns");
  });
});

describe("a2iIpadd (OpenSSL 3.0 ipv4_from_asc / ipv6_from_asc)", () => {
  // biome-ignore format: a table
  const CASES: [string, string | undefined][] = [
    ["1.2.3.4", "1.2.3.4"], ["01.2.3.4", "1.2.3.4"], ["001.002.003.004", "1.2.3.4"],
    [" 1.2.3.4", "1.2.3.4"], ["1. 2.3.4", "1.2.3.4"], ["1.2.3.4 ", "1.2.3.4"], ["1.2.3.4 x", "1.2.3.4"],
    ["+1.2.3.4", "1.2.3.4"], ["-0.1.2.3", "0.1.2.3"], ["4294967297.1.1.1", "1.1.1.1"],
    ["1 .2.3.4", undefined], ["1.2.3.4abc", undefined], ["1.2.3.4.5", undefined], ["-1.2.3.4", undefined],
    ["0x1.2.3.4", undefined], ["1.2.3", undefined], ["256.1.1.1", undefined], ["", undefined],
    ["18446744073709551617.1.1.1", undefined],
    ["::", "::"], ["::1", "::1"], ["1::", "1::"], ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["::ffff:1.2.3.4", "::ffff:102:304"], ["1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"],
    ["::01.2.3.4", "::102:304"], ["::1.2.3.4 ", "::102:304"], ["::ffff: 1.2.3.4", "::ffff:102:304"],
    ["1::5:1.2.3.4", "1::5:102:304"], ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
    [":1", undefined], ["1:", undefined], [":::", undefined], [":::1", undefined], ["1::2::3", undefined],
    ["::00001", undefined], ["::1%eth0", undefined], ["[::1]", undefined], [" ::1", undefined],
    ["::1 ", undefined], ["1:2:3:4:5:6:7:8:9", undefined], ["1:2:3:4:5:6:7:8:", undefined],
    ["1:2:3:4:5:1.2.3.4", undefined], ["::1:2:3:4:5:6:1.2.3.4", undefined], ["::1.2.3.4:5", undefined],
    ["1:2:3:4:5:6:0.7:0.8", undefined], ["1.2.3.4:", undefined],
  ];
  it.each(CASES)("%j → %s", (text, want) => {
    const got = a2iIpadd(text);
    expect(got === undefined ? undefined : formatIp(got)).toBe(want);
  });

  it("stops at a NUL like a C string", () => {
    expect(formatIp(a2iIpadd("1.2.3.4\u0000junk")!)).toBe("1.2.3.4");
  });
});

describe("OpenSSL wildcard rules (valid_star, wildcard_match)", () => {
  // biome-ignore format: a table
  const STAR: [string, number][] = [
    ["*.example.com", 0], ["f*.example.com", 1], ["*f.example.com", 0], ["a*b.example.com", -1],
    ["*.com", -1], ["*", -1], ["**.example.com", -1], ["*.*.example.com", -1], ["db.*.example.com", -1],
    ["xn--*.example.com", -1], ["XN--a*.example.com", -1], ["*.example.com.", -1], ["*.exa_mple.com", -1],
    ["*-.example.com", -1], ["*.-example.com", -1], ["*.example..com", -1],
  ];
  it.each(STAR)("valid_star(%j) = %i", (p, want) => {
    expect(validStar(Buffer.from(p))).toBe(want);
  });

  const m = (p: string, s: string) => equalWildcard(Buffer.from(p), Buffer.from(s));
  it("matches as OpenSSL does", () => {
    expect(m("*.example.com", "A.EXAMPLE.com")).toBe(true);
    expect(m("*.example.com", "*.example.com")).toBe(true); // a literal '*' is covered by '*'
    // a host starting with '.' switches to suffix matching (skip_prefix), and the pattern is then literal
    expect(m("*.example.com", ".example.com")).toBe(true);
    expect(m("*.example.com", ".com")).toBe(true);
    expect(m("*.example.com", "a*.example.com")).toBe(false);
    expect(m("*.example.com", "xn--caf-dma.example.com")).toBe(true);
    expect(m("*z.example.com", "z.example.com")).toBe(true);
    expect(m("*z.example.com", "xn--z.example.com")).toBe(false);
    expect(m("db1.example.com", "db1.example.co")).toBe(false);
    expect(m("DB\u00c9.example.com", "db\u00e9.example.com")).toBe(false); // ASCII-only folding
    expect(m("www.example.com", ".example.com")).toBe(true); // host with a leading dot: suffix match
    expect(m("a\u0000.example.com", "a\u0000.example.com")).toBe(false); // NUL in the pattern never matches
  });

  it("X509_check_host and X509_check_ip_asc return codes", () => {
    expect(x509CheckHost(C.dns, "db1.example.com")).toMatchObject({ rv: 1, sanPresent: true });
    expect(x509CheckHost(C.cnOnly, "db1.example.com\u0000evil").rv).toBe(1); // strlen() stops at the NUL
    expect(x509CheckIpAsc(C.ip6, "db1.example.com").rv).toBe(-2);
    expect(x509CheckIpAsc(C.cnIp, "10.0.0.5")).toEqual({ rv: 0, sanPresent: false });
  });
});
