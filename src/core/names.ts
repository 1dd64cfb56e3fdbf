// Input validation for certificate NAMEs and the host names / IPs that go into SANs.
import { UsageError } from "../errors.js";
import { parseIp } from "./net/ip.js";

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

/** NAMEs are file-name safe and never look like an option or a path (issue 3 conventions). */
export function validateName(name: string): string {
  if (!NAME_RE.test(name) || name.length > 64) {
    throw new UsageError("INVALID_NAME", `invalid certificate name "${name}"`, {
      hint: "use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
    });
  }
  return name;
}

const LABEL_RE = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * A DNS name for a dNSName SAN (RFC 5280 §4.2.1.6, preferred name syntax of RFC 1034 §3.5, plus '_'),
 * optionally with a whole-label wildcard in the left-most label followed by at least two labels, which
 * is the only wildcard form every OpenSSL version accepts (v3_utl.c valid_star).
 */
export function validateDnsName(host: string): string {
  const fail = (why: string, hint: string) =>
    new UsageError("INVALID_HOST", `invalid host name "${host}": ${why}`, { hint });
  if (host.length === 0 || host.length > 253) throw fail("length must be 1-253", "give a DNS host name");
  if (host.endsWith(".")) throw fail("trailing dot", "drop the trailing dot; OpenSSL never matches it");
  const labels = host.split(".");
  labels.forEach((label, i) => {
    if (label === "*" && i === 0) {
      if (labels.length < 3) throw fail("a wildcard needs two labels after it", "e.g. *.db.example.com");
      return;
    }
    if (label.includes("*")) {
      throw fail("'*' is allowed only as the whole left-most label", "e.g. *.db.example.com");
    }
    if (!LABEL_RE.test(label)) {
      throw fail(
        `label "${label}" is not 1-63 letters, digits, '-' or '_'`,
        "IDNs must be given in punycode (xn--…); spaces and other characters are not allowed",
      );
    }
  });
  return host;
}

export interface SubjectAltNameRequest {
  dns: string[];
  ips: Buffer[];
  /** Text form of each IP, in input order, for display and the index. */
  ipTexts: string[];
}

/** Classifies --host values (an IP given as --host is an iPAddress SAN) and validates --ip values. */
export function classifySans(hosts: string[], ips: string[]): SubjectAltNameRequest {
  const out: SubjectAltNameRequest = { dns: [], ips: [], ipTexts: [] };
  const addIp = (text: string, bytes: Buffer) => {
    if (!out.ips.some((b) => b.equals(bytes))) {
      out.ips.push(bytes);
      out.ipTexts.push(text);
    }
  };
  for (const h of hosts) {
    const ip = parseIp(h);
    if (ip) addIp(h, ip);
    else {
      const dns = validateDnsName(h);
      if (!out.dns.some((d) => d.toLowerCase() === dns.toLowerCase())) out.dns.push(dns);
    }
  }
  for (const text of ips) {
    const ip = parseIp(text);
    if (!ip) {
      throw new UsageError("INVALID_HOST", `invalid IP address "${text}"`, {
        hint: "give an IPv4 dotted quad (10.0.0.5) or an IPv6 address (fd00::5), without brackets or prefix",
      });
    }
    addIp(text, ip);
  }
  return out;
}
