// The library API: every command is one function here. Importing it has no side effects.

export { type CrlOptions, type CrlResult, refreshCrls } from "./api/crl.js";
export { type CrlSummary, showCrls } from "./api/crl-show.js";
export { nodeKeySource, systemDeps } from "./api/deps.js";
export { importOpensslIndex, parseOpensslIndex } from "./api/import-openssl-index.js";
export { type InitCaOptions, type InitCaResult, initCa } from "./api/init-ca.js";
export { type IssueOptions, type IssueResult, issue } from "./api/issue.js";
export { type ListedCertificate, listCertificates } from "./api/list.js";
export { type RevokeOptions, type RevokeResult, revoke } from "./api/revoke.js";
export { type CertificateDetails, showCertificate } from "./api/show.js";
export type { CoreDeps, GeneratedKey, KeyFormat, KeySource } from "./core/deps.js";
export type { Role } from "./core/profiles.js";
export type { RevocationReason } from "./core/revocation.js";
export { formatSerial, parseSerial } from "./core/serial.js";
export { type ParsedCertificate, parseCertificateDer } from "./core/x509/certificate-parse.js";
export type { KeyType } from "./core/x509/signer.js";
export * from "./errors.js";
export { VERSION } from "./version.js";
