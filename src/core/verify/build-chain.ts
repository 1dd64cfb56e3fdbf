// x509_vfy.c build_chain (OpenSSL 3.0) without DANE, with the defaults mysqld and `openssl verify`
// use: X509_V_FLAG_TRUSTED_FIRST on, no partial chains, depth limit 100.
//
// Trusted first: for the top of the chain the trust store is asked for an issuer before the peer's
// own certificates (the cert file's extra certificates, the "untrusted" list). Once a trust-store
// certificate is added, the peer's certificates are no longer consulted. A trust-store certificate is a
// trust anchor when it is self-signed (X509_check_trust's trust_compat: no aux trust settings here). A
// self-signed certificate from the peer is replaced by the identical trust-store copy, and a
// self-signed look-alike (same name and key id, other bytes) ends the search.
import { type CertInfo, likelyIssued, timeState } from "./cert-info.js";
import { type OpensslError, opensslError, X509_V_ERR } from "./openssl-errors.js";
import type { VerifyStore } from "./store.js";

export interface BuiltChain {
  /** chain[0] is the certificate verified; the last one is the trust anchor when `trusted`. */
  chain: CertInfo[];
  /** How many of the first chain entries came from the peer (ctx->num_untrusted). */
  numUntrusted: number;
  trusted: boolean;
  error: OpensslError | undefined;
}

const MAX_DEPTH = 100 + 1; // X509_VERIFY_PARAM default depth 100, chains built one longer

/**
 * X509_STORE_CTX_get1_issuer / find_issuer: among the candidates that likely issued `x`, the first one
 * valid at `at`, else the one with the latest notAfter.
 */
function pickIssuer(candidates: CertInfo[], x: CertInfo, at: number, skip?: (c: CertInfo) => boolean) {
  let best: CertInfo | undefined;
  for (const c of candidates) {
    if (skip?.(c) || !likelyIssued(c, x)) continue;
    if (timeState(c.parsed, at) === "valid") return c;
    if (!best || c.parsed.notAfter.getTime() > best.parsed.notAfter.getTime()) best = c;
  }
  return best;
}

const sameCert = (a: CertInfo, b: CertInfo) => a.parsed.der.equals(b.parsed.der);

export function buildChain(
  leaf: CertInfo,
  untrusted: CertInfo[],
  store: VerifyStore,
  at: number,
): BuiltChain {
  const chain = [leaf];
  let numUntrusted = 1;
  const pool = [...untrusted];
  let doUntrusted = pool.length > 0;
  let trusted = false;
  for (let guard = 0; guard < 4 * MAX_DEPTH; guard++) {
    // trusted-first lookup for the current top
    const curr = chain[chain.length - 1]!;
    const issuer =
      chain.length > MAX_DEPTH
        ? undefined
        : pickIssuer(store.certsBySubject(curr.parsed.issuer, curr.issuer), curr, at);
    if (issuer) {
      let added = true;
      if (!curr.selfSigned) chain.push(issuer);
      else if (!sameCert(curr, issuer))
        added = false; // self-signed untrusted mimic
      else {
        chain[chain.length - 1] = issuer;
        numUntrusted = chain.length - 1;
      }
      if (added) {
        doUntrusted = false;
        if (chain[chain.length - 1]!.selfSigned) {
          trusted = true;
          break;
        }
        if (!curr.selfSigned) continue;
      }
    }
    if (!doUntrusted) break;
    // extend with the peer's certificates
    const top = chain[chain.length - 1]!;
    const next =
      top.selfSigned || chain.length > MAX_DEPTH
        ? undefined
        : pickIssuer(
            pool,
            top,
            at,
            (c) => !(top.selfIssued && chain.length === 1) && chain.some((x) => sameCert(x, c)),
          );
    if (!next) {
      doUntrusted = false;
      continue; // one more trusted lookup, then stop
    }
    pool.splice(pool.indexOf(next), 1);
    chain.push(next);
    numUntrusted++;
  }
  if (trusted) return { chain, numUntrusted, trusted, error: undefined };
  return { chain, numUntrusted, trusted, error: buildError(chain, numUntrusted) };
}

function buildError(chain: CertInfo[], numUntrusted: number): OpensslError {
  const depth = chain.length - 1;
  const top = chain[depth]!;
  if (top.selfSigned) {
    const code = depth === 0 ? X509_V_ERR.DEPTH_ZERO_SELF_SIGNED_CERT : X509_V_ERR.SELF_SIGNED_CERT_IN_CHAIN;
    return opensslError(
      code,
      depth,
      "chain",
      "the chain ends in a self-signed certificate that is not in the CA file or directory (an identical copy is needed there)",
    );
  }
  if (numUntrusted < chain.length) {
    return opensslError(
      X509_V_ERR.UNABLE_TO_GET_ISSUER_CERT,
      depth,
      "chain",
      "the CA file has this CA, but not the self-signed root that issued it: add the root to the CA bundle",
    );
  }
  return opensslError(
    X509_V_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
    depth,
    "chain",
    "no certificate in the CA file or directory (or in the certificate file) issued this one",
  );
}
