// Which certificates a topology needs and what `up` must do about each: keep it, issue it, or reissue it
// under the next generation NAME. Names: a server's own serverAuth certificate is NAME = the server name;
// a replica's or relay's replication client certificate is "<server>.client" (CN the same, so the
// source's REQUIRE SUBJECT survives a reissue); a reissue adds ".2", ".3", … (topology server names
// contain no dots, so the families never collide). A superseded certificate is NOT revoked by `up`:
// until every server runs the new bundle, the old one is still in use (see README).
import { oid, seq } from "../der/encode.js";
import { OID } from "../der/oids.js";
import type { IndexEntry } from "../index/records.js";
import { formatSans, validateIssueRequest } from "../issue.js";
import type { Role } from "../profiles.js";
import { formatTime } from "../time.js";
import { signCertificate } from "../x509/certificate-build.js";
import { type ParsedCertificate, parseCertificateDer } from "../x509/certificate-parse.js";
import { subjectAltName } from "../x509/extensions.js";
import { commonNameDer } from "../x509/name.js";
import type { Topology, TopologyServer } from "./topology.js";

export type CertKind = "server" | "client";

export interface CertNeed {
  server: string;
  /** server: the server's own ssl_cert (also the channel's when combined); client: MASTER_SSL_CERT. */
  kind: CertKind;
  role: Role;
  /** The family's first NAME; later generations are base.2, base.3, … */
  base: string;
  hosts: string[];
}

export interface CertAction {
  need: CertNeed;
  action: "keep" | "issue" | "reissue";
  /** NAME of the certificate to use (existing for keep, new otherwise). */
  name: string;
  /** Why it is issued or reissued; empty for keep. */
  reason: string;
  /** The current certificate (keep) or the one being superseded (reissue). */
  entry?: IndexEntry;
}

export const clientCertBase = (server: string): string => `${server}.client`;

export function certificateNeeds(t: Topology): CertNeed[] {
  const needs: CertNeed[] = [];
  for (const s of t.servers) needs.push(...serverNeeds(s));
  return needs;
}

export function serverNeeds(s: TopologyServer): CertNeed[] {
  if (s.role === "source")
    return [{ server: s.name, kind: "server", role: "server", base: s.name, hosts: s.hosts }];
  if (s.certificate === "combined") {
    return [{ server: s.name, kind: "server", role: "relay", base: s.name, hosts: s.hosts }];
  }
  return [
    { server: s.name, kind: "server", role: "server", base: s.name, hosts: s.hosts },
    {
      server: s.name,
      kind: "client",
      role: "replica",
      base: clientCertBase(s.name),
      hosts: [clientCertBase(s.name)],
    },
  ];
}

/** The subject and SAN text the index records for a certificate issued for `need`. */
export function desiredIdentity(need: CertNeed): { subject: string; sans: string; cn: string } {
  const { sans, cn } = validateIssueRequest({ name: need.base, role: need.role, hosts: need.hosts });
  return { subject: `CN=${cn}`, sans: formatSans(sans.dns, sans.ips), cn };
}

const generationOf = (base: string, name: string): number | undefined => {
  if (name === base) return 1;
  if (!name.startsWith(`${base}.`)) return undefined;
  const rest = name.slice(base.length + 1);
  return /^[1-9]\d*$/.test(rest) && Number(rest) >= 2 ? Number(rest) : undefined;
};

export function planCertificates(
  needs: CertNeed[],
  entries: Iterable<IndexEntry>,
  now: Date,
  renewBeforeMs: number,
): CertAction[] {
  const all = [...entries];
  return needs.map((need) => {
    let latest: IndexEntry | undefined;
    let gen = 0;
    for (const e of all) {
      const g = generationOf(need.base, e.name);
      if (g !== undefined && g > gen) [latest, gen] = [e, g];
    }
    const next = gen === 0 ? need.base : `${need.base}.${gen + 1}`;
    if (!latest) return { need, action: "issue", name: next, reason: "no certificate yet" };
    const why = staleReason(need, latest, now, renewBeforeMs);
    return why
      ? { need, action: "reissue", name: next, reason: why, entry: latest }
      : { need, action: "keep", name: latest.name, reason: "", entry: latest };
  });
}

function staleReason(need: CertNeed, e: IndexEntry, now: Date, renewBeforeMs: number): string | undefined {
  if (e.status === "R") return `${e.name} was revoked (${e.reason || "unspecified"}) at ${e.revokedAt}`;
  if (e.role !== need.role)
    return `${e.name} is a ${e.role} certificate; a ${need.role} certificate is needed`;
  const want = desiredIdentity(need);
  if (e.subject !== want.subject || e.sans !== want.sans) {
    return `hosts changed: ${e.subject} ${e.sans} -> ${want.subject} ${want.sans}`;
  }
  if (Date.parse(e.notAfter) - now.getTime() <= renewBeforeMs) {
    return `${e.name} expires at ${e.notAfter}, inside the renewal window (now ${formatTime(now)})`;
  }
  return undefined;
}

/**
 * A stand-in with the subject and SANs a certificate for `need` will have, so identity pre-checks run
 * before anything is issued (checkHostIdentity reads only the subject and the subjectAltName).
 */
export function prospectiveCertificate(need: CertNeed): ParsedCertificate {
  const { sans, cn } = validateIssueRequest({ name: need.base, role: need.role, hosts: need.hosts });
  const alg = seq(oid(OID.ecdsaWithSHA256));
  const der = signCertificate(
    {
      serial: Buffer.from([1]),
      issuer: commonNameDer("prospective"),
      subject: commonNameDer(cn),
      notBefore: new Date(0),
      notAfter: new Date(0),
      spki: seq(),
      extensions: [subjectAltName(sans.dns, sans.ips)],
    },
    { keyType: "ec-p256", algorithmIdentifier: alg, spki: seq(), sign: () => Buffer.alloc(0) },
  );
  return parseCertificateDer(der);
}
