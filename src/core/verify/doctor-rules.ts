// `repl-pki doctor`: the health rules over a CA directory, as a pure function of what was read.
// Severities: critical = some handshake fails now or within a day; warning = act soon, or a limit of
// some server flavour applies; ok = checked and fine.
import { verifySignedDer } from "../../crypto/verify-signature.js";
import { checkHostIdentity } from "../identity/check-host.js";
import { formatIp } from "../net/ip.js";
import { DAY_MS, formatTime } from "../time.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { commonNames } from "../x509/name.js";
import { spkiAlgorithm } from "./cert-info.js";
import type { Purpose } from "./chain-checks.js";
import { lintAgainstCas, lintCertificate } from "./lint.js";

export type Severity = "ok" | "warning" | "critical";

export interface Finding {
  severity: Severity;
  /** What it is about: "CA root", "CRL intermediate", "cert db1", "CA directory". */
  item: string;
  check: string;
  detail: string;
}

export interface DoctorCa {
  name: string;
  cert: ParsedCertificate;
}

export interface DoctorLeaf {
  name: string;
  role: "server" | "replica" | "relay";
  cert: ParsedCertificate | undefined;
  /** Why the certificate file could not be used, when it could not. */
  problem: string | undefined;
}

export interface DoctorCrl {
  ca: string;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** Signature checked against the CA (null: only crl/state.json was available). */
  signatureOk: boolean | null;
  source: string;
}

export interface DoctorInput {
  now: Date;
  cas: DoctorCa[];
  leaves: DoctorLeaf[];
  /** Revoked certificates that have not expired yet. */
  revokedLive: string[];
  /** Current CRL per CA; a CA without one is absent. */
  crls: DoctorCrl[];
  /** Problems reading crl.pem / crl/state.json, already worded. */
  crlProblems: string[];
}

export const WINDOWS = {
  caCriticalDays: 30,
  caWarningDays: 180,
  leafCriticalDays: 7,
  leafWarningDays: 30,
  crlCriticalDays: 1,
} as const;

const days = (ms: number) => (ms / DAY_MS).toFixed(1);
const PURPOSES: Record<DoctorLeaf["role"], Purpose[]> = {
  server: ["server"],
  replica: ["client"],
  relay: ["server", "client"],
};

function expiry(item: string, c: ParsedCertificate, now: Date, crit: number, warn: number): Finding {
  const left = c.notAfter.getTime() - now.getTime();
  const until = `notAfter ${formatTime(c.notAfter)}`;
  const f = (severity: Severity, detail: string): Finding => ({ severity, item, check: "expiry", detail });
  if (c.notBefore.getTime() > now.getTime())
    return f("critical", `not valid before ${formatTime(c.notBefore)} (OpenSSL error 9)`);
  if (left <= 0) return f("critical", `expired: ${until}; every handshake with it fails (OpenSSL error 10)`);
  if (left <= crit * DAY_MS) return f("critical", `expires in ${days(left)} days (${until})`);
  if (left <= warn * DAY_MS)
    return f("warning", `expires in ${days(left)} days (${until}): plan the renewal`);
  return f("ok", `${days(left)} days left (${until})`);
}

function crlFinding(input: DoctorInput, ca: DoctorCa): Finding {
  const item = `CRL ${ca.name}`;
  const f = (severity: Severity, detail: string): Finding => ({ severity, item, check: "crl", detail });
  const crl = input.crls.find((c) => c.ca === ca.name);
  if (!crl) {
    return input.crls.length > 0
      ? f(
          "critical",
          "no CRL for this CA while others have one: with ssl_crl set, every chain through it fails with error 3 (CRL_CHECK_ALL); run repl-pki crl",
        )
      : f(
          "warning",
          "no CRL yet: servers configured with ssl_crl/ssl_crlpath need one per CA, the root included; run repl-pki crl",
        );
  }
  if (crl.signatureOk === false)
    return f("critical", `${crl.source} does not verify with the CA's key (error 8)`);
  const now = input.now.getTime();
  if (crl.thisUpdate.getTime() > now)
    return f("critical", `thisUpdate ${formatTime(crl.thisUpdate)} is in the future (error 11)`);
  if (!crl.nextUpdate)
    return f(
      "warning",
      "no nextUpdate: OpenSSL never treats it as expired, so a revocation is never known to be current",
    );
  const left = crl.nextUpdate.getTime() - now;
  const next = `nextUpdate ${formatTime(crl.nextUpdate)}`;
  if (left <= 0)
    return f(
      "critical",
      `expired (${next}): every handshake checked against it fails with error 12 "CRL has expired"`,
    );
  if (left <= WINDOWS.crlCriticalDays * DAY_MS)
    return f("critical", `expires in ${days(left)} days (${next}): run repl-pki crl now and deploy it`);
  const life = crl.nextUpdate.getTime() - crl.thisUpdate.getTime();
  if (left <= life / 3)
    return f("warning", `due: ${days(left)} days left of ${days(life)} (${next}); run repl-pki crl --if-due`);
  return f(
    "ok",
    `${days(left)} days left (${next}); replicas need MASTER_SSL_CA too, or MASTER_SSL_CRL is ignored`,
  );
}

function identityFindings(leaf: DoctorLeaf, cert: ParsedCertificate, cas: ParsedCertificate[]): Finding[] {
  const item = `cert ${leaf.name}`;
  const lints = [...lintCertificate(cert, PURPOSES[leaf.role]), ...lintAgainstCas(cert, cas)];
  const bad = lints.filter((l) => !l.ok);
  const out: Finding[] = bad.map((l) => ({
    severity: l.id === "x509-v1" ? "warning" : "critical",
    item,
    check: l.id,
    detail: l.reason,
  }));
  if (leaf.role === "replica")
    return out.length > 0
      ? out
      : [
          {
            severity: "ok",
            item,
            check: "identity",
            detail: "replica certificate: clientAuth, own key, own CN",
          },
        ];
  const names = [...(cert.san?.dns ?? []), ...(cert.san?.ip ?? []).map(formatIp)];
  const refused: string[] = [];
  const only57: string[] = [];
  for (const n of names) {
    for (const fl of ["mysql-8", "mariadb"] as const) {
      let r: ReturnType<typeof checkHostIdentity>;
      try {
        r = checkHostIdentity(cert, n, fl);
      } catch {
        continue; // a SAN no replica could dial (e.g. a wildcard)
      }
      if (!r.match) refused.push(`${n} on ${fl}: ${r.reason}`);
    }
    if (!commonNames(cert.subject).slice(0, 1).includes(n)) only57.push(n);
  }
  if (refused.length > 0)
    out.push({ severity: "warning", item, check: "identity", detail: refused.join("; ") });
  if (out.length === 0) {
    const cn = commonNames(cert.subject)[0];
    const note =
      only57.length > 0
        ? `; MySQL 5.7/yaSSL replicas match only the CN ${cn ? `"${cn}"` : "(none)"}, so ${only57.join(", ")} ${only57.length === 1 ? "fails" : "fail"} there`
        : "";
    out.push({
      severity: "ok",
      item,
      check: "identity",
      detail: `names ${names.join(", ") || "(none)"} match on mysql-8 and mariadb${note}`,
    });
  }
  return out;
}

function leafFindings(input: DoctorInput, leaf: DoctorLeaf): Finding[] {
  const item = `cert ${leaf.name}`;
  if (!leaf.cert)
    return [{ severity: "critical", item, check: "file", detail: leaf.problem ?? "unreadable" }];
  const cert = leaf.cert;
  const out = [expiry(item, cert, input.now, WINDOWS.leafCriticalDays, WINDOWS.leafWarningDays)];
  const issuer = input.cas.find(
    (ca) =>
      ca.cert.subject.equals(cert.issuer) &&
      verifySignedDer(cert.tbs, cert.signatureAlgorithm, cert.signature, ca.cert.spki),
  );
  out.push(
    issuer
      ? { severity: "ok", item, check: "issuer", detail: `signed by the ${issuer.name} CA` }
      : {
          severity: "critical",
          item,
          check: "issuer",
          detail: `issued by a CA that is no longer in the chain (${commonNames(cert.issuer)[0] ?? "?"}): peers with ca/chain.pem refuse it (error 20 or 7); re-issue it`,
        },
  );
  return [
    ...out,
    ...identityFindings(
      leaf,
      cert,
      input.cas.map((c) => c.cert),
    ),
  ];
}

export function diagnose(input: DoctorInput): Finding[] {
  const out: Finding[] = [];
  for (const ca of input.cas)
    out.push(expiry(`CA ${ca.name}`, ca.cert, input.now, WINDOWS.caCriticalDays, WINDOWS.caWarningDays));
  for (const p of input.crlProblems)
    out.push({ severity: "critical", item: "CRL files", check: "crl", detail: p });
  for (const ca of input.cas) out.push(crlFinding(input, ca));
  for (const leaf of input.leaves) out.push(...leafFindings(input, leaf));
  const ec = [...input.cas.map((c) => c.cert), ...input.leaves.flatMap((l) => (l.cert ? [l.cert] : []))].some(
    (c) => spkiAlgorithm(c.spki) === "EC",
  );
  if (ec) {
    out.push({
      severity: "warning",
      item: "CA directory",
      check: "mysql-5.7",
      detail:
        "ECDSA keys: MySQL 5.7 yaSSL builds (before 5.7.28) accept only RSA certificates; use an RSA CA for them",
    });
  }
  if (input.revokedLive.length > 0) {
    out.push({
      severity: "warning",
      item: "CA directory",
      check: "revocation",
      detail: `${input.revokedLive.join(", ")} revoked but not expired: CRLs are ignored by MySQL 5.7 yaSSL and MariaDB wolfSSL builds (MSI, tarballs), ssl_crlpath by GnuTLS builds, and by any replica without MASTER_SSL_CA; there, lock the replication account too`,
    });
  }
  return out;
}
