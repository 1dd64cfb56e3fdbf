// The CRL gate of a bundle: every CA of the chain (root included: mysqld sets CRL_CHECK_ALL, spec §1) must
// have a CRL in each shipped form, and the one OpenSSL would pick (get_crl_sk: a current CRL beats an
// expired one, then the newest thisUpdate) must not expire inside the safety window, since an expired
// CRL makes a source refuse every replica and a replica refuse its source.
import { verifySignedDer } from "../../crypto/verify-signature.js";
import { CheckFailure, InputError } from "../../errors.js";
import { type ParsedCrl, parseCrlDer } from "../crl/parse-crl.js";
import { DAY_MS, formatTime } from "../time.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { pemDecodeAll } from "../x509/pem.js";

export interface ChainCa {
  name: string;
  cert: ParsedCertificate;
}

export interface CrlSource {
  /** "crl.pem" or "crl.d/<file>", for messages. */
  label: string;
  pem: Buffer;
}

export interface CrlGate {
  /** The earliest nextUpdate of the CRLs OpenSSL would use. */
  nextUpdate: string;
}

function crlsIn(sources: CrlSource[]): { label: string; crl: ParsedCrl }[] {
  const out: { label: string; crl: ParsedCrl }[] = [];
  for (const s of sources) {
    for (const b of pemDecodeAll(s.pem.toString("latin1"))) {
      if (b.label !== "X509 CRL") continue;
      try {
        out.push({ label: s.label, crl: parseCrlDer(b.der) });
      } catch (cause) {
        throw new InputError("PEM_PARSE_FAILED", `${s.label} holds a damaged CRL`, {
          cause,
          hint: "regenerate the CRLs with repl-pki crl",
        });
      }
    }
  }
  return out;
}

/**
 * Checks one CRL form (the crl.pem file, or the files of crl.d) against the chain. Throws InputError
 * CRL_MISSING, CheckFailure CRL_EXPIRED or CRL_EXPIRING.
 *
 * @example
 * checkBundleCrls("crl.pem", [{ label: "crl.pem", pem }], chain, new Date(), 7 * DAY_MS);
 */
export function checkBundleCrls(
  form: string,
  sources: CrlSource[],
  chain: ChainCa[],
  now: Date,
  safetyMs: number,
): CrlGate {
  const all = crlsIn(sources);
  let earliest: Date | undefined;
  for (const ca of chain) {
    const mine = all.filter(
      (c) =>
        c.crl.issuer.equals(ca.cert.subject) &&
        verifySignedDer(c.crl.tbs, c.crl.signatureAlgorithm, c.crl.signature, ca.cert.spki),
    );
    const current = (c: ParsedCrl) => !c.nextUpdate || c.nextUpdate.getTime() > now.getTime();
    mine.sort(
      (a, b) =>
        Number(current(b.crl)) - Number(current(a.crl)) ||
        b.crl.thisUpdate.getTime() - a.crl.thisUpdate.getTime(),
    );
    const best = mine[0];
    if (!best) {
      throw new InputError("CRL_MISSING", `${form} has no CRL of the ${ca.name} CA signed by it`, {
        hint: 'every CA of the chain needs one, or servers fail with OpenSSL error 3 "unable to get certificate CRL": run repl-pki crl',
      });
    }
    const next = best.crl.nextUpdate;
    if (!next) continue;
    const left = next.getTime() - now.getTime();
    const details = { form, ca: ca.name, file: best.label, nextUpdate: formatTime(next) };
    if (left <= 0) {
      throw new CheckFailure(
        "CRL_EXPIRED",
        `refused to ship ${best.label}: the CRL of the ${ca.name} CA expired at ${formatTime(next)}; a source loading it refuses every replica and a replica refuses its source (OpenSSL error 12, "CRL has expired")`,
        { hint: "regenerate the CRLs (repl-pki crl, or repl-pki up without --no-crl-refresh)", details },
      );
    }
    if (left < safetyMs) {
      throw new CheckFailure(
        "CRL_EXPIRING",
        `refused to ship ${best.label}: the CRL of the ${ca.name} CA expires at ${formatTime(next)}, inside the ${(safetyMs / DAY_MS).toFixed(1).replace(/\.0$/, "")}-day safety window`,
        { hint: "regenerate the CRLs (repl-pki crl) so servers get one with time to spare", details },
      );
    }
    if (!earliest || next < earliest) earliest = next;
  }
  return { nextUpdate: earliest ? formatTime(earliest) : "" };
}
