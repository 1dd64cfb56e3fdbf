// A certificate as OpenSSL 3.0's chain verifier sees it: the flags ossl_x509v3_cache_extensions
// (crypto/x509/v3_purp.c) derives once per certificate, and the predicates x509_vfy.c builds on them.
// Names are compared the way X509_NAME_cmp does, by their canonical encoding (x_name.c), so case and
// white-space variants of a name are the same name, as in the trust store lookup.
import { children, decodeOid, readTlv } from "../der/decode.js";
import { OID } from "../der/oids.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { canonicalNameEncoding } from "../x509/name-hash.js";

/** Where a certificate came from, shown in reports ("cert file", "--ca", "--capath 8f0454dd.0"). */
export interface CertInfo {
  parsed: ParsedCertificate;
  source: string;
  /** Canonical subject / issuer encodings (X509_NAME_cmp compares these). */
  subject: Buffer;
  issuer: Buffer;
  akid: Akid | undefined;
  /** EXFLAG_SI: subject and issuer are the same name. */
  selfIssued: boolean;
  /** EXFLAG_SS: self-issued, AKID (if any) names its own SKID, signature algorithm fits its own key. */
  selfSigned: boolean;
  /** OID of the first critical extension OpenSSL does not handle (EXFLAG_CRITICAL), if any. */
  unhandledCritical: string | undefined;
}

/** authorityKeyIdentifier as X509_check_akid uses it (RFC 5280 §4.2.1.1). */
export interface Akid {
  keyId?: Buffer;
  /** Raw DER of the first directoryName in authorityCertIssuer. */
  issuerName?: Buffer;
  serial?: Buffer;
}

/** X509_supported_extension (v3_purp.c): critical extensions OpenSSL 3.0 understands. */
const SUPPORTED_CRITICAL = new Set([
  "2.16.840.1.113730.1.1", // nsCertType
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  "2.5.29.32", // certificatePolicies
  "2.5.29.31", // cRLDistributionPoints
  OID.extKeyUsage,
  "1.3.6.1.5.5.7.1.7", // sbgp-ipAddrBlock
  "1.3.6.1.5.5.7.1.8", // sbgp-autonomousSysNum
  "1.3.6.1.5.5.7.48.1.5", // id-pkix-OCSP-noCheck
  "2.5.29.36", // policyConstraints
  "1.3.6.1.5.5.7.1.14", // proxyCertInfo
  "2.5.29.30", // nameConstraints
  "2.5.29.33", // policyMappings
  "2.5.29.54", // inhibitAnyPolicy
]);

/** Public-key type a signature algorithm needs (OBJ_find_sigid_algs' pkey NID). */
const SIG_KEY: Record<string, string> = {
  "1.2.840.113549.1.1.4": "RSA",
  "1.2.840.113549.1.1.5": "RSA",
  "1.2.840.113549.1.1.11": "RSA",
  "1.2.840.113549.1.1.12": "RSA",
  "1.2.840.113549.1.1.13": "RSA",
  "1.2.840.113549.1.1.14": "RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.10045.4.1": "EC",
  "1.2.840.10045.4.3.1": "EC",
  "1.2.840.10045.4.3.2": "EC",
  "1.2.840.10045.4.3.3": "EC",
  "1.2.840.10045.4.3.4": "EC",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
  "1.2.840.10040.4.3": "DSA",
  "2.16.840.1.101.3.4.3.2": "DSA",
};
const KEY_ALG: Record<string, string> = {
  [OID.rsaEncryption]: "RSA",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  [OID.ecPublicKey]: "EC",
  "1.3.101.112": "ED25519",
  "1.3.101.113": "ED448",
  "1.2.840.10040.4.1": "DSA",
};

export function spkiAlgorithm(spki: Buffer): string | undefined {
  try {
    const alg = children(readTlv(spki))[0];
    const oid = alg ? children(alg)[0] : undefined;
    return oid ? KEY_ALG[decodeOid(oid.content)] : undefined;
  } catch {
    return undefined;
  }
}

/** x509_cmp.c check_sig_alg_match: the subject's signature algorithm must suit the issuer's key. */
export function sigAlgMatches(issuerSpki: Buffer, subject: ParsedCertificate): boolean {
  const key = spkiAlgorithm(issuerSpki);
  const want = SIG_KEY[subject.signatureAlgorithm];
  return key !== undefined && want !== undefined && (key === want || (key === "RSA" && want === "RSA-PSS"));
}

/** An authorityKeyIdentifier extension value (certificates and CRLs share the syntax). */
export function parseAkidValue(value: Buffer): Akid {
  const akid: Akid = {};
  for (const t of children(readTlv(value))) {
    if (t.tag === 0x80) akid.keyId = Buffer.from(t.content);
    else if (t.tag === 0x82) akid.serial = Buffer.from(t.content);
    else if (t.tag === 0xa1) akid.issuerName ??= children(t).find((g) => g.tag === 0xa4)?.content;
  }
  return akid;
}

const magnitude = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

/** X509_check_akid(issuer, akid) == X509_V_OK. */
export function akidMatches(issuer: CertInfo, akid: Akid | undefined): boolean {
  if (!akid) return true;
  const skid = issuer.parsed.subjectKeyId;
  if (akid.keyId && skid && !akid.keyId.equals(skid)) return false;
  if (akid.serial && !magnitude(akid.serial).equals(issuer.parsed.serial)) return false;
  if (akid.issuerName) {
    try {
      if (!canonicalNameEncoding(akid.issuerName).equals(issuer.issuer)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Throws DerError for a name libcrypto itself cannot decode (such a certificate never loads there);
 * callers turn that into an input error.
 */
export function certInfo(parsed: ParsedCertificate, source: string): CertInfo {
  const subject = canonicalNameEncoding(parsed.subject);
  const issuer = canonicalNameEncoding(parsed.issuer);
  const selfIssued = subject.equals(issuer);
  const critical = parsed.extensions.find((e) => e.critical && !SUPPORTED_CRITICAL.has(e.oid));
  const akidExt = parsed.extensions.find((e) => e.oid === OID.authorityKeyIdentifier);
  const info: CertInfo = {
    parsed,
    source,
    subject,
    issuer,
    akid: akidExt ? parseAkidValue(akidExt.value) : undefined,
    selfIssued,
    selfSigned: false,
    unhandledCritical: critical?.oid,
  };
  info.selfSigned = selfIssued && akidMatches(info, info.akid) && sigAlgMatches(parsed.spki, parsed);
  return info;
}

/** ossl_x509_likely_issued(issuer, subject): names, AKID and key type fit (no signature check). */
export function likelyIssued(issuer: CertInfo, subject: CertInfo): boolean {
  return (
    issuer.subject.equals(subject.issuer) &&
    akidMatches(issuer, subject.akid) &&
    sigAlgMatches(issuer.parsed.spki, subject.parsed)
  );
}

/** ku_reject: a keyUsage extension is present and sets none of `bits`. */
export const kuRejects = (c: CertInfo, bits: number[]): boolean =>
  c.parsed.keyUsage !== undefined && !bits.some((b) => c.parsed.keyUsage!.includes(b));

/**
 * v3_purp.c check_ca: 0 not a CA, 1 basicConstraints CA:TRUE, 3 a v1 self-signed root, 4 no
 * basicConstraints but a keyUsage with keyCertSign. (5, Netscape CA types, is not modelled.)
 */
export function checkCa(c: CertInfo): 0 | 1 | 3 | 4 {
  if (kuRejects(c, [5])) return 0;
  const bc = c.parsed.basicConstraints;
  if (bc) return bc.ca ? 1 : 0;
  if (c.parsed.version === 1 && c.selfSigned) return 3;
  if (c.parsed.keyUsage !== undefined) return 4;
  return 0;
}

/** Seconds since the epoch: X509_cmp_time and -attime work in whole seconds. */
export const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** ossl_x509_check_cert_time: valid when notBefore <= at < notAfter (checked with `openssl -attime`). */
export function timeState(c: ParsedCertificate, at: number): "valid" | "not-yet-valid" | "expired" {
  if (seconds(c.notBefore) > at) return "not-yet-valid";
  return seconds(c.notAfter) <= at ? "expired" : "valid";
}
