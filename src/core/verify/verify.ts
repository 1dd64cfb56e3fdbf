// Offline answer to "will mysqld accept this certificate with these CA and CRL files?": OpenSSL 3.0's
// X509_verify_cert as mysqld and MariaDB configure it (spec §1, §3), run in OpenSSL's order:
//   build_chain → check_extensions → check_id (MySQL 8 only) → check_revocation → internal_verify
// mysqld installs no verify callback, so the first error is the one the handshake fails with; later
// errors are still collected so every check can be reported. MariaDB and MySQL 5.7 check the host
// after the handshake, so for them a name mismatch comes after every chain error.
import { checkHostIdentity, type Flavour, type IdentityResult } from "../identity/check-host.js";
import { classifyHost } from "../identity/validate-host.js";
import { formatTime } from "../time.js";
import { buildChain } from "./build-chain.js";
import { type CertInfo, seconds } from "./cert-info.js";
import { checkExtensions, internalVerify, type LinkResult, type Purpose } from "./chain-checks.js";
import { type LintResult, lintAgainstCas, lintCertificate } from "./lint.js";
import { type OpensslError, opensslError, X509_V_ERR } from "./openssl-errors.js";
import { buildChecks, type ChainEntry, chainEntries, type VerifyCheck } from "./report.js";
import { type CrlCheck, checkRevocation } from "./revocation.js";
import type { VerifyStore } from "./store.js";

export interface VerifyInput {
  /** The certificate to verify (the first one of the certificate file). */
  leaf: CertInfo;
  /** Every certificate of the certificate file, the leaf included: what the peer sends. */
  untrusted: CertInfo[];
  store: VerifyStore;
  /** Also the CA certificates named in the bundle, for the look-alike checks. */
  bundleCas: CertInfo[];
  /** True when a CRL file or directory is configured (mysqld then sets CRL_CHECK | CRL_CHECK_ALL). */
  crlCheck: boolean;
  purpose: Purpose;
  flavour: Flavour;
  host: string | undefined;
  at: Date;
}

export interface VerifyReport {
  /** Every check passed: OpenSSL accepts, the host matches, no look-alike rejection. */
  ok: boolean;
  at: string;
  purpose: Purpose;
  flavour: Flavour;
  host: string | null;
  crlCheck: boolean;
  chain: ChainEntry[];
  /** X509_verify_cert's answer; `error` is the one mysqld reports (no verify callback). */
  openssl: { ok: boolean; error: OpensslError | null; errors: OpensslError[] };
  identity: IdentityResult | null;
  /** One line per check, in the order OpenSSL runs them, then the look-alike rejections. */
  checks: VerifyCheck[];
  verdict: string;
}

export interface VerifyParts {
  chain: CertInfo[];
  trusted: boolean;
  numUntrusted: number;
  buildError: OpensslError | undefined;
  extensionErrors: OpensslError[];
  identity: IdentityResult | undefined;
  identityError: OpensslError | undefined;
  crls: CrlCheck[] | undefined;
  links: LinkResult[];
  linkErrors: OpensslError[];
  lints: LintResult[];
}

export function verifyCertificate(input: VerifyInput): VerifyReport {
  const at = seconds(input.at);
  const built = buildChain(input.leaf, input.untrusted, input.store, at);
  const { chain } = built;
  const extensionErrors = checkExtensions(chain, input.purpose);
  let identity: IdentityResult | undefined;
  let identityError: OpensslError | undefined;
  if (input.host !== undefined) {
    identity = checkHostIdentity(input.leaf.parsed, input.host, input.flavour);
    if (!identity.match && input.flavour === "mysql-8") {
      const ip = classifyHost(input.host).kind === "ip";
      identityError = opensslError(
        ip ? X509_V_ERR.IP_ADDRESS_MISMATCH : X509_V_ERR.HOSTNAME_MISMATCH,
        0,
        "identity",
        identity.reason,
      );
    }
  }
  const crls = input.crlCheck ? checkRevocation(chain, input.store, at) : undefined;
  const { errors: linkErrors, links } = internalVerify(chain, at);
  const cas = [...chain.slice(1), ...input.bundleCas].map((c) => c.parsed);
  const purposes: Purpose[] = [input.purpose];
  const lints = [...lintCertificate(input.leaf.parsed, purposes), ...lintAgainstCas(input.leaf.parsed, cas)];
  const parts: VerifyParts = {
    chain,
    trusted: built.trusted,
    numUntrusted: built.numUntrusted,
    buildError: built.error,
    extensionErrors,
    identity,
    identityError,
    crls,
    links,
    linkErrors,
    lints,
  };
  const errors = [
    ...(built.error ? [built.error] : []),
    ...extensionErrors,
    ...(identityError ? [identityError] : []),
    ...(crls ?? []).flatMap((c) => c.errors),
    ...linkErrors,
  ];
  const first = errors[0] ?? null;
  const identityOk = identity === undefined || identity.match;
  const failedLint = lints.find((l) => !l.ok);
  return {
    ok: first === null && identityOk && !failedLint,
    at: formatTime(input.at),
    purpose: input.purpose,
    flavour: input.flavour,
    host: input.host ?? null,
    crlCheck: input.crlCheck,
    chain: chainEntries(parts),
    openssl: { ok: first === null, error: first, errors },
    identity: identity ?? null,
    checks: buildChecks(parts, input),
    verdict: verdict(first, identityOk ? undefined : identity, failedLint, input.flavour),
  };
}

function verdict(
  first: OpensslError | null,
  identity: IdentityResult | undefined,
  lint: LintResult | undefined,
  flavour: Flavour,
): string {
  if (first) {
    return `REFUSED: OpenSSL fails the handshake with "error ${first.code} at ${first.depth} depth lookup: ${first.text}" (${first.detail})`;
  }
  if (identity) return `REFUSED: the chain verifies, but the ${flavour} host check fails: ${identity.reason}`;
  if (lint) return `NOT USABLE: OpenSSL accepts these files, but ${lint.reason}`;
  return "ACCEPTED: OpenSSL verifies the chain with these files and every check passes";
}
