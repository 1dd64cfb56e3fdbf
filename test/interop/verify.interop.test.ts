// `repl-pki verify` against `openssl verify` itself, over a matrix of good and broken chains made in
// setup: a CA directory made with the library (initCa, issue, revoke, refreshCrls) and hand-built
// certificates and CRLs for everything the library refuses to make. For every case the OpenSSL verdict
// is the oracle: ours must be the same (OK, or the same first error number at the same depth, in the
// same words). Each case also names what it is meant to exercise, and that intent is checked against
// OpenSSL too, so a fixture that silently stopped being broken is noticed.
//
// Options map to the CLI as mysqld maps them to libcrypto (spec §1): --ca → -CAfile, --capath and
// --crlpath → -CApath (one by_dir lookup), --crl → -CRLfile, any CRL → -crl_check_all, --purpose →
// -purpose sslserver|sslclient, --host → -verify_ip when OpenSSL parses it as an IP, else
// -verify_hostname (MySQL 8's X509_VERIFY_PARAM path), --at → -attime, extra certificates in the
// certificate file → -untrusted. For --flavour mariadb the chain is verified without a host and the
// name compared with `openssl x509 -checkhost H -checkip H` (MariaDB: X509_check_host || _ip_asc).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyFiles } from "../../src/api/verify.js";
import { a2iIpadd } from "../../src/core/identity/openssl-ip.js";
import { mapLimit, opensslVersion, runOpenssl } from "../helpers/openssl.js";
import { buildMatrix, type VerifyCase } from "./verify-matrix.js";

const version = await opensslVersion();

interface Answer {
  verdict: string; // "OK" or "code@depth"
  text: string;
}

function parseVerify(stdout: string, stderr: string, code: number): Answer {
  if (code === 0 && /: OK$/m.test(stdout)) return { verdict: "OK", text: "" };
  const m = /^(?:\[CRL path\] )?error (\d+) at (\d+) depth lookup: (.*)$/m.exec(stderr);
  if (!m) throw new Error(`unexpected openssl verify output (exit ${code}):\n${stdout}${stderr}`);
  return { verdict: `${m[1]}@${m[2]}`, text: m[3]! };
}

async function opensslAnswer(c: VerifyCase, dir: string): Promise<Answer & { nameMatch?: boolean }> {
  const args = ["verify", "-attime", String(Math.floor(c.at.getTime() / 1000))];
  if (c.ca) args.push("-CAfile", c.ca);
  const dirs = [...new Set([c.capath, c.crlpath].filter((d): d is string => d !== undefined))];
  if (dirs.length > 1) throw new Error(`${c.name}: openssl verify takes one -CApath`);
  if (dirs[0]) args.push("-CApath", dirs[0]);
  if (c.crl) args.push("-CRLfile", c.crl);
  if (c.crl || c.crlpath) args.push("-crl_check_all");
  args.push("-purpose", c.purpose === "client" ? "sslclient" : "sslserver");
  const mysql8Host = c.host !== undefined && (c.flavour ?? "mysql-8") === "mysql-8";
  if (mysql8Host) args.push(a2iIpadd(c.host!) ? "-verify_ip" : "-verify_hostname", c.host!);
  if (c.extras) args.push("-untrusted", c.cert);
  args.push(c.cert);
  const r = await runOpenssl(args, { cwd: dir });
  const answer = parseVerify(r.stdout, r.stderr, r.code);
  if (c.host === undefined || mysql8Host) return answer;
  const x = await runOpenssl(["x509", "-in", c.cert, "-noout", "-checkhost", c.host, "-checkip", c.host], {
    cwd: dir,
  });
  const said = (prefix: string) =>
    !x.stdout
      .split("\n")
      .find((l) => l.startsWith(prefix))
      ?.endsWith("does NOT match certificate");
  // the CLI prints "does match" when X509_check_ip_asc returns -2 (not an IP): that is no match
  return { ...answer, nameMatch: said("Hostname ") || (a2iIpadd(c.host) !== undefined && said("IP ")) };
}

describe.skipIf(!version && !process.env.CI)("verify vs openssl verify", () => {
  let dir = "";
  let cases: VerifyCase[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "repl-pki-verify-"));
    cases = buildMatrix(dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has openssl (required when CI is set)", () => {
    expect(version, "openssl must be installed to run the interop tests").toMatch(/^OpenSSL 3\./);
  });

  it("gives OpenSSL's verdict and first error on every case", async () => {
    const t0 = Date.now();
    const results = await mapLimit(cases, async (c) => {
      const theirs = await opensslAnswer(c, dir);
      const r = verifyFiles(
        {
          cert: join(dir, c.cert),
          ca: c.ca && join(dir, c.ca),
          capath: c.capath && join(dir, c.capath),
          crl: c.crl && join(dir, c.crl),
          crlpath: c.crlpath && join(dir, c.crlpath),
          host: c.host,
          purpose: c.purpose,
          flavour: c.flavour,
          at: c.at,
        },
        { clock: () => c.at },
      );
      const e = r.openssl.error;
      const ours: Answer = e
        ? { verdict: `${e.code}@${e.depth}`, text: e.text }
        : { verdict: "OK", text: "" };
      return { c, theirs, ours, r };
    });
    const mismatches: string[] = [];
    const intent: string[] = [];
    const table: string[] = [];
    for (const { c, theirs, ours, r } of results) {
      if (theirs.verdict !== ours.verdict || theirs.text !== ours.text) {
        mismatches.push(
          `${c.name}: openssl ${theirs.verdict} "${theirs.text}", ours ${ours.verdict} "${ours.text}"`,
        );
      }
      if (theirs.nameMatch !== undefined && theirs.nameMatch !== r.identity?.match) {
        mismatches.push(
          `${c.name}: ${c.flavour} name match: openssl ${theirs.nameMatch}, ours ${r.identity?.match}`,
        );
      }
      const want = c.want.split("|");
      if (!want.includes(theirs.verdict))
        intent.push(`${c.name}: meant ${c.want}, openssl says ${theirs.verdict}`);
      table.push(`  ${c.name.padEnd(34)} ${theirs.verdict.padEnd(6)} ${theirs.text}`);
    }
    const agree = results.length - mismatches.length;
    console.log(
      `verify interop: ${results.length} cases, ${agree} agree with openssl verify (${Date.now() - t0} ms)\n${table.join("\n")}`,
    );
    expect(mismatches).toEqual([]);
    expect(intent).toEqual([]);
  });
});
