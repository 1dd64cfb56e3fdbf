// x509_vfy.c check_revocation with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL, the flags both
// mysqld and MariaDB set whenever a CRL file or directory is configured (spec §1): every certificate
// of the chain, the root included, needs a CRL from its issuer.
//
// Selection (get_crl_sk / get_crl_score): a CRL qualifies when its issuer name is the certificate's
// issuer name and its authorityKeyIdentifier fits the issuing certificate (or another certificate of
// that name higher in the chain); among those the highest score wins (not critical, current, in scope),
// and on a tie the newer thisUpdate. An expired CRL is still used when it is the best there is: the
// result is then "CRL has expired", not "unable to get certificate CRL".
import { verifySignedDer } from "../../crypto/verify-signature.js";
import { formatSerial } from "../serial.js";
import { formatTime } from "../time.js";
import { opensslNameOneline } from "../x509/name-oneline.js";
import { akidMatches, type CertInfo, kuRejects, seconds } from "./cert-info.js";
import { type CrlInfo, revocationOf } from "./crl-info.js";
import { type OpensslError, opensslError, X509_V_ERR } from "./openssl-errors.js";
import type { VerifyStore } from "./store.js";

const SCORE = {
  NOCRITICAL: 0x100,
  SCOPE: 0x080,
  TIME: 0x040,
  ISSUER_NAME: 0x020,
  ISSUER_CERT: 0x018,
  SAME_PATH: 0x008,
  AKID: 0x004,
};
const CRL_SIGN = 6;

export interface CrlCheck {
  depth: number;
  /** The CRL used, or undefined when none was found. */
  crl: CrlInfo | undefined;
  issuerDepth: number | undefined;
  /** The revocation entry when the certificate is listed. */
  revoked: { revokedAt: Date; reason: string } | undefined;
  errors: OpensslError[];
}

/** check_crl_time without notification: lastUpdate <= at < nextUpdate (no nextUpdate: never expires). */
function crlTime(c: CrlInfo, at: number): "valid" | "not-yet-valid" | "expired" {
  if (seconds(c.crl.thisUpdate) > at) return "not-yet-valid";
  const next = c.crl.nextUpdate;
  return next && seconds(next) <= at ? "expired" : "valid";
}

function score(
  chain: CertInfo[],
  depth: number,
  c: CrlInfo,
  at: number,
): { score: number; issuerDepth: number } | undefined {
  if (c.delta || !chain[depth]!.issuer.equals(c.issuer)) return undefined;
  let s = SCORE.ISSUER_NAME;
  if (!c.critical) s |= SCORE.NOCRITICAL;
  if (crlTime(c, at) === "valid") s |= SCORE.TIME;
  // crl_akid_check: the certificate's issuer in the chain (the root is its own), else one of the same
  // name higher up
  const direct = depth === chain.length - 1 ? depth : depth + 1;
  let issuerDepth: number | undefined;
  if (akidMatches(chain[direct]!, c.akid)) {
    s |= SCORE.AKID | SCORE.ISSUER_CERT;
    issuerDepth = direct;
  } else {
    for (let j = direct + 1; j < chain.length; j++) {
      if (chain[j]!.subject.equals(c.issuer) && akidMatches(chain[j]!, c.akid)) {
        s |= SCORE.AKID | SCORE.SAME_PATH;
        issuerDepth = j;
        break;
      }
    }
  }
  if (issuerDepth === undefined) return undefined;
  if (!c.idp) s |= SCORE.SCOPE; // crl_crldp_check: no issuingDistributionPoint, full scope
  return { score: s, issuerDepth };
}

function pickCrl(chain: CertInfo[], depth: number, store: VerifyStore, at: number) {
  const x = chain[depth]!;
  let best: { crl: CrlInfo; score: number; issuerDepth: number } | undefined;
  for (const crl of store.crlsByIssuer(x.parsed.issuer, x.issuer)) {
    const r = score(chain, depth, crl, at);
    if (!r || (best && r.score < best.score)) continue;
    if (best && r.score === best.score && crl.crl.thisUpdate.getTime() <= best.crl.crl.thisUpdate.getTime())
      continue;
    best = { crl, ...r };
  }
  return best;
}

export function checkRevocation(chain: CertInfo[], store: VerifyStore, at: number): CrlCheck[] {
  return chain.map((x, depth) => {
    const err = (code: number, detail: string) => opensslError(code, depth, "crl", detail);
    const pick = pickCrl(chain, depth, store, at);
    if (!pick) {
      const issuer = opensslNameOneline(x.parsed.issuer);
      return {
        depth,
        crl: undefined,
        issuerDepth: undefined,
        revoked: undefined,
        errors: [
          err(X509_V_ERR.UNABLE_TO_GET_CRL, `no CRL issued by ${issuer} (with its key identifier) was found`),
        ],
      };
    }
    const { crl, issuerDepth } = pick;
    const issuer = chain[issuerDepth]!;
    const errors: OpensslError[] = [];
    if (kuRejects(issuer, [CRL_SIGN]))
      errors.push(err(X509_V_ERR.KEYUSAGE_NO_CRL_SIGN, "the CRL issuer's keyUsage lacks cRLSign"));
    if (!(pick.score & SCORE.SCOPE))
      errors.push(err(X509_V_ERR.DIFFERENT_CRL_SCOPE, "the CRL has an issuingDistributionPoint"));
    const time = crlTime(crl, at);
    if (time === "not-yet-valid")
      errors.push(err(X509_V_ERR.CRL_NOT_YET_VALID, `its thisUpdate is ${formatTime(crl.crl.thisUpdate)}`));
    if (time === "expired")
      errors.push(err(X509_V_ERR.CRL_HAS_EXPIRED, `its nextUpdate was ${formatTime(crl.crl.nextUpdate!)}`));
    const c = crl.crl;
    if (!verifySignedDer(c.tbs, c.signatureAlgorithm, c.signature, issuer.parsed.spki))
      errors.push(
        err(X509_V_ERR.CRL_SIGNATURE_FAILURE, `the CRL does not verify with the key of depth ${issuerDepth}`),
      );
    if (crl.critical)
      errors.push(err(X509_V_ERR.UNHANDLED_CRITICAL_CRL_EXTENSION, "the CRL has a critical extension"));
    const revoked = revocationOf(crl, x.parsed.serial);
    if (revoked) {
      errors.push(
        err(
          X509_V_ERR.CERT_REVOKED,
          `serial ${formatSerial(x.parsed.serial)} revoked at ${formatTime(revoked.revokedAt)} (${revoked.reason})`,
        ),
      );
    }
    return { depth, crl, issuerDepth, revoked, errors };
  });
}
