// The verifier's findings as report lines: one line per check (per certificate where a check runs
// per certificate), pass/fail/skip, with OpenSSL's error number and words where OpenSSL has one.
import { formatSerial } from "../serial.js";
import { formatTime } from "../time.js";
import { opensslNameOneline } from "../x509/name-oneline.js";
import type { CertInfo } from "./cert-info.js";
import type { LintId } from "./lint.js";
import type { OpensslError } from "./openssl-errors.js";
import type { VerifyInput, VerifyParts } from "./verify.js";

export type CheckName =
  | "chain"
  | "critical"
  | "ca"
  | "purpose"
  | "identity"
  | "crl"
  | "signature"
  | "validity"
  | LintId;

export interface VerifyCheck {
  check: CheckName;
  status: "pass" | "fail" | "skip";
  /** The chain depth the line is about, when it is about one certificate. */
  depth: number | null;
  /** OpenSSL's error for a failure, when OpenSSL has one. */
  error: { code: number; depth: number; text: string } | null;
  reason: string;
}

export interface ChainEntry {
  depth: number;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  /** Which input it came from: "cert file", "--ca", "--capath 1a2b3c4d.0", … */
  source: string;
  trustAnchor: boolean;
}

const name = (c: CertInfo) => opensslNameOneline(c.parsed.subject) || "(empty subject)";

export function chainEntries(p: VerifyParts): ChainEntry[] {
  return p.chain.map((c, depth) => ({
    depth,
    subject: name(c),
    issuer: opensslNameOneline(c.parsed.issuer),
    serial: formatSerial(c.parsed.serial),
    notBefore: formatTime(c.parsed.notBefore),
    notAfter: formatTime(c.parsed.notAfter),
    source: c.source,
    trustAnchor: p.trusted && depth === p.chain.length - 1,
  }));
}

const fail = (check: CheckName, e: OpensslError): VerifyCheck => ({
  check,
  status: "fail",
  depth: e.depth,
  error: { code: e.code, depth: e.depth, text: e.text },
  reason: e.detail,
});
const line = (
  check: CheckName,
  status: VerifyCheck["status"],
  reason: string,
  depth: number | null = null,
) => ({
  check,
  status,
  depth,
  error: null,
  reason,
});

export function buildChecks(p: VerifyParts, input: VerifyInput): VerifyCheck[] {
  const out: VerifyCheck[] = [];
  const path = p.chain.map((c) => `${name(c)} [${c.source}]`).join(" <- ");
  out.push(
    p.buildError ? fail("chain", p.buildError) : line("chain", "pass", `${path}: ends in a trust anchor`),
  );
  const ext = (codes: number[]) => p.extensionErrors.filter((e) => codes.includes(e.code));
  const critical = ext([34]);
  if (critical.length > 0) out.push(...critical.map((e) => fail("critical", e)));
  else out.push(line("critical", "pass", "no certificate has a critical extension OpenSSL does not handle"));
  const caErrors = ext([79, 25]);
  if (caErrors.length > 0) out.push(...caErrors.map((e) => fail("ca", e)));
  else
    out.push(
      line(
        "ca",
        "pass",
        p.chain.length > 1
          ? "every issuer is a CA (basicConstraints CA:TRUE, keyUsage keyCertSign), path lengths respected"
          : "no issuer in the chain",
      ),
    );
  const purposeErrors = ext([26]);
  if (purposeErrors.length > 0) out.push(...purposeErrors.map((e) => fail("purpose", e)));
  else
    out.push(
      line("purpose", "pass", `ssl${input.purpose}: extendedKeyUsage and keyUsage fit at every depth`),
    );
  out.push(identityLine(p, input));
  out.push(...crlLines(p));
  const links = [...p.links].sort((a, b) => b.depth - a.depth);
  for (const l of links) {
    const mine = p.linkErrors.filter(
      (e) => e.stage === "signature" && (e.code === 32 ? e.depth === l.issuerDepth : e.depth === l.depth),
    );
    if (mine.length > 0) out.push(...mine.map((e) => fail("signature", e)));
    else if (l.unchecked) out.push(line("signature", "skip", "its issuer is not in the chain", l.depth));
    else if (l.issuerDepth !== undefined)
      out.push(line("signature", "pass", `signed by the key of depth ${l.issuerDepth}`, l.depth));
    else
      out.push(line("signature", "pass", "trust anchor: OpenSSL does not check a self-signature", l.depth));
  }
  for (const l of links) {
    const e = p.linkErrors.find((x) => x.stage === "validity" && x.depth === l.depth);
    const c = p.chain[l.depth]!.parsed;
    const valid = `${formatTime(c.notBefore)} .. ${formatTime(c.notAfter)}`;
    if (e) out.push(fail("validity", e));
    else if (l.unchecked && l.time !== "valid")
      out.push(line("validity", "fail", `${l.time} (${valid}); OpenSSL stopped before checking it`, l.depth));
    else out.push(line("validity", "pass", `valid ${valid}`, l.depth));
  }
  for (const l of p.lints) out.push(line(l.id, l.ok ? "pass" : "fail", l.reason, 0));
  return out;
}

function identityLine(p: VerifyParts, input: VerifyInput): VerifyCheck {
  if (!p.identity) {
    return line(
      "identity",
      "skip",
      input.purpose === "server"
        ? "no --host: only the chain is checked (MASTER_SSL_VERIFY_SERVER_CERT=0 / VERIFY_CA)"
        : "a source never checks a replica certificate's names",
    );
  }
  if (p.identityError) return fail("identity", p.identityError);
  return line("identity", p.identity.match ? "pass" : "fail", `${input.flavour}: ${p.identity.reason}`, 0);
}

function crlLines(p: VerifyParts): VerifyCheck[] {
  if (!p.crls) {
    return [line("crl", "skip", "no --crl or --crlpath: mysqld checks no CRL (and sets no CRL_CHECK flags)")];
  }
  return p.crls.flatMap((c) => {
    if (c.errors.length > 0) return c.errors.map((e) => fail("crl", e));
    const crl = c.crl!;
    const num = crl.crl.crlNumber === undefined ? "" : ` #${crl.crl.crlNumber}`;
    const next = crl.crl.nextUpdate ? `until ${formatTime(crl.crl.nextUpdate)}` : "with no nextUpdate";
    return [
      line(
        "crl",
        "pass",
        `CRL${num} of ${opensslNameOneline(crl.crl.issuer)} [${crl.source}], current ${next}: serial ${formatSerial(p.chain[c.depth]!.parsed.serial)} not listed`,
        c.depth,
      ),
    ];
  });
}
