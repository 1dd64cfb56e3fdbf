// Model of OpenSSL 3.0's X509_check_host / X509_check_ip / X509_check_ip_asc with flags 0
// (crypto/x509/v3_utl.c: do_x509_check, do_check_string), over a ParsedCertificate.
//
// do_x509_check in short: walk the subjectAltName entries of the requested type (dNSName for a host,
// iPAddress for an IP); any such entry makes the SAN "present"; the first match wins. Only for a host, and
// only when no dNSName was present, fall back to every subject CN in order (converted to UTF-8 first).
// IP checks never look at the CN (cnid stays NID_undef).
import { children, readTlv } from "../der/decode.js";
import { OID } from "../der/oids.js";
import { formatIp } from "../net/ip.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { parseName } from "../x509/name.js";
import { a2iIpadd, cStringBytes } from "./openssl-ip.js";
import { equalCase, equalWildcard } from "./wildcard.js";

/** GeneralName CHOICE numbers (RFC 5280 §4.2.1.6; GEN_OTHERNAME … GEN_RID in OpenSSL). */
export const GEN = {
  otherName: 0,
  email: 1,
  dns: 2,
  x400: 3,
  dirName: 4,
  ediParty: 5,
  uri: 6,
  ip: 7,
  rid: 8,
} as const;

export interface GeneralName {
  type: number;
  /** Content octets (IA5String text for dNSName/rfc822Name/URI, raw octets for iPAddress). */
  value: Buffer;
}

export interface X509CheckResult {
  /** What the C function returns: 1 match, 0 no match, -1 internal/conversion error, -2 bad input. */
  rv: 1 | 0 | -1 | -2;
  /** The certificate name that matched (OpenSSL's peername), e.g. "dNSName:*.example.com". */
  matchedBy?: string;
  /** True when the certificate has a SAN entry of the checked type (which hides the CN for hosts). */
  sanPresent: boolean;
}

const PRIMITIVE_TYPES = new Set<number>([GEN.email, GEN.dns, GEN.uri, GEN.ip, GEN.rid]);

/**
 * X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL): undefined when the extension is absent, when it
 * occurs more than once (X509V3_get_d2i returns NULL for a duplicate when idx is NULL) or when it does not
 * decode; OpenSSL then behaves exactly as if there were no SAN.
 */
export function subjectAltNames(cert: ParsedCertificate): GeneralName[] | undefined {
  const exts = cert.extensions.filter((e) => e.oid === OID.subjectAltName);
  if (exts.length !== 1) return undefined;
  try {
    const outer = readTlv(exts[0]!.value);
    if (outer.tag !== 0x30 || outer.end !== exts[0]!.value.length) return undefined;
    return children(outer).map((t) => {
      const type = t.tag & 0x1f;
      const constructed = (t.tag & 0x20) !== 0;
      const ok = (t.tag & 0xc0) === 0x80 && type <= GEN.rid && constructed !== PRIMITIVE_TYPES.has(type);
      if (!ok) throw new Error("undecodable GeneralName");
      return { type, value: Buffer.from(t.content) };
    });
  } catch {
    return undefined;
  }
}

/**
 * ASN1_STRING_to_UTF8 (crypto/asn1/a_strex.c tag2nbyte + a_mbstr.c): UTF8String is validated (no
 * overlongs, surrogates or values past U+10FFFF), BMPString/UniversalString are 2/4-byte big-endian
 * code points, the one-byte string types are Latin-1; any other tag is an error (-1).
 */
export function asn1StringToUtf8(tag: number, value: Buffer): Buffer | undefined {
  const valid = (cp: number) => cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
  if (tag === 0x0c) {
    try {
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(value);
      return Buffer.from(value);
    } catch {
      return undefined;
    }
  }
  const width =
    tag === 0x1e ? 2 : tag === 0x1c ? 4 : [0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a].includes(tag) ? 1 : 0;
  if (width === 0 || value.length % width !== 0) return undefined;
  const cps: number[] = [];
  for (let i = 0; i < value.length; i += width) cps.push(value.readUIntBE(i, width));
  if (!cps.every(valid)) return undefined;
  return Buffer.from(String.fromCodePoint(...cps), "utf8");
}

/** Subject CNs as OpenSSL sees them: raw AVA (tag, bytes) in DER entry order. */
export function subjectCommonNames(cert: ParsedCertificate): { tag: number; value: Buffer }[] {
  return parseName(cert.subject)
    .flat()
    .filter((a) => a.oid === OID.commonName);
}

/** OPENSSL_strndup of the matched bytes (stops at a NUL), shown as text. */
const peer = (b: Uint8Array, encoding: "latin1" | "utf8") => {
  const nul = b.indexOf(0);
  return Buffer.from(nul < 0 ? b : b.subarray(0, nul)).toString(encoding);
};

function doX509Check(cert: ParsedCertificate, chk: Buffer, type: number): X509CheckResult {
  const gens = subjectAltNames(cert);
  let sanPresent = false;
  for (const gen of gens ?? []) {
    // Every entry of another type is skipped, otherName included, so an otherName-only SAN does not hide
    // the CN. That is what the openssl 3.0.19 binary does (interop row "othername-only"); the 3.x source
    // text seen (quictls a94eaf9, 3.2.0) would instead count an otherName as present, via
    // `(gen->type != check_type) && (gen->type != GEN_OTHERNAME)`. Observed behaviour wins.
    if (gen.type !== type) continue;
    sanPresent = true;
    if (gen.value.length === 0) continue; // do_check_string: empty ASN1_STRING never matches
    const hit = type === GEN.dns ? equalWildcard(gen.value, chk) : equalCase(gen.value, chk);
    if (hit) {
      const shown = type === GEN.dns ? peer(gen.value, "latin1") : formatIp(gen.value);
      return { rv: 1, matchedBy: `${type === GEN.dns ? "dNSName" : "iPAddress"}:${shown}`, sanPresent };
    }
  }
  if (sanPresent || type !== GEN.dns) return { rv: 0, sanPresent };
  for (const cn of subjectCommonNames(cert)) {
    if (cn.value.length === 0) continue;
    const utf8 = asn1StringToUtf8(cn.tag, cn.value);
    if (!utf8) return { rv: -1, sanPresent }; // "Positive on success, negative on error!": stops the loop
    if (equalWildcard(utf8, chk)) return { rv: 1, matchedBy: `CN:${peer(utf8, "utf8")}`, sanPresent };
  }
  return { rv: 0, sanPresent };
}

/**
 * X509_check_host(x, host, 0, 0, &peername) as MariaDB calls it (length 0, so strlen: the host ends at
 * its first NUL). A host starting with '.' turns on OpenSSL's internal dot-subdomain matching.
 */
export function x509CheckHost(cert: ParsedCertificate, host: string | Uint8Array): X509CheckResult {
  return doX509Check(cert, cStringBytes(host), GEN.dns);
}

/** X509_check_ip(x, octets, len, 0): exact octet comparison against iPAddress SANs only. */
export function x509CheckIp(cert: ParsedCertificate, octets: Uint8Array): X509CheckResult {
  return doX509Check(cert, Buffer.from(octets), GEN.ip);
}

/** X509_check_ip_asc(x, text, 0): -2 when ossl_a2i_ipadd cannot parse `text`. */
export function x509CheckIpAsc(cert: ParsedCertificate, text: string | Uint8Array): X509CheckResult {
  const octets = a2iIpadd(text);
  if (!octets) return { rv: -2, sanPresent: false };
  return x509CheckIp(cert, octets);
}
