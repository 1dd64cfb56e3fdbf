// The identity pre-check of every replication edge: the host a replica dials must match its source's
// server certificate the way that replica's own client checks it under MASTER_SSL_VERIFY_SERVER_CERT=1
// (MariaDB, MySQL 8 and MySQL 5.7 differ: check-host.ts, spec §3/§10).
import { CheckFailure } from "../../errors.js";
import { checkHostIdentity } from "../identity/check-host.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { formatServerVersion, type ServerVersion, serverProfile } from "./versions.js";

export interface Edge {
  replica: string;
  replicaVersion: ServerVersion;
  source: string;
  host: string;
  /** The source's server certificate (or a prospective one before it is issued). */
  cert: ParsedCertificate;
  certName: string;
}

export interface EdgeReport {
  replica: string;
  source: string;
  host: string;
  certificate: string;
  match: boolean;
  reason: string;
}

/** Checks every edge; throws CheckFailure IDENTITY_MISMATCH naming each failing one. */
export function checkEdges(edges: Edge[]): EdgeReport[] {
  const reports = edges.map((e): EdgeReport => {
    const r = checkHostIdentity(e.cert, e.host, serverProfile(e.replicaVersion).identity);
    return { replica: e.replica, source: e.source, host: e.host, certificate: e.certName, ...r };
  });
  const bad = reports.filter((r) => !r.match);
  if (bad.length > 0) {
    const lines = bad.map((r) => {
      const e = edges.find((x) => x.replica === r.replica)!;
      return `${r.replica} (${formatServerVersion(e.replicaVersion)}) dials "${r.host}", which ${r.source}'s certificate ${r.certificate} does not match: ${r.reason}`;
    });
    throw new CheckFailure(
      "IDENTITY_MISMATCH",
      `refused: replication would fail with MASTER_SSL_VERIFY_SERVER_CERT=1:\n  ${lines.join("\n  ")}`,
      {
        hint: "add the dialled host to the source's hosts (repl-pki up reissues its certificate), or set the replica's sourceHost to a host the certificate names",
        details: { edges: bad },
      },
    );
  }
  return reports;
}
