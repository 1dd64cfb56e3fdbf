// `repl-pki revoke NAME | --serial S`: record the revocation, then regenerate every CRL.
import type { CoreDeps } from "../core/deps.js";
import { encodeRevocation, type IndexEntry } from "../core/index/records.js";
import type { RevocationReason } from "../core/revocation.js";
import { revocationSteps } from "../core/runbook/revocation-steps.js";
import { formatTime, NOT_BEFORE_BACKDATE_MS } from "../core/time.js";
import { InputError, UsageError } from "../errors.js";
import { loadCa, markCaRevoked } from "../store/ca-store.js";
import { appendRecords, readJournal } from "../store/journal.js";
import { withLock } from "../store/lock.js";
import { type CrlResult, refreshCrlsLocked } from "./crl.js";
import { describeSelector, findCertificate } from "./select.js";

export interface RevokeOptions {
  dir: string;
  name?: string;
  /** Canonical serial (formatSerial). */
  serial?: string;
  reason?: RevocationReason;
  /** Revocation time, default now; never in the future. */
  at?: Date;
  /** Lifetime of the regenerated CRLs in days. */
  crlDays?: number;
}

export interface RevokeResult {
  entry: IndexEntry;
  crl: CrlResult;
  steps: string[];
}

/**
 * @example
 * revoke({ dir: "./pki", name: "replica1", reason: "keyCompromise" }, systemDeps());
 */
export function revoke(opts: RevokeOptions, deps: CoreDeps): RevokeResult {
  const ca = loadCa(opts.dir);
  const now = deps.clock();
  const at = opts.at ?? now;
  if (at.getTime() > now.getTime() + NOT_BEFORE_BACKDATE_MS) {
    throw new UsageError("INVALID_TIME", `the revocation time ${formatTime(at)} is in the future`, {
      hint: "give --at a time in the past, or leave it out for now",
    });
  }
  return withLock(opts.dir, () => {
    const { entries } = readJournal(ca.layout.index);
    const entry = findCertificate(entries, opts);
    const what = describeSelector(opts);
    if (entry.role === "root-ca") {
      throw new UsageError("INVALID_OPTION_VALUE", "the root CA cannot be revoked: it is the trust anchor", {
        hint: "to stop trusting it, remove it from every server's ssl_ca and issue from a new CA",
      });
    }
    if (entry.status === "R") {
      throw new InputError(
        "ALREADY_REVOKED",
        `the certificate ${what} was already revoked at ${entry.revokedAt}`,
        {
          hint: "nothing to do; run repl-pki crl to regenerate the CRLs if they are missing",
        },
      );
    }
    const revocation = {
      serial: entry.serial,
      issuer: entry.issuer,
      revokedAt: formatTime(at),
      reason: opts.reason ?? "unspecified",
    };
    // Durable before any CRL work: a failure below never loses the revocation (`repl-pki crl` redoes it).
    appendRecords(ca.layout.index, [encodeRevocation(revocation)]);
    if (entry.role === "intermediate-ca") markCaRevoked(ca, entry.name, revocation.revokedAt);
    const revoked: IndexEntry = {
      ...entry,
      status: "R",
      revokedAt: revocation.revokedAt,
      reason: revocation.reason,
    };
    // Only the issuer's CRL changes (plus any CA whose CRL is missing or expired): revoking a leaf
    // under the intermediate must not need the root key, which may live offline.
    const crl = refreshCrlsLocked(ca, { dir: opts.dir, days: opts.crlDays, only: [entry.issuer] }, deps);
    return { entry: revoked, crl, steps: revocationSteps(revoked) };
  });
}
