// The X509_V_ERR_* codes the verifier can produce, with OpenSSL 3.0's own wording
// (X509_verify_cert_error_string, libcrypto 3.0.19; the interop test compares every text with what
// `openssl verify` prints). Note 3.0 renumbered "invalid CA certificate" to 79: 24 is now "issuer
// certificate doesn't have a public key".

export const X509_V_ERR = {
  UNABLE_TO_GET_ISSUER_CERT: 2,
  UNABLE_TO_GET_CRL: 3,
  CERT_SIGNATURE_FAILURE: 7,
  CRL_SIGNATURE_FAILURE: 8,
  CERT_NOT_YET_VALID: 9,
  CERT_HAS_EXPIRED: 10,
  CRL_NOT_YET_VALID: 11,
  CRL_HAS_EXPIRED: 12,
  DEPTH_ZERO_SELF_SIGNED_CERT: 18,
  SELF_SIGNED_CERT_IN_CHAIN: 19,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  CERT_REVOKED: 23,
  PATH_LENGTH_EXCEEDED: 25,
  INVALID_PURPOSE: 26,
  KEYUSAGE_NO_CERTSIGN: 32,
  UNHANDLED_CRITICAL_EXTENSION: 34,
  KEYUSAGE_NO_CRL_SIGN: 35,
  UNHANDLED_CRITICAL_CRL_EXTENSION: 36,
  DIFFERENT_CRL_SCOPE: 44,
  HOSTNAME_MISMATCH: 62,
  IP_ADDRESS_MISMATCH: 64,
  INVALID_CA: 79,
} as const;

/** X509_verify_cert_error_string of OpenSSL 3.0 for the codes repl-pki produces or expects. */
export const X509_ERROR_TEXT: Record<number, string> = {
  2: "unable to get issuer certificate",
  3: "unable to get certificate CRL",
  7: "certificate signature failure",
  8: "CRL signature failure",
  9: "certificate is not yet valid",
  10: "certificate has expired",
  11: "CRL is not yet valid",
  12: "CRL has expired",
  18: "self-signed certificate",
  19: "self-signed certificate in certificate chain",
  20: "unable to get local issuer certificate",
  23: "certificate revoked",
  25: "path length constraint exceeded",
  26: "unsuitable certificate purpose",
  32: "key usage does not include certificate signing",
  34: "unhandled critical extension",
  35: "key usage does not include CRL signing",
  36: "unhandled critical CRL extension",
  44: "different CRL scope",
  62: "hostname mismatch",
  64: "IP address mismatch",
  79: "invalid CA certificate",
};

/** Which part of X509_verify_cert found it (x509_vfy.c verify_chain runs them in this order). */
export type VerifyStage = "chain" | "extensions" | "identity" | "crl" | "signature" | "validity";

export interface OpensslError {
  /** X509_V_ERR_* number. */
  code: number;
  /** Chain depth OpenSSL reports (0 = the certificate being verified). */
  depth: number;
  /** OpenSSL's text for the code. */
  text: string;
  stage: VerifyStage;
  /** Our explanation of what caused it, in terms of the given files. */
  detail: string;
}

export function opensslError(code: number, depth: number, stage: VerifyStage, detail: string): OpensslError {
  return { code, depth, text: X509_ERROR_TEXT[code] ?? `error ${code}`, stage, detail };
}

/** The line `openssl verify` prints for an error: "error 3 at 1 depth lookup: unable to get certificate CRL". */
export const formatOpensslError = (e: Pick<OpensslError, "code" | "depth" | "text">): string =>
  `error ${e.code} at ${e.depth} depth lookup: ${e.text}`;
