// Byte-for-byte model of OpenSSL 3.0's host-name comparison (crypto/x509/v3_utl.c: skip_prefix,
// equal_nocase, equal_case, wildcard_match, valid_star, equal_wildcard), for the flags MySQL and MariaDB
// pass: 0. So partial wildcards ("f*.example.com") are allowed and a wildcard matches one label only.
// `pattern` is always the certificate's name (dNSName or CN); `subject` is the host being checked.

const isAlnum = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
const DOT = 0x2e;
const STAR = 0x2a;
const HYPHEN = 0x2d;

/** HAS_CASE_PREFIX(s, "xn--"): OPENSSL_strncasecmp over four bytes. */
export function hasIdnaPrefix(s: Uint8Array, at = 0): boolean {
  return (
    s.length - at >= 4 &&
    lower(s[at]!) === 0x78 &&
    lower(s[at + 1]!) === 0x6e &&
    s[at + 2] === HYPHEN &&
    s[at + 3] === HYPHEN
  );
}

/**
 * skip_prefix: only with the internal _X509_CHECK_FLAG_DOT_SUBDOMAINS flag, which do_x509_check sets
 * when the host starts with '.' (".example.com" then matches any name ending in it). Drops leading
 * pattern bytes (stopping at a NUL) until the lengths agree.
 */
function skipPrefix(pattern: Uint8Array, subjectLen: number, dotSubdomains: boolean): Uint8Array {
  if (!dotSubdomains) return pattern;
  let p = 0;
  while (pattern.length - p > subjectLen && pattern[p] !== 0) p++;
  return pattern.length - p === subjectLen ? pattern.subarray(p) : pattern;
}

/** equal_nocase: same length, ASCII-only case folding, and the pattern must not contain a NUL. */
export function equalNocase(pattern: Uint8Array, subject: Uint8Array, dotSubdomains = false): boolean {
  const pat = skipPrefix(pattern, subject.length, dotSubdomains);
  if (pat.length !== subject.length) return false;
  for (let i = 0; i < pat.length; i++) {
    const l = pat[i]!;
    if (l === 0) return false;
    if (lower(l) !== lower(subject[i]!)) return false;
  }
  return true;
}

/** equal_case: memcmp after the same length check (used for iPAddress octets). */
export function equalCase(pattern: Uint8Array, subject: Uint8Array): boolean {
  return Buffer.from(pattern).equals(Buffer.from(subject));
}

/**
 * valid_star: the index of the one usable '*' in `p`, or -1 when `p` is not a usable wildcard pattern
 * (then it is compared literally). Rules, all from the C: at most one '*'; only in the first label; not
 * in a label starting "xn--" (any case); the '*' at the start or end of its label ("f*", "*f", "*"),
 * never inside ("a*b"); only letters, digits, '-' and '.' elsewhere; no empty label, no label starting
 * or ending with '-'; the last label not empty (so no trailing dot); and at least two dots in total.
 */
export function validStar(p: Uint8Array): number {
  const LABEL_START = 1;
  const LABEL_HYPHEN = 4;
  const LABEL_IDNA = 8;
  let star = -1;
  let state = LABEL_START;
  let dots = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === STAR) {
      const atStart = (state & LABEL_START) !== 0;
      const atEnd = i === p.length - 1 || p[i + 1] === DOT;
      if (star >= 0 || (state & LABEL_IDNA) !== 0 || dots > 0) return -1;
      if (!atStart && !atEnd) return -1;
      star = i;
      state &= ~LABEL_START;
    } else if (isAlnum(c)) {
      if ((state & LABEL_START) !== 0 && hasIdnaPrefix(p, i)) state |= LABEL_IDNA;
      state &= ~(LABEL_HYPHEN | LABEL_START);
    } else if (c === DOT) {
      if ((state & (LABEL_HYPHEN | LABEL_START)) !== 0) return -1;
      state = LABEL_START;
      dots++;
    } else if (c === HYPHEN) {
      if ((state & LABEL_START) !== 0) return -1;
      state |= LABEL_HYPHEN;
    } else {
      return -1;
    }
  }
  if ((state & (LABEL_START | LABEL_HYPHEN)) !== 0 || dots < 2) return -1;
  return star;
}

/**
 * wildcard_match: prefix and suffix compared case-insensitively; a whole-label '*' must cover at least
 * one byte; a partial wildcard never matches a host starting "xn--"; the covered bytes must be letters,
 * digits or '-' (so one label only, and never '_'), except that a literal '*' is matched by '*'.
 */
export function wildcardMatch(prefix: Uint8Array, suffix: Uint8Array, subject: Uint8Array): boolean {
  if (subject.length < prefix.length + suffix.length) return false;
  if (!equalNocase(prefix, subject.subarray(0, prefix.length))) return false;
  const wStart = prefix.length;
  const wEnd = subject.length - suffix.length;
  // note the argument order in the C: the subject's tail is the "pattern" here
  if (!equalNocase(subject.subarray(wEnd), suffix)) return false;
  let allowIdna = false;
  if (prefix.length === 0 && suffix[0] === DOT) {
    if (wStart === wEnd) return false;
    allowIdna = true;
  }
  if (!allowIdna && hasIdnaPrefix(subject)) return false;
  if (wEnd === wStart + 1 && subject[wStart] === STAR) return true;
  for (let i = wStart; i < wEnd; i++) {
    const c = subject[i]!;
    if (!isAlnum(c) && c !== HYPHEN) return false;
  }
  return true;
}

/**
 * equal_wildcard: a host starting with '.' never meets a wildcard (only the dot-subdomain suffix rule);
 * a pattern without a valid star is compared literally, case-insensitively.
 */
export function equalWildcard(pattern: Uint8Array, subject: Uint8Array): boolean {
  const dotSubdomains = subject.length > 1 && subject[0] === DOT;
  const star = dotSubdomains ? -1 : validStar(pattern);
  if (star < 0) return equalNocase(pattern, subject, dotSubdomains);
  return wildcardMatch(pattern.subarray(0, star), pattern.subarray(star + 1), subject);
}
