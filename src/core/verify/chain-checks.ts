// The parts of OpenSSL 3.0's verify_chain that run on a built chain, in its order:
//   check_extensions   unhandled critical extensions, CA-ness of every issuer, purpose, pathLen
//   internal_verify    from the top down: issuer keyUsage keyCertSign, signature, validity window
// (check_id and check_revocation run between the two: see verify-chain.ts and revocation.ts).
import { verifySignedDer } from "../../crypto/verify-signature.js";
import { OID } from "../der/oids.js";
import { formatTime } from "../time.js";
import { type CertInfo, checkCa, kuRejects, likelyIssued, timeState } from "./cert-info.js";
import { type OpensslError, opensslError, X509_V_ERR } from "./openssl-errors.js";

/** The TLS side being verified: "server" = the replica checks its source (OpenSSL purpose sslserver). */
export type Purpose = "server" | "client";

const KU = { digitalSignature: 0, keyEncipherment: 2, keyAgreement: 4, keyCertSign: 5 } as const;
const SGC = ["2.16.840.1.113730.4.1", "1.3.6.1.4.1.311.10.3.3"]; // nsSGC, msSGC

/** xku_reject: an extKeyUsage is present and lists none of `oids`. */
const xkuRejects = (c: CertInfo, oids: string[]): boolean =>
  c.parsed.extKeyUsage !== undefined && !oids.some((o) => c.parsed.extKeyUsage!.includes(o));

/** v3_purp.c check_purpose_ssl_server / _ssl_client (Netscape cert types not modelled). */
export function purposeFailure(c: CertInfo, purpose: Purpose, requireCa: boolean): string | undefined {
  const eku = purpose === "server" ? [OID.serverAuth, ...SGC] : [OID.clientAuth];
  if (xkuRejects(c, eku)) {
    return `its extendedKeyUsage lacks ${purpose === "server" ? "serverAuth" : "clientAuth"}`;
  }
  if (requireCa) return checkCa(c) === 0 ? "it is not a CA certificate" : undefined;
  const ku =
    purpose === "server"
      ? [KU.digitalSignature, KU.keyEncipherment, KU.keyAgreement]
      : [KU.digitalSignature, KU.keyAgreement];
  if (kuRejects(c, ku)) {
    return purpose === "server"
      ? "its keyUsage has none of digitalSignature, keyEncipherment, keyAgreement"
      : "its keyUsage has neither digitalSignature nor keyAgreement";
  }
  return undefined;
}

export function checkExtensions(chain: CertInfo[], purpose: Purpose | undefined): OpensslError[] {
  const errors: OpensslError[] = [];
  let plen = 0;
  chain.forEach((x, i) => {
    const mustBeCa = i > 0;
    if (x.unhandledCritical) {
      errors.push(
        opensslError(
          X509_V_ERR.UNHANDLED_CRITICAL_EXTENSION,
          i,
          "extensions",
          `extension ${x.unhandledCritical} is critical`,
        ),
      );
    }
    const ca = checkCa(x);
    if (mustBeCa && (ca === 0 || (i + 1 < chain.length && ca !== 1))) {
      const why =
        ca === 0
          ? x.parsed.basicConstraints
            ? x.parsed.basicConstraints.ca
              ? "its keyUsage lacks keyCertSign"
              : "its basicConstraints say CA:FALSE"
            : "it has no basicConstraints CA:TRUE"
          : "an intermediate CA needs basicConstraints CA:TRUE (a v1 or keyUsage-only CA may only be the root)";
      errors.push(
        opensslError(X509_V_ERR.INVALID_CA, i, "extensions", `it issued the certificate below, but ${why}`),
      );
    }
    const bad = purpose ? purposeFailure(x, purpose, mustBeCa) : undefined;
    if (bad) {
      errors.push(opensslError(X509_V_ERR.INVALID_PURPOSE, i, "extensions", `purpose ssl${purpose}: ${bad}`));
    }
    const pathLen = x.parsed.basicConstraints?.pathLen;
    if (i > 1 && pathLen !== undefined && plen > pathLen) {
      errors.push(
        opensslError(
          X509_V_ERR.PATH_LENGTH_EXCEEDED,
          i,
          "extensions",
          `its pathLenConstraint ${pathLen} allows ${pathLen} CA(s) below it, the chain has ${plen}`,
        ),
      );
    }
    if (i > 0 && !x.selfIssued) plen++;
  });
  return errors;
}

export interface LinkResult {
  depth: number;
  /** Depth of the issuer whose key checked the signature; undefined when it was not checked. */
  issuerDepth: number | undefined;
  time: ReturnType<typeof timeState>;
  /** Not checked at all: the top of an unfinished chain, whose issuer was not found. */
  unchecked: boolean;
}

/** internal_verify: signatures and validity windows, top of the chain first. */
export function internalVerify(
  chain: CertInfo[],
  at: number,
): { errors: OpensslError[]; links: LinkResult[] } {
  const errors: OpensslError[] = [];
  const links: LinkResult[] = [];
  let n = chain.length - 1;
  let xi = chain[n]!;
  let xs = xi;
  if (!likelyIssued(xi, xi)) {
    // Only an unfinished chain (build_chain already failed, and mysqld stopped there) has a top that
    // is not self-issued: its issuer is unknown, so its signature cannot be checked.
    links.push({ depth: n, issuerDepth: undefined, time: timeState(xi.parsed, at), unchecked: true });
    n--;
    xs = chain[n]!;
  }
  for (; n >= 0; n--) {
    let issuerDepth: number | undefined;
    if (xs !== xi) {
      issuerDepth = n + 1;
      if (kuRejects(xi, [KU.keyCertSign])) {
        errors.push(
          opensslError(X509_V_ERR.KEYUSAGE_NO_CERTSIGN, n + 1, "signature", "its keyUsage lacks keyCertSign"),
        );
      }
      const p = xs.parsed;
      if (!verifySignedDer(p.tbs, p.signatureAlgorithm, p.signature, xi.parsed.spki)) {
        errors.push(
          opensslError(
            X509_V_ERR.CERT_SIGNATURE_FAILURE,
            n,
            "signature",
            `its signature does not verify with the key of the certificate at depth ${n + 1}`,
          ),
        );
      }
    }
    const time = timeState(xs.parsed, at);
    if (time === "not-yet-valid") {
      errors.push(
        opensslError(
          X509_V_ERR.CERT_NOT_YET_VALID,
          n,
          "validity",
          `notBefore is ${formatTime(xs.parsed.notBefore)}`,
        ),
      );
    } else if (time === "expired") {
      errors.push(
        opensslError(
          X509_V_ERR.CERT_HAS_EXPIRED,
          n,
          "validity",
          `notAfter was ${formatTime(xs.parsed.notAfter)}`,
        ),
      );
    }
    links.push({ depth: n, issuerDepth, time, unchecked: false });
    if (n > 0) {
      xi = xs;
      xs = chain[n - 1]!;
    }
  }
  return { errors, links };
}
