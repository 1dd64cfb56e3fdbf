// A CRL as x509_vfy.c's CRL selection sees it (crl_cb in x_crl.c sets these flags at load time).

import type { ParsedCrl } from "../crl/parse-crl.js";
import { OID } from "../der/oids.js";
import { canonicalNameEncoding } from "../x509/name-hash.js";
import { type Akid, parseAkidValue } from "./cert-info.js";

export interface CrlInfo {
  crl: ParsedCrl;
  source: string;
  /** Canonical issuer encoding. */
  issuer: Buffer;
  akid: Akid | undefined;
  /** A critical CRL extension OpenSSL does not handle (EXFLAG_CRITICAL on the CRL). */
  critical: boolean;
  /** deltaCRLIndicator present: OpenSSL never picks it as a base CRL. */
  delta: boolean;
  /** issuingDistributionPoint present (its scope rules are not modelled: treated as out of scope). */
  idp: boolean;
}

const DELTA_CRL = "2.5.29.27";
const IDP = "2.5.29.28";
/** x_crl.c crl_set_issuers / crl_cb: critical CRL extensions that do not set EXFLAG_CRITICAL. */
const HANDLED_CRITICAL = new Set([IDP, OID.authorityKeyIdentifier, DELTA_CRL]);

export function crlInfo(crl: ParsedCrl, source: string): CrlInfo {
  const akidExt = crl.extensions.find((e) => e.oid === OID.authorityKeyIdentifier);
  return {
    crl,
    source,
    issuer: canonicalNameEncoding(crl.issuer),
    akid: akidExt ? parseAkidValue(akidExt.value) : undefined,
    critical: crl.extensions.some((e) => e.critical && !HANDLED_CRITICAL.has(e.oid)),
    delta: crl.extensions.some((e) => e.oid === DELTA_CRL),
    idp: crl.extensions.some((e) => e.oid === IDP),
  };
}

/** X509_CRL_get0_by_cert: the entry for `serial`, unless its reason is removeFromCRL (8). */
export function revocationOf(info: CrlInfo, serial: Buffer): { revokedAt: Date; reason: string } | undefined {
  for (const e of info.crl.entries) {
    if (e.serial.equals(serial) && e.reasonCode !== 8) return { revokedAt: e.revokedAt, reason: e.reason };
  }
  return undefined;
}
