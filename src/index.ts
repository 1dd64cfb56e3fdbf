// The library API: every command is one function here. Importing it has no side effects.
export { nodeKeySource, systemDeps } from "./api/deps.js";
export { type InitCaOptions, type InitCaResult, initCa } from "./api/init-ca.js";
export { type IssueOptions, type IssueResult, issue } from "./api/issue.js";
export { type ListedCertificate, listCertificates } from "./api/list.js";
export { type CertificateDetails, showCertificate } from "./api/show.js";
export { revoke, type RevokeOptions, type RevokeResult } from "./api/revoke.js";
export { refreshCrls, type CrlOptions, type CrlResult } from "./api/crl.js";
export { showCrls, type CrlSummary } from "./api/crl-show.js";
export { importOpensslIndex, parseOpensslIndex } from "./api/import-openssl-index.js";
export type { RevocationReason } from "./core/revocation.js";
export type { CoreDeps, GeneratedKey, KeyFormat, KeySource } from "./core/deps.js";
export type { Role } from "./core/profiles.js";
export { formatSerial, parseSerial } from "./core/serial.js";
export { type ParsedCertificate, parseCertificateDer } from "./core/x509/certificate-parse.js";
export type { KeyType } from "./core/x509/signer.js";
export * from "./errors.js";
export { VERSION } from "./version.js";
