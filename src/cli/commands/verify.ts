import { Command } from "commander";
import { parseIsoTime } from "../../core/time.js";
import { formatOpensslError } from "../../core/verify/openssl-errors.js";
import type { VerifyCheck } from "../../core/verify/report.js";
import type { VerifyReport } from "../../core/verify/verify.js";
import { AnsweredNo, CheckFailure } from "../../errors.js";
import { type CliContext, printJson } from "../io.js";
import { helpSections, jsonOption } from "../options.js";

/** What to do next, per OpenSSL error. */
const HINTS: Record<number, string> = {
  2: "add the root CA to the CA bundle (repl-pki's ca/chain.pem holds intermediate and root)",
  3: "every CA of the chain, the root too, needs a current CRL (CRL_CHECK_ALL): run repl-pki crl and deploy crl.pem or crl.d",
  7: "the certificate was not signed by this CA key: re-issue it from the CA in the bundle",
  10: "renew the expired certificate (repl-pki issue …) and reload TLS on the server",
  12: "regenerate the CRL (repl-pki crl), deploy it, then FLUSH SSL / ALTER INSTANCE RELOAD TLS",
  18: "issue the certificate from a CA (repl-pki issue server NAME --host …) instead of self-signing it",
  19: "the chain ends in a root that is not in the CA bundle: give the bundle that holds it",
  20: "give the CA bundle that issued this certificate (repl-pki's ca/chain.pem)",
  23: "the certificate is revoked: issue a new one",
  26: "issue the certificate for its role: server (serverAuth) or replica (clientAuth)",
  62: "re-issue with --host for every name replicas dial, or dial a name the certificate has",
  64: "MySQL 8 matches an IP host only against iPAddress SANs: re-issue with --ip",
};

export function renderVerifyLine(c: VerifyCheck): string {
  const depth = c.depth === null ? "   " : `[${c.depth}]`;
  const err = c.error ? `error ${c.error.code} at ${c.error.depth} depth lookup: ${c.error.text}: ` : "";
  return `${c.status.toUpperCase().padEnd(4)}  ${c.check.padEnd(14)} ${depth}  ${err}${c.reason}\n`;
}

function failure(r: VerifyReport): CheckFailure {
  const e = r.openssl.error;
  const failedLint = r.checks.find((c) => c.status === "fail" && c.error === null && c.check !== "identity");
  const message = e
    ? `verification failed: ${formatOpensslError(e)}`
    : r.identity && !r.identity.match
      ? `the ${r.flavour} host check fails for ${r.host}`
      : `the certificate is not usable for replication (${failedLint?.check ?? "see above"})`;
  const hint =
    (e ? HINTS[e.code] : undefined) ??
    (r.identity && !r.identity.match
      ? "re-issue the certificate with every name the replica dials (--host / --ip)"
      : "issue the certificate from the repl-pki CA: repl-pki issue server|replica NAME");
  return new CheckFailure("VERIFY_FAILED", message, { hint });
}

export function verifyCommand(ctx: CliContext): Command {
  const cmd = new Command("verify")
    .description(
      "verify a certificate offline exactly as OpenSSL inside mysqld/MariaDB would: chain, CRLs (CRL_CHECK_ALL), purpose, host",
    )
    .requiredOption(
      "--cert <file>",
      "certificate file (PEM; leaf first, then any intermediates the peer sends)",
    )
    .option("--ca <file>", "CA bundle: ssl_ca / MASTER_SSL_CA")
    .option("--capath <dir>", "hashed CA directory: ssl_capath / MASTER_SSL_CAPATH")
    .option("--crl <file>", "CRL file: ssl_crl / MASTER_SSL_CRL (turns on CRL checks for the whole chain)")
    .option("--crlpath <dir>", "hashed CRL directory: ssl_crlpath / MASTER_SSL_CRLPATH")
    .option("--host <host>", "the host the replica dials (MASTER_HOST), checked as --flavour does")
    .option(
      "--purpose <purpose>",
      "server (a replica checks its source) or client (a source checks a replica)",
      "server",
    )
    .option("--flavour <flavour>", "mysql-8, mariadb or mysql-5.7: how the host is matched", "mysql-8")
    .option("--at <time>", "verify at this ISO 8601 UTC time instead of now");
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki verify --cert pki/certs/db1.pem --ca pki/ca/chain.pem --crl pki/crl.pem --host db1.example.com",
    "repl-pki verify --cert replica1.pem --ca ca.pem --crlpath pki/crl.d --purpose client",
    "repl-pki verify --cert db1.pem --ca ca.pem --crl crl.pem --at 2027-01-01T00:00:00Z --json",
  ]);
  return cmd.action(async (o) => {
    const { parseFlavour, parsePurpose, verifyFiles } = await import("../../api/verify.js");
    const r = verifyFiles(
      {
        cert: o.cert,
        ca: o.ca,
        capath: o.capath,
        crl: o.crl,
        crlpath: o.crlpath,
        host: o.host,
        purpose: parsePurpose(o.purpose),
        flavour: parseFlavour(o.flavour),
        at: o.at === undefined ? undefined : parseIsoTime(o.at),
      },
      ctx.deps,
    );
    if (o.json) {
      printJson(ctx, r);
      if (!r.ok) throw new AnsweredNo("VERIFY_FAILED", failure(r).message);
      return;
    }
    const host = r.host === null ? "" : `, host ${r.host} (${r.flavour})`;
    ctx.stdout(`verify ${o.cert} as a ${r.purpose} certificate${host} at ${r.at}\n`);
    for (const c of r.checks) ctx.stdout(renderVerifyLine(c));
    ctx.stdout(`\n${r.verdict}\n`);
    if (!r.ok) throw failure(r);
  });
}
