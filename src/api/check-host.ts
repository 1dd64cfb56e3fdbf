// `repl-pki check-host CERT HOST`: the identity check alone, as a replica of the given flavour runs it
// with MASTER_SSL_VERIFY_SERVER_CERT=1 / VERIFY_IDENTITY, plus the rejections that make a name match
// meaningless (self-signed, auto-generated, a CA certificate, no serverAuth, X.509 v1).
import { checkHostIdentity, type Flavour } from "../core/identity/check-host.js";
import { classifyHost } from "../core/identity/validate-host.js";
import { type LintResult, lintCertificate } from "../core/verify/lint.js";
import { opensslNameOneline } from "../core/x509/name-oneline.js";
import { readPkiFile } from "../store/pki-files.js";

export interface CheckHostOptions {
  cert: string;
  host: string;
  flavour?: Flavour;
}

export interface CheckHostResult {
  host: string;
  flavour: Flavour;
  subject: string;
  /** The host is accepted: a name matches and nothing rejects the certificate. */
  match: boolean;
  /** A certificate name matches the host (the OpenSSL answer for the flavour). */
  nameMatch: boolean;
  matchedBy: string | null;
  reason: string;
  /** The rejections that fired (self-signed, auto-generated, CA certificate, no serverAuth, v1). */
  rejections: LintResult[];
  /** Remarks about the host itself (leading zeros, trailing dot, …). */
  notes: string[];
}

/**
 * @example
 * checkHost({ cert: "pki/certs/db1.pem", host: "10.0.0.5", flavour: "mysql-8" }).match;
 */
export function checkHost(opts: CheckHostOptions): CheckHostResult {
  const flavour = opts.flavour ?? "mysql-8";
  const cls = classifyHost(opts.host); // INVALID_HOST (exit 2) before any file is read
  const cert = readPkiFile(opts.cert, "certificate").certs[0]!;
  const id = checkHostIdentity(cert, opts.host, flavour);
  const rejections = lintCertificate(cert, ["server"]).filter((l) => !l.ok);
  const match = id.match && rejections.length === 0;
  const reason =
    rejections.length === 0
      ? id.reason
      : `${id.match ? "the name matches, but" : `${id.reason}; also`} the certificate is rejected: ${rejections.map((r) => r.reason).join("; ")}`;
  return {
    host: opts.host,
    flavour,
    subject: opensslNameOneline(cert.subject),
    match,
    nameMatch: id.match,
    matchedBy: id.matchedBy ?? null,
    reason,
    rejections,
    notes: cls.notes,
  };
}
