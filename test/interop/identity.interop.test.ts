// Our identity model against OpenSSL itself, over a matrix of (certificate, host) pairs. Nothing here is
// a hard-coded expectation: the certificates are built with our builder, and every expected answer comes
// from the openssl CLI at run time:
//   mysql-8 = `openssl verify -verify_ip HOST` when OpenSSL parses HOST as an IP (set1_ip_asc succeeds),
//             else `openssl verify -verify_hostname HOST` (set1_host): the X509_VERIFY_PARAM path of MySQL 8
//   mariadb = `openssl x509 -checkhost HOST` matches, or `-checkip HOST` matches and HOST parses as an IP
//             (the CLI prints "does match" when X509_check_ip_asc returns -2 for an unparsable string)
// node:crypto's X509Certificate.checkHost/checkIP are compared with the CLI too; where they differ is
// recorded and printed, and only the known difference is allowed.
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OID } from "../../src/core/der/oids.js";
import { checkHostIdentity } from "../../src/core/identity/check-host.js";
import { a2iIpadd } from "../../src/core/identity/openssl-ip.js";
import { x509CheckHost } from "../../src/core/identity/x509-check.js";
import { formatIp, parseIp } from "../../src/core/net/ip.js";
import { type ParsedCertificate, parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { pemEncode } from "../../src/core/x509/pem.js";
import { generatePrivateKey } from "../../src/crypto/keys.js";
import {
  cnNames,
  dirString,
  GN,
  makeLeaf,
  makeTestCa,
  mapLimit,
  nameDer,
  opensslVersion,
  type RunResult,
  runOpenssl,
} from "../helpers/openssl.js";

const version = await opensslVersion();
const ip = (s: string) => parseIp(s)!;
const cn = (value: Buffer): [string, Buffer] => [OID.commonName, value];

// biome-ignore format: a table
const CERTS: [name: string, subject: Buffer, san: Buffer[] | undefined][] = [
  ["dns",               cnNames("db1.example.com"),   [GN.dns("db1.example.com")]],
  ["dns-multi",         cnNames("other.example.com"), [GN.dns("db1.example.com"), GN.dns("db2.example.com")]],
  ["cn+dns",            cnNames("db1.example.com"),   [GN.dns("db2.example.com")]],
  ["cn-only",           cnNames("db1.example.com"),   undefined],
  ["cn-only-upper",     cnNames("DB1.EXAMPLE.COM"),   undefined],
  ["cn-ip4",            cnNames("10.0.0.5"),          undefined],
  ["cn-ip6",            cnNames("2001:db8::5"),       undefined],
  ["cn-ip+dns",         cnNames("10.0.0.5"),          [GN.dns("db2.example.com")]],
  ["cn+ip-san",         cnNames("db1.example.com"),   [GN.ip(ip("10.0.0.6"))]],
  ["cn-ip+ip-san",      cnNames("10.0.0.5"),          [GN.ip(ip("10.0.0.6"))]],
  ["ip4",               nameDer(),                    [GN.ip(ip("10.0.0.5")), GN.ip(ip("127.0.0.1"))]],
  ["ip6",               nameDer(),                    [GN.ip(ip("2001:db8::5")), GN.ip(ip("::1"))]],
  ["ip-v4mapped",       nameDer(),                    [GN.ip(ip("::ffff:10.0.0.5"))]],
  ["dns-holds-ip-text", nameDer(),                    [GN.dns("10.0.0.5"), GN.dns("2001:db8::5")]],
  ["localhost",         cnNames("localhost"),         [GN.dns("localhost"), GN.ip(ip("127.0.0.1")), GN.ip(ip("::1"))]],
  ["wild",              nameDer(),                    [GN.dns("*.example.com")]],
  ["wild-partial",      nameDer(),                    [GN.dns("f*.corp.example.com"), GN.dns("*z.corp.example.com")]],
  ["wild-tld",          cnNames("db1.example.com"),   [GN.dns("*.com")]],
  ["wild-invalid",      nameDer(),                    [GN.dns("a*b.example.com"), GN.dns("db1.*.com"), GN.dns("*.*.example.com"), GN.dns("**.example.com"), GN.dns("*"), GN.dns("*.example.com.")]],
  ["wild-idn",          nameDer(),                    [GN.dns("*.xn--bcher-kva.example"), GN.dns("x*.example.org"), GN.dns("xn--*.example.net")]],
  ["wild-cn",           cnNames("*.example.com"),     undefined],
  ["dns-upper",         nameDer(),                    [GN.dns("DB1.EXAMPLE.COM")]],
  ["dns-trailing-dot",  nameDer(),                    [GN.dns("db1.example.com.")]],
  ["dns-underscore",    nameDer(),                    [GN.dns("db_1.example.com")]],
  ["email-only",        cnNames("db1.example.com"),   [GN.email("dba@example.com")]],
  ["uri-only",          cnNames("db1.example.com"),   [GN.uri("https://db1.example.com/")]],
  ["othername-only",    cnNames("db1.example.com"),   [GN.otherName("1.3.6.1.4.1.311.20.2.3", "db1@example.com")]],
  ["dirname-only",      cnNames("db1.example.com"),   [GN.dirName(cnNames("db1.example.com"))]],
  ["empty-san",         cnNames("db1.example.com"),   []],
  ["empty-dnsname",     cnNames("db1.example.com"),   [GN.dns("")]],
  ["two-cns",           cnNames("a.example.com", "db1.example.com"), undefined],
  ["multi-valued-rdn",  nameDer([[OID.organizationalUnitName, dirString(0x0c, "ops")], cn(dirString(0x0c, "db1.example.com"))]), undefined],
  ["cn-bmpstring",      nameDer([cn(dirString(0x1e, "db1.example.com"))]), undefined],
  ["empty",             nameDer(),                    undefined],
];

// biome-ignore format: a list
const HOSTS = [
  "db1.example.com", "DB1.Example.COM", "db2.example.com", "a.b.example.com", "example.com", "f.corp.example.com",
  "barz.corp.example.com", "db1.example.com.", "db_1.example.com", "www.xn--bcher-kva.example",
  "xn--caf-dma.example.org", "localhost",
  "10.0.0.5", "010.0.0.5", "10.0.0.6", "2001:DB8:0:0:0:0:0:5", "::1", "::ffff:10.0.0.5",
];

// Strings for OpenSSL's IP parser alone (a2i_ipadd): most are not hosts classifyHost would accept.
// biome-ignore format: a list
const IP_STRINGS = [
  "1.2.3.4", "01.2.3.4", "001.002.003.004", " 1.2.3.4", "1. 2.3.4", "1.2.3.4 ", "1.2.3.4\tx", "+1.2.3.4",
  "-0.1.2.3", "4294967297.1.1.1", "-4294967295.1.1.1", "1 .2.3.4", "1.2.3.4abc", "1.2.3.4.5", "-1.2.3.4",
  "0x1.2.3.4", "1.2.3", "256.1.1.1", "18446744073709551617.1.1.1", "a.b.c.d",
  "::", "::1", "1::", "0::1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
  "::01.2.3.4", "::1.2.3.4 ", "::ffff: 1.2.3.4", "1::5:1.2.3.4", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7",
  ":1", "1:", ":::", ":::1", "1::2::3", "::00001", "::1%eth0", "[::1]", " ::1", "::1 ", "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7:8:", "1:2:3:4:5:1.2.3.4", "::1:2:3:4:5:6:1.2.3.4", "::1.2.3.4:5", "1:2:3:4:5:6:0.7:0.8",
  "1.2.3.4:", "::abcde", "g::1",
];

interface Built {
  name: string;
  file: string;
  parsed: ParsedCertificate;
  node: X509Certificate;
}

/** `openssl verify` over many files: per file [] for OK, else the error numbers it printed. */
function parseVerify(r: RunResult, files: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of r.stdout.split("\n")) {
    const m = /^(.+): OK$/.exec(line);
    if (m) out.set(m[1]!, []);
  }
  let codes: number[] = [];
  for (const line of r.stderr.split("\n")) {
    const e = /^error (\d+) at \d+ depth lookup/.exec(line);
    if (e) codes.push(Number(e[1]));
    const f = /^error (.+): verification failed$/.exec(line);
    if (f) {
      out.set(f[1]!, codes);
      codes = [];
    }
  }
  for (const f of files)
    if (!out.has(f)) throw new Error(`openssl verify said nothing about ${f}:\n${r.stderr}`);
  return out;
}

/** `openssl x509 -checkhost H -checkip H` lines → the two raw "does match" answers. */
function parseChecks(r: RunResult): { host: boolean; ip: boolean } {
  const said = (prefix: string) => {
    const line = r.stdout.split("\n").find((l) => l.startsWith(prefix));
    if (!line || r.code !== 0) throw new Error(`unexpected openssl x509 output: ${r.stdout}${r.stderr}`);
    return !line.endsWith(" does NOT match certificate");
  };
  return { host: said("Hostname "), ip: said("IP ") };
}

const nodeIp = (c: X509Certificate, h: string): boolean | "throws" => {
  try {
    return c.checkIP(h) !== undefined;
  } catch {
    return "throws";
  }
};

describe.skipIf(!version && !process.env.CI)("host identity vs OpenSSL", () => {
  let dir = "";
  const built: Built[] = [];
  let runs = 0;
  const openssl = (args: string[]) => {
    runs++;
    return runOpenssl(args, { cwd: dir });
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "repl-pki-identity-"));
    const ca = makeTestCa();
    const leafKey = generatePrivateKey("ec-p256");
    writeFileSync(join(dir, "ca.pem"), ca.pem);
    CERTS.forEach(([name, subject, san], i) => {
      const der = makeLeaf(ca, subject, san, leafKey);
      const file = `c${String(i).padStart(2, "0")}-${name.replace(/[^a-z0-9-]/g, "_")}.pem`;
      writeFileSync(join(dir, file), pemEncode("CERTIFICATE", der));
      built.push({ name, file, parsed: parseCertificateDer(der), node: new X509Certificate(der) });
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has openssl (required when CI is set)", () => {
    expect(version, "openssl must be installed to run the interop tests").toMatch(/^OpenSSL 3\./);
  });

  it("agrees with openssl on every (certificate, host) pair, per flavour", async () => {
    const t0 = Date.now();
    const files = built.map((b) => b.file);
    const perHost = await mapLimit(HOSTS, async (host) => {
      const byIp = await openssl(["verify", "-CAfile", "ca.pem", "-verify_ip", host, ...files]);
      // set1_ip_asc failing is the only silent exit 1 of `openssl verify`
      const ipParses = !(byIp.code === 1 && byIp.stdout === "" && byIp.stderr === "");
      const byName = await openssl(["verify", "-CAfile", "ca.pem", "-verify_hostname", host, ...files]);
      return {
        host,
        ipParses,
        ip: ipParses ? parseVerify(byIp, files) : undefined,
        name: parseVerify(byName, files),
      };
    });
    const pairs = HOSTS.flatMap((host, h) => built.map((b) => ({ host, b, v: perHost[h]! })));
    const checks = await mapLimit(pairs, ({ host, b }) =>
      openssl(["x509", "-in", b.file, "-noout", "-checkhost", host, "-checkip", host]).then(parseChecks),
    );

    const mismatches: string[] = [];
    const cliDiffs: string[] = [];
    const nodeDiffs: string[] = [];
    const unexpectedNodeDiffs: string[] = [];
    pairs.forEach(({ host, b, v }, i) => {
      const chk = checks[i]!;
      const verdict = v.ipParses ? v.ip!.get(b.file)! : v.name.get(b.file)!;
      const allowed = v.ipParses ? 64 : 62; // IP address mismatch / hostname mismatch
      if (verdict.some((c) => c !== allowed))
        throw new Error(`${b.name}: verify errors ${verdict} for ${host}`);
      const want = { "mysql-8": verdict.length === 0, mariadb: chk.host || (v.ipParses && chk.ip) };
      // the two CLI paths reach the same library calls; a disagreement would make one oracle suspect
      const viaVerify = v.name.get(b.file)!.length === 0;
      if (viaVerify !== chk.host)
        cliDiffs.push(`${b.name} ${host}: -checkhost ${chk.host}, -verify_hostname ${viaVerify}`);
      if (v.ipParses && (v.ip!.get(b.file)!.length === 0) !== chk.ip)
        cliDiffs.push(`${b.name} ${host}: -checkip vs -verify_ip`);
      for (const flavour of ["mysql-8", "mariadb"] as const) {
        const got = checkHostIdentity(b.parsed, host, flavour);
        if (got.match !== want[flavour]) {
          mismatches.push(
            `${flavour} ${b.name} ${host}: openssl ${want[flavour]}, ours ${got.match} (${got.reason})`,
          );
        }
      }
      // node:crypto against the same CLI answers
      const nHost = b.node.checkHost(host);
      if ((nHost !== undefined) !== chk.host)
        unexpectedNodeDiffs.push(`checkHost ${b.name} ${host}: node ${nHost}`);
      const ours = x509CheckHost(b.parsed, host);
      if (nHost !== undefined && ours.matchedBy?.replace(/^(dNSName|CN):/, "") !== nHost) {
        unexpectedNodeDiffs.push(
          `checkHost peername ${b.name} ${host}: node ${nHost}, ours ${ours.matchedBy}`,
        );
      }
      const nIp = nodeIp(b.node, host);
      if (nIp !== chk.ip) {
        const known = nIp === "throws" && !v.ipParses && chk.ip; // CLI: -2 printed as "does match"
        (known ? nodeDiffs : unexpectedNodeDiffs).push(
          `checkIP ${b.name} ${JSON.stringify(host)}: node ${nIp}, CLI "does match"`,
        );
      }
    });

    console.log(
      `identity interop: ${built.length} certificates × ${HOSTS.length} hosts = ${pairs.length} (cert, host) pairs ` +
        `per flavour (mysql-8, mariadb); ${runs} openssl runs in ${Date.now() - t0} ms; ` +
        `node checkIP throws where the CLI prints "does match" on ${nodeDiffs.length} pairs ` +
        `(${new Set(nodeDiffs.map((d) => d.split(" ")[2])).size} unparsable hosts)`,
    );
    expect(mismatches).toEqual([]);
    expect(cliDiffs).toEqual([]);
    expect(unexpectedNodeDiffs).toEqual([]);
  });

  it("parses IP strings exactly as OpenSSL's a2i_ipadd does", async () => {
    const ca = makeTestCa("a2i CA");
    writeFileSync(join(dir, "a2i-ca.pem"), ca.pem);
    const addresses = [
      ...new Set(
        IP_STRINGS.map((s) => a2iIpadd(s))
          .filter((o) => o !== undefined)
          .map(formatIp),
      ),
    ];
    const ipFiles = addresses.map((a, i) => {
      const file = `ip${i}.pem`;
      writeFileSync(join(dir, file), pemEncode("CERTIFICATE", makeLeaf(ca, nameDer(), [GN.ip(ip(a))])));
      return file;
    });
    const wrong: string[] = [];
    await mapLimit(IP_STRINGS, async (text) => {
      const r = await openssl(["verify", "-CAfile", "a2i-ca.pem", "-verify_ip", text, ...ipFiles]);
      const parsed = !(r.code === 1 && r.stdout === "" && r.stderr === "");
      const ok = parsed ? [...parseVerify(r, ipFiles)].filter(([, c]) => c.length === 0).map(([f]) => f) : [];
      const opensslSays = parsed
        ? ok.length === 1
          ? addresses[ipFiles.indexOf(ok[0]!)]
          : `?${ok}`
        : undefined;
      const octets = a2iIpadd(text);
      const ours = octets ? formatIp(octets) : undefined;
      if (ours !== opensslSays) wrong.push(`${JSON.stringify(text)}: openssl ${opensslSays}, ours ${ours}`);
      const nodeThrows = nodeIp(new X509Certificate(ca.der), text) === "throws";
      if (nodeThrows === parsed) wrong.push(`${JSON.stringify(text)}: node checkIP throws=${nodeThrows}`);
    });
    console.log(`a2i_ipadd interop: ${IP_STRINGS.length} strings, ${addresses.length} distinct addresses`);
    expect(wrong).toEqual([]);
  });
});
