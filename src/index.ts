// The library API: every command is one function here. Importing it has no side effects.
export { systemDeps, nodeKeySource } from "./api/deps.js";
export { initCa, type InitCaOptions, type InitCaResult } from "./api/init-ca.js";
export { issue, type IssueOptions, type IssueResult } from "./api/issue.js";
export { listCertificates, type ListedCertificate } from "./api/list.js";
export { showCertificate, type CertificateDetails } from "./api/show.js";
export type { CoreDeps, KeySource, GeneratedKey, KeyFormat } from "./core/deps.js";
export type { Role } from "./core/profiles.js";
export type { KeyType } from "./core/x509/signer.js";
export { parseCertificateDer, type ParsedCertificate } from "./core/x509/certificate-parse.js";
export { formatSerial, parseSerial } from "./core/serial.js";
export * from "./errors.js";
export { VERSION } from "./version.js";
