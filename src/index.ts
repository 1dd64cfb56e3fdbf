// The library API: every command is one function here. Importing it has no side effects.

export {
  type BundleOptions,
  type BundleReport,
  type BundleResult,
  bundle,
  writeBundles,
} from "./api/bundle.js";
export { type CheckHostOptions, type CheckHostResult, checkHost } from "./api/check-host.js";
export { type CrlOptions, type CrlResult, refreshCrls } from "./api/crl.js";
export { type CrlSummary, showCrls } from "./api/crl-show.js";
export { nodeKeySource, systemDeps } from "./api/deps.js";
export { type DoctorOptions, type DoctorReport, doctor } from "./api/doctor.js";
export {
  createFixtures,
  type FixturesOptions,
  type FixturesProgress,
  type FixturesResult,
} from "./api/fixtures.js";
export { importOpensslIndex, parseOpensslIndex } from "./api/import-openssl-index.js";
export { type InitCaOptions, type InitCaResult, initCa } from "./api/init-ca.js";
export { type IssueOptions, type IssueResult, issue } from "./api/issue.js";
export { type ListedCertificate, listCertificates } from "./api/list.js";
export { type RevokeOptions, type RevokeResult, revoke } from "./api/revoke.js";
export { type CertificateDetails, showCertificate } from "./api/show.js";
export { loadTopology } from "./api/topology.js";
export { type UpOptions, type UpResult, up } from "./api/up.js";
export { type VerifyOptions, verifyFiles } from "./api/verify.js";
export { extractManagedBlock, spliceManagedBlock } from "./core/bundle/my-cnf.js";
export { parseTopology, type Topology, type TopologyServer } from "./core/bundle/topology.js";
export { parseServerVersion, type ServerVersion, serverProfile } from "./core/bundle/versions.js";
export type { CoreDeps, GeneratedKey, KeyFormat, KeySource } from "./core/deps.js";
export type { FilePlan, PlannedFile } from "./core/file-plan.js";
export { SCENARIO_NAMES as FIXTURE_SCENARIOS } from "./core/fixtures/fixtures.js";
export type { FixturesManifest, ScenarioManifest } from "./core/fixtures/manifest.js";
export type { Flavour, IdentityResult } from "./core/identity/check-host.js";
export type { Role } from "./core/profiles.js";
export type { RevocationReason } from "./core/revocation.js";
export { formatSerial, parseSerial } from "./core/serial.js";
export type { Finding, Severity } from "./core/verify/doctor-rules.js";
export type { VerifyCheck } from "./core/verify/report.js";
export type { VerifyReport } from "./core/verify/verify.js";
export { type ParsedCertificate, parseCertificateDer } from "./core/x509/certificate-parse.js";
export type { KeyType } from "./core/x509/signer.js";
export * from "./errors.js";
export { VERSION } from "./version.js";
