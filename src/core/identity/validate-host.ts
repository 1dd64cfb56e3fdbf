// Classifies a server host (MASTER_HOST / SOURCE_HOST as a user types it) the way the TLS identity check
// will see it. "ip" means OpenSSL's own parser (ossl_a2i_ipadd, modelled in openssl-ip.ts) reads it as an
// address, which is what makes MySQL 8 use X509_VERIFY_PARAM_set1_ip_asc instead of set1_host. Strings
// that no replica could dial (white space, brackets, zone ids, wildcards, empty or over-long labels) are
// refused with UsageError INVALID_HOST instead of being given an answer that means nothing.
import { UsageError } from "../../errors.js";
import { formatIp, parseIpv4, parseIpv6 } from "../net/ip.js";
import { a2iIpadd } from "./openssl-ip.js";

export type HostClass =
  | {
      kind: "ip";
      host: string;
      family: 4 | 6;
      /** The octets OpenSSL compares with iPAddress SANs. */
      octets: Buffer;
      /** RFC 5952 / dotted-quad text of `octets`. */
      canonical: string;
      notes: string[];
    }
  | { kind: "dns"; host: string; notes: string[] };

const bad = (host: string, why: string, hint: string): UsageError =>
  new UsageError("INVALID_HOST", `invalid host ${JSON.stringify(host)}: ${why}`, { hint, details: { host } });

/** RFC 1035 §2.3.4 limits: 63 octets per label, 253 for the name without its trailing dot. */
const MAX_LABEL = 63;
const MAX_NAME = 253;

export function classifyHost(host: string): HostClass {
  if (typeof host !== "string" || host.length === 0) {
    throw bad(String(host), "the host is empty", "give the host name or IP address the replica connects to");
  }
  if ([...host].some((ch) => /\s/.test(ch) || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    throw bad(host, "it contains white space or control characters", "remove the spaces; a host is one word");
  }
  if (/[^\x20-\x7e]/.test(host)) {
    throw bad(
      host,
      "it contains non-ASCII characters",
      "use the IDNA A-label (xn--…) form; OpenSSL compares bytes",
    );
  }
  if (host.startsWith("[") || host.endsWith("]")) {
    throw bad(
      host,
      "brackets are URL syntax, not part of an IPv6 address",
      `write it as ${host.replace(/^\[|\]$/g, "")}`,
    );
  }
  if (host.includes("%")) {
    throw bad(host, "OpenSSL cannot parse an IPv6 zone id", "drop the %zone suffix");
  }
  if (host.includes("*")) {
    throw bad(host, "'*' is a certificate wildcard, not a host", "give the actual host the replica dials");
  }
  if (host.includes(":")) return classifyIpv6(host);
  if (/^[0-9]+(\.[0-9]+){3}$/.test(host)) return classifyIpv4(host);
  return classifyDns(host);
}

function classifyIpv6(host: string): HostClass {
  const octets = /^[0-9A-Fa-f:.]+$/.test(host) ? a2iIpadd(host) : undefined;
  if (!octets) {
    throw bad(
      host,
      "it contains ':' but is not an IPv6 address OpenSSL can parse",
      "check the address; a port goes in MASTER_PORT",
    );
  }
  const notes: string[] = [];
  if (!parseIpv6(host)) {
    notes.push(
      "OpenSSL accepts this IPv6 spelling but the system resolver (inet_pton) may not; prefer " +
        formatIp(octets),
    );
  }
  return { kind: "ip", host, family: 6, octets, canonical: formatIp(octets), notes };
}

function classifyIpv4(host: string): HostClass {
  const parts = host.split(".");
  // OpenSSL would take 256 or 4294967297 too (sscanf, then a cast to int); no resolver agrees with it
  if (parts.some((p) => Number(p) > 255)) {
    throw bad(host, "an IPv4 part is larger than 255", "each of the four parts is 0-255");
  }
  const octets = a2iIpadd(host);
  if (!octets) throw bad(host, "not an IPv4 address OpenSSL can parse", "write it as a dotted quad");
  const notes: string[] = [];
  if (!parseIpv4(host)) {
    notes.push(
      `leading zeros: OpenSSL reads "${host}" as decimal ${formatIp(octets)}, but the C resolver (inet_aton) ` +
        "reads a part with a leading 0 as octal, so the replica may dial a different address than the one checked",
    );
  }
  return { kind: "ip", host, family: 4, octets, canonical: formatIp(octets), notes };
}

function classifyDns(host: string): HostClass {
  const notes: string[] = [];
  const trailingDot = host.endsWith(".") && host.length > 1;
  const name = trailingDot ? host.slice(0, -1) : host;
  const labels = name.split(".");
  for (const label of labels) {
    if (label.length === 0) {
      throw bad(host, "it has an empty label ('..', or a leading or lone '.')", "remove the extra dot");
    }
    if (label.length > MAX_LABEL) {
      throw bad(
        host,
        `a label is ${label.length} characters long (at most ${MAX_LABEL})`,
        "check the host name",
      );
    }
    if (!/^[A-Za-z0-9_-]+$/.test(label)) {
      throw bad(
        host,
        `the label "${label}" has characters other than letters, digits, '-' and '_'`,
        "check the host name",
      );
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      throw bad(host, `the label "${label}" starts or ends with '-'`, "check the host name");
    }
  }
  if (name.length > MAX_NAME) {
    throw bad(
      host,
      `the name is ${name.length} characters long (at most ${MAX_NAME})`,
      "check the host name",
    );
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    throw bad(
      host,
      "the last label is all digits: OpenSSL checks it as a name, but resolvers read it as a (partial) IPv4 address",
      "write the full dotted-quad IPv4 address, or the DNS name",
    );
  }
  if (trailingDot) {
    notes.push(
      "OpenSSL does not strip the trailing dot: this host only matches a SAN or CN that also ends in '.'; " +
        `configure the replica with "${name}"`,
    );
  }
  if (name.includes("_")) notes.push("a wildcard SAN never matches a label containing '_' (wildcard_match)");
  return { kind: "dns", host, notes };
}
