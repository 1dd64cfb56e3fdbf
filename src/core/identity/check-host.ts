// Would this server certificate pass the host-identity check of a given client flavour?
// (spec §3 and §10; the OpenSSL parts are modelled in x509-check.ts, wildcard.ts and openssl-ip.ts)
//
//   mysql-8   vio/viosslfactories.cc new_VioSSLFd: X509_VERIFY_PARAM_set1_ip_asc(host), and only if that
//             fails to parse, X509_VERIFY_PARAM_set1_host(host, 0). So an IP literal is checked against
//             iPAddress SANs only (x509_vfy.c check_id → X509_check_ip), never a CN or dNSName.
//   mariadb   sql-common/client.c ssl_verify_server_cert: X509_check_host(host) == 1 ||
//             X509_check_ip_asc(host) == 1, so an IP literal also matches a dNSName or (with no dNSName
//             SAN) a CN spelled the same (observed on 10.11, spec §10).
//   mysql-5.7 sql-common/client.c ssl_verify_server_cert (5.7, and every yaSSL build): the first CN's raw
//             bytes, refused if they contain a NUL, then strcmp(cn, host); no SAN, no case folding, no
//             wildcard.
import { UsageError } from "../../errors.js";
import { formatIp } from "../net/ip.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { cStringBytes } from "./openssl-ip.js";
import { classifyHost, type HostClass } from "./validate-host.js";
import { validStar } from "./wildcard.js";
import {
  GEN,
  type GeneralName,
  subjectAltNames,
  subjectCommonNames,
  type X509CheckResult,
  x509CheckHost,
  x509CheckIp,
} from "./x509-check.js";

export type Flavour = "mysql-8" | "mariadb" | "mysql-5.7";
export const FLAVOURS: readonly Flavour[] = ["mysql-8", "mariadb", "mysql-5.7"];

export interface IdentityResult {
  match: boolean;
  /** One sentence saying why, naming the rule that decided. */
  reason: string;
  /** The certificate name that matched: "dNSName:…", "iPAddress:…" or "CN:…". */
  matchedBy?: string;
}

/**
 * Checks `host` against `cert` as the given client flavour would during VERIFY_IDENTITY /
 * MASTER_SSL_VERIFY_SERVER_CERT=1. Throws UsageError INVALID_HOST for a host no replica could dial
 * (see classifyHost) and INVALID_OPTION_VALUE for an unknown flavour.
 */
export function checkHostIdentity(
  cert: ParsedCertificate,
  host: string,
  flavour: Flavour = "mysql-8",
): IdentityResult {
  const cls = classifyHost(host);
  switch (flavour) {
    case "mysql-8":
      return cls.kind === "ip" ? ipOnly(cert, cls) : hostCheck(cert, cls.host);
    case "mariadb":
      return mariadb(cert, cls);
    case "mysql-5.7":
      return firstCnExact(cert, cls);
    default:
      throw new UsageError("INVALID_OPTION_VALUE", `unknown server flavour ${JSON.stringify(flavour)}`, {
        hint: `use one of ${FLAVOURS.join(", ")}`,
      });
  }
}

const names = (gens: GeneralName[] | undefined, type: number): string[] =>
  (gens ?? [])
    .filter((g) => g.type === type)
    .map((g) => (type === GEN.ip ? formatIp(g.value) : g.value.toString("latin1")));

const cnTexts = (cert: ParsedCertificate): string[] =>
  subjectCommonNames(cert).map((a) => a.value.toString("utf8"));
const list = (xs: string[]): string => xs.map((x) => JSON.stringify(x)).join(", ");

/** MySQL 8 with an IP-literal host: X509_check_ip against iPAddress SANs, nothing else. */
function ipOnly(cert: ParsedCertificate, cls: Extract<HostClass, { kind: "ip" }>): IdentityResult {
  const r = x509CheckIp(cert, cls.octets);
  const what = `"${cls.host}" is an IP literal, which MySQL 8 checks only against iPAddress SANs (set1_ip_asc)`;
  if (r.rv === 1) return { match: true, reason: `${what}: ${r.matchedBy} matches`, matchedBy: r.matchedBy };
  const ips = names(subjectAltNames(cert), GEN.ip);
  const byName = x509CheckHost(cert, cls.host);
  const also =
    byName.rv === 1
      ? `; ${byName.matchedBy} spells the address but MySQL 8 never compares an IP with a CN or dNSName ` +
        "(MariaDB would accept it)"
      : "";
  const why =
    ips.length === 0 ? "the certificate has no iPAddress SAN" : `no iPAddress SAN (${list(ips)}) equals it`;
  return { match: false, reason: `${what}, and ${why}${also}; issue an iPAddress SAN for ${cls.canonical}` };
}

/** X509_check_host with flags 0, as MySQL 8 (non-IP hosts) and MariaDB call it. */
function hostCheck(
  cert: ParsedCertificate,
  host: string,
  r: X509CheckResult = x509CheckHost(cert, host),
): IdentityResult {
  const gens = subjectAltNames(cert);
  if (r.rv === 1) {
    const how = r.matchedBy?.startsWith("CN:")
      ? "; the certificate has no dNSName SAN, so OpenSSL 3.x fell back to the subject CN (OpenSSL 4 will not)"
      : "";
    return {
      match: true,
      reason: `"${host}" matches ${r.matchedBy} (X509_check_host)${how}`,
      matchedBy: r.matchedBy,
    };
  }
  if (r.rv === -1) {
    return {
      match: false,
      reason: "a subject CN cannot be converted to UTF-8, so X509_check_host fails (-1)",
    };
  }
  const dns = names(gens, GEN.dns);
  const literal = dns.filter((d) => d.includes("*") && validStar(Buffer.from(d, "latin1")) < 0);
  const note =
    literal.length > 0 ? `; ${list(literal)} is not a valid OpenSSL wildcard and is compared literally` : "";
  if (r.sanPresent) {
    return {
      match: false,
      reason: `no dNSName SAN (${list(dns)}) matches "${host}", and the CN is ignored when a dNSName SAN exists${note}`,
    };
  }
  const cns = cnTexts(cert);
  if (cns.length === 0) {
    return { match: false, reason: "the certificate has neither a dNSName SAN nor a subject CN" };
  }
  return {
    match: false,
    reason: `the certificate has no dNSName SAN and no CN (${list(cns)}) matches "${host}"`,
  };
}

/** MariaDB: X509_check_host(host) == 1 || X509_check_ip_asc(host) == 1. */
function mariadb(cert: ParsedCertificate, cls: HostClass): IdentityResult {
  const byName = x509CheckHost(cert, cls.host);
  if (byName.rv === 1) {
    const r = hostCheck(cert, cls.host, byName);
    if (cls.kind === "ip" && x509CheckIp(cert, cls.octets).rv !== 1)
      r.reason += "; MySQL 8 would refuse it: an IP literal needs an iPAddress SAN there";
    return r;
  }
  const nameReason = hostCheck(cert, cls.host, byName).reason;
  if (cls.kind !== "ip") return { match: false, reason: nameReason };
  const byIp = x509CheckIp(cert, cls.octets);
  if (byIp.rv === 1) {
    return {
      match: true,
      reason: `"${cls.host}" matches ${byIp.matchedBy} (X509_check_ip_asc)`,
      matchedBy: byIp.matchedBy,
    };
  }
  const ips = names(subjectAltNames(cert), GEN.ip);
  const ipWhy =
    ips.length === 0
      ? "there is no iPAddress SAN"
      : `no iPAddress SAN (${list(ips)}) equals ${cls.canonical}`;
  return { match: false, reason: `${nameReason}; and ${ipWhy}` };
}

/** MySQL 5.7 / yaSSL: the first CN, byte-exact. */
function firstCnExact(cert: ParsedCertificate, cls: HostClass): IdentityResult {
  const host = cls.host;
  const cns = subjectCommonNames(cert);
  const first = cns[0];
  const byName = x509CheckHost(cert, host);
  const san =
    byName.rv === 1 && byName.matchedBy?.startsWith("dNSName:")
      ? byName.matchedBy
      : cls.kind === "ip"
        ? x509CheckIp(cert, cls.octets).matchedBy
        : undefined;
  const sanNote = san ? ` (the SAN ${san} matches in OpenSSL, but 5.7 ignores SANs)` : "";
  if (!first) {
    return {
      match: false,
      reason: `Failed to get CN location in the certificate subject: MySQL 5.7 checks only the CN${sanNote}`,
    };
  }
  const cn = first.value;
  const shown = JSON.stringify(cn.toString("utf8"));
  if (cn.includes(0)) {
    return {
      match: false,
      reason: `NULL embedded in the certificate CN (${shown}, string type ${first.tag})`,
    };
  }
  const want = cStringBytes(host);
  if (cn.equals(want))
    return {
      match: true,
      reason: `the first CN equals "${host}" (strcmp)`,
      matchedBy: `CN:${cn.toString("utf8")}`,
    };
  let why = `the first CN ${shown} is not "${host}" (MySQL 5.7 compares it with strcmp)`;
  if (cn.toString("latin1").toLowerCase() === want.toString("latin1").toLowerCase())
    why += "; they differ only in letter case";
  else if (cn.includes(0x2a)) why += "; wildcards are not expanded";
  if (cns.slice(1).some((a) => a.value.equals(want)))
    why += "; a later CN matches, but only the first is compared";
  return { match: false, reason: why + sanNote };
}
