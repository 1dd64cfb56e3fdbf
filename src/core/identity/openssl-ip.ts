// Model of OpenSSL 3.0's IP-literal parser, ossl_a2i_ipadd (crypto/x509/v3_utl.c: ossl_a2i_ipadd,
// ipv4_from_asc, ipv6_from_asc, ipv6_cb, ipv6_hex; crypto/conf/conf_mod.c: CONF_parse_list).
//
// It is the parser behind X509_check_ip_asc (MariaDB) and X509_VERIFY_PARAM_set1_ip_asc (MySQL 8), so it
// alone decides whether a server host is treated as an IP literal. It is deliberately separate from
// src/core/net/ip.ts, which is strict on what repl-pki accepts when issuing: OpenSSL 3.0 reads IPv4 with
// sscanf("%d.%d.%d.%d%n"), so it takes "010.0.0.5" as decimal 10.0.0.5, skips white space before each
// number, accepts a sign, tolerates trailing white space (and anything after it), and, through glibc's
// long-to-int store, reads 4294967297 as 1. OpenSSL 3.2+/master replaced this with a strict parser
// (get_ipv4_component); this file models the 3.0 series that MySQL/MariaDB builds link today.

/** The bytes a C caller would pass: UTF-8, cut at the first NUL exactly as strlen() would. */
export function cStringBytes(text: string | Uint8Array): Buffer {
  const b = typeof text === "string" ? Buffer.from(text, "utf8") : Buffer.from(text);
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

/** isspace() in the C locale, which is also ossl_isspace(): SP, HT, LF, VT, FF, CR. */
export const isCSpace = (c: number | undefined): boolean =>
  c === 0x20 || (c !== undefined && c >= 9 && c <= 13);
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/**
 * One glibc sscanf "%d" conversion starting at `i`: skip white space, optional '+'/'-', at least one
 * decimal digit. glibc converts with strtol (clamped to long) and then stores into an int, which keeps
 * the low 32 bits. Returns the value and the index after the digits, or undefined on a matching failure.
 */
function scanInt(s: Uint8Array, i: number): { value: number; next: number } | undefined {
  while (isCSpace(s[i])) i++;
  let negative = false;
  if (s[i] === 0x2b || s[i] === 0x2d) {
    negative = s[i] === 0x2d;
    i++;
  }
  const start = i;
  let v = 0n;
  for (; isDigit(s[i]); i++) {
    v = v * 10n + BigInt(s[i]! - 0x30);
    if (v > LONG_MAX + 1n) v = LONG_MAX + 1n; // already saturated: keep the BigInt small
  }
  if (i === start) return undefined;
  if (negative) v = -v;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < LONG_MIN) v = LONG_MIN;
  return { value: Number(BigInt.asIntN(32, v)), next: i };
}

/**
 * ipv4_from_asc: sscanf(in, "%d.%d.%d.%d%n"), each value 0..255, and the character after the fourth
 * number must be NUL or white space (the only trailing-garbage check 3.0 has).
 */
export function ipv4FromAsc(s: Uint8Array): Buffer | undefined {
  const out = Buffer.alloc(4);
  let i = 0;
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      // an ordinary format character: matched literally, no white space skipped before it
      if (s[i] !== 0x2e) return undefined;
      i++;
    }
    const r = scanInt(s, i);
    if (!r || r.value < 0 || r.value > 255) return undefined;
    out[k] = r.value;
    i = r.next;
  }
  if (i < s.length && !isCSpace(s[i])) return undefined;
  return out;
}

/** OPENSSL_hexchar2int over up to four characters (ipv6_hex). */
function ipv6Hex(elem: Uint8Array): number | undefined {
  if (elem.length > 4) return undefined;
  let num = 0;
  for (const c of elem) {
    const ch = String.fromCharCode(c);
    if (!/^[0-9a-fA-F]$/.test(ch)) return undefined;
    num = (num << 4) | Number.parseInt(ch, 16);
  }
  return num;
}

/**
 * ipv6_from_asc: CONF_parse_list(in, ':', nospc=0, ipv6_cb) splits on every ':' (so "::" yields empty
 * elements: one in the middle, two at either end, three for "::" alone); an element longer than four
 * characters must be the last one and an IPv4 tail (ipv4_from_asc, with all its sscanf leniency).
 */
export function ipv6FromAsc(s: Uint8Array): Buffer | undefined {
  const tmp = Buffer.alloc(16);
  let total = 0;
  let zeroPos = -1;
  let zeroCnt = 0;
  const cb = (elem: Uint8Array, last: boolean): boolean => {
    if (total === 16) return false;
    if (elem.length === 0) {
      if (zeroPos === -1) zeroPos = total;
      else if (zeroPos !== total) return false; // a second, separate "::"
      zeroCnt++;
      return true;
    }
    if (elem.length > 4) {
      if (total > 12 || !last) return false;
      const v4 = ipv4FromAsc(elem);
      if (!v4) return false;
      tmp.set(v4, total);
      total += 4;
      return true;
    }
    const word = ipv6Hex(elem);
    if (word === undefined) return false;
    tmp.writeUInt16BE(word, total);
    total += 2;
    return true;
  };
  // CONF_parse_list with nospc = 0
  let lstart = 0;
  for (;;) {
    const p = s.indexOf(0x3a, lstart);
    const end = p < 0 ? s.length : p;
    if (!cb(s.subarray(lstart, end), p < 0)) return undefined;
    if (p < 0) break;
    lstart = p + 1;
  }
  if (zeroPos === -1) {
    if (total !== 16) return undefined;
    return tmp;
  }
  if (total === 16 || zeroCnt > 3) return undefined;
  if (zeroCnt === 3 && total > 0) return undefined; // three empties only for "::" alone
  if (zeroCnt === 2 && zeroPos !== 0 && zeroPos !== total) return undefined;
  if (zeroCnt === 1 && (zeroPos === 0 || zeroPos === total)) return undefined; // ":1" or "1:"
  const out = Buffer.alloc(16);
  tmp.copy(out, 0, 0, zeroPos);
  tmp.copy(out, zeroPos + 16 - total, zeroPos, total);
  return out;
}

/**
 * ossl_a2i_ipadd: 4 or 16 octets, or undefined where OpenSSL returns 0 (X509_check_ip_asc then returns
 * -2, X509_VERIFY_PARAM_set1_ip_asc fails). A ':' anywhere selects the IPv6 parser.
 */
export function a2iIpadd(text: string | Uint8Array): Buffer | undefined {
  const s = cStringBytes(text);
  return s.includes(0x3a) ? ipv6FromAsc(s) : ipv4FromAsc(s);
}
