// The OpenSSL subject/issuer hash used for CAPATH/CRLPATH file names "<hash>.N" / "<hash>.rN"
// (spec §2; crypto/x509/by_dir.c get_cert_by_subject_ex). OpenSSL 3's X509_NAME_hash_ex
// (crypto/x509/x509_cmp.c) hashes the *canonical* encoding that x509_name_canon, asn1_string_canon and
// i2d_name_canon (crypto/x509/x_name.c) build while a Name is decoded, never the DER itself. Because that
// canonical form is built inside d2i, any Name OpenSSL cannot canonicalise makes the whole certificate
// unreadable to OpenSSL; decodeNameEntries therefore rejects exactly what libcrypto rejects (observed
// with libcrypto 3.0.19, see test/interop/name-hash.interop.test.ts).
import { createHash } from "node:crypto";
import { children, DerError, readTlv, type Tlv } from "../der/decode.js";
import { set, tlv } from "../der/encode.js";

/** One AVA as libcrypto holds it after d2i (X509_NAME_ENTRY plus its cached canonical value). */
export interface NameEntry {
  /** Index of the RDN it came from (X509_NAME_ENTRY.set): equal sets form one multi-valued RDN. */
  set: number;
  /** Content octets of the attribute type OBJECT IDENTIFIER. */
  oid: Buffer;
  /** Universal tag number of the value (V_ASN1_*): 12 UTF8String, 19 PrintableString, 16 SEQUENCE … */
  type: number;
  /**
   * ASN1_STRING data: the content octets (constructed BER strings already joined); for a SEQUENCE the
   * whole TLV (tasn_dec.c keeps SEQUENCE/SET/OTHER "in encoded form"); for a BIT STRING the octets
   * after the unused-bits byte, unused bits cleared (a_bitstr.c ossl_c2i_ASN1_BIT_STRING).
   */
  data: Buffer;
  /** The value's TLV in the canonical encoding (asn1_string_canon + i2d). */
  canonValue: Buffer;
}

const V = { BIT_STRING: 3, UTF8: 12, SEQUENCE: 16, PRINTABLE: 19, T61: 20, IA5: 22, VISIBLE: 26 } as const;
const V_UNIVERSAL = 28;
const V_BMP = 30;

// Universal tags the X509_NAME_ENTRY value (ASN1_PRINTABLE, an MSTRING: x_name.c) accepts, i.e.
// tasn_dec.c tag2bit() ∩ B_ASN1_PRINTABLE. Observed with libcrypto 3.0.19: VisibleString (26),
// GeneralString (27), GraphicString (25), VideotexString (21), OCTET STRING, INTEGER, times and SET are
// all refused, so a certificate using them cannot be loaded by OpenSSL at all.
const ACCEPTED_TYPES = new Set([3, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 28, 29, 30]);

// x_name.c ASN1_MASK_CANON: only these are converted to UTF-8, re-tagged UTF8String and folded.
// (VisibleString is in the mask but can never get here, see ACCEPTED_TYPES.)
const CANON_TYPES = new Set<number>([V.UTF8, V_BMP, V_UNIVERSAL, V.PRINTABLE, V.T61, V.IA5, V.VISIBLE]);

const ASN1_MAX_STRING_NEST = 5; // tasn_dec.c

/** tasn_dec.c asn1_collect: the content of a constructed (BER) string, nested chunks joined. */
function collect(t: Tlv, depth: number): Buffer {
  const parts: Buffer[] = [];
  for (const c of children(t)) {
    if (c.tag === 0 && c.content.length === 0) throw new DerError("unexpected end-of-contents in string");
    if (c.tag & 0x20) {
      if (depth >= ASN1_MAX_STRING_NEST) throw new DerError("nested ASN.1 string too deep");
      parts.push(collect(c, depth + 1));
    } else parts.push(c.content);
  }
  return Buffer.concat(parts);
}

/** a_object.c ossl_c2i_ASN1_OBJECT: non-empty, last octet ends a sub-identifier, no 0x80 padding. */
function checkOid(content: Buffer): void {
  const bad =
    content.length === 0 ||
    (content[content.length - 1]! & 0x80) !== 0 ||
    content.some((b, i) => b === 0x80 && (i === 0 || (content[i - 1]! & 0x80) === 0));
  if (bad) throw new DerError("invalid OBJECT IDENTIFIER encoding in Name");
}

/**
 * The value as Unicode code points, or an error exactly where a_mbstr.c ASN1_mbstring_copy (called by
 * a_strex.c ASN1_STRING_to_UTF8) fails. tag2nbyte makes PrintableString, T61String, IA5String and
 * VisibleString one byte per character, so they are read as Latin-1 (T61 is *not* decoded as T.61).
 * BMPString is UCS-2 big-endian with no surrogate-pair decoding: each unit must itself be a valid scalar
 * value (type_str/is_unicode_valid), so a BMPString holding a surrogate pair is rejected.
 */
function toUtf8(type: number, data: Buffer): Buffer {
  if (type === V.UTF8) {
    // a_utf8.c UTF8_getc + is_unicode_valid: same rules as the WHATWG fatal decoder (no overlong forms,
    // no surrogates, nothing above U+10FFFF). The bytes are kept as they are (inform == outform).
    try {
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
    } catch {
      throw new DerError("invalid UTF8String in Name");
    }
    return data;
  }
  const width = type === V_BMP ? 2 : type === V_UNIVERSAL ? 4 : 1;
  if (data.length % width !== 0) throw new DerError(`string length not a multiple of ${width} in Name`);
  const out: number[] = [];
  for (let i = 0; i < data.length; i += width) {
    const cp = width === 1 ? data[i]! : width === 2 ? data.readUInt16BE(i) : data.readUInt32BE(i);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new DerError("invalid character in Name");
    // a_utf8.c UTF8_putc
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Buffer.from(out);
}

const isSpace = (b: number | undefined): boolean => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);

/**
 * x_name.c asn1_string_canon on UTF-8 bytes: trim leading/trailing ossl_isspace (SP HT LF VT FF CR),
 * one ' ' per internal whitespace run, ossl_tolower on ASCII only; bytes >= 0x80 are copied untouched
 * (no Unicode case folding or normalisation, so "É" stays "É").
 */
export function canonicalizeUtf8(utf8: Buffer): Buffer {
  let start = 0;
  let end = utf8.length;
  while (start < end && isSpace(utf8[start])) start++;
  while (end > start && isSpace(utf8[end - 1])) end--;
  const out: number[] = [];
  for (let i = start; i < end; ) {
    const b = utf8[i]!;
    if (isSpace(b)) {
      out.push(0x20);
      while (isSpace(utf8[i])) i++;
    } else {
      out.push(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
      i++;
    }
  }
  return Buffer.from(out);
}

/** One AVA value, decoded the way tasn_dec.c decodes the ASN1_PRINTABLE MSTRING. */
function decodeValue(t: Tlv): { type: number; data: Buffer; canonValue: Buffer } {
  const type = t.tag & 0x1f;
  const constructed = (t.tag & 0x20) !== 0;
  if ((t.tag & 0xc0) !== 0) throw new DerError("Name attribute value is not a UNIVERSAL type");
  if (!ACCEPTED_TYPES.has(type)) throw new DerError(`Name attribute value type ${type} is not accepted`);
  if (type === V.SEQUENCE) {
    if (!constructed) throw new DerError("primitive SEQUENCE in Name");
    const raw = Buffer.from(t.raw);
    return { type, data: raw, canonValue: raw }; // copied across unchanged, header and all
  }
  let data = constructed ? collect(t, 0) : Buffer.from(t.content);
  if (type === V.BIT_STRING) {
    // a_bitstr.c: the unused-bits count must be 0..7 and the unused bits are cleared; i2c writes the
    // count back only when there are data octets.
    const bits = data[0];
    if (bits === undefined || bits > 7) throw new DerError("invalid BIT STRING in Name");
    data = data.subarray(1);
    const last = data.length - 1;
    if (last >= 0) data[last] = data[last]! & (0xff << bits) & 0xff;
    return { type, data, canonValue: tlv(V.BIT_STRING, Buffer.from([data.length > 0 ? bits : 0]), data) };
  }
  if (!CANON_TYPES.has(type)) return { type, data, canonValue: tlv(type, data) };
  return { type, data, canonValue: tlv(V.UTF8, canonicalizeUtf8(toUtf8(type, data))) };
}

/**
 * The AVAs of a DER Name in DER order, with everything libcrypto's d2i checks (x_name.c
 * x509_name_ex_d2i): throws DerError where OpenSSL would fail to load the certificate. Empty RDN SETs
 * are accepted and contribute no entries, as in OpenSSL.
 */
export function decodeNameEntries(nameDer: Buffer): NameEntry[] {
  const outer = readTlv(nameDer);
  if (outer.tag !== 0x30) throw new DerError("Name is not a SEQUENCE");
  if (outer.end !== nameDer.length) throw new DerError("trailing data after Name");
  const entries: NameEntry[] = [];
  children(outer).forEach((rdn, index) => {
    if (rdn.tag !== 0x31) throw new DerError("RDN is not a SET");
    for (const ava of children(rdn)) {
      const parts = ava.tag === 0x30 ? children(ava) : [];
      const [type, value] = parts;
      if (parts.length !== 2 || !type || !value || type.tag !== 0x06) {
        throw new DerError("malformed AttributeTypeAndValue");
      }
      checkOid(type.content);
      entries.push({ set: index, oid: Buffer.from(type.content), ...decodeValue(value) });
    }
  });
  return entries;
}

/**
 * x_name.c x509_name_canon + i2d_name_canon: each RDN re-encoded as a DER SET OF (members sorted by
 * their encodings, tasn_enc.c der_cmp: memcmp, then shorter first), the SETs concatenated without the
 * Name's outer SEQUENCE header. A Name with no AVAs has an empty encoding.
 */
export function canonicalNameEncoding(nameDer: Buffer): Buffer {
  const sets: Buffer[] = [];
  let group: Buffer[] = [];
  let current = -1;
  for (const e of decodeNameEntries(nameDer)) {
    if (e.set !== current && group.length > 0) {
      sets.push(set(...group.sort(Buffer.compare)));
      group = [];
    }
    current = e.set;
    group.push(tlv(0x30, tlv(0x06, e.oid), e.canonValue));
  }
  if (group.length > 0) sets.push(set(...group.sort(Buffer.compare)));
  return Buffer.concat(sets);
}

/**
 * X509_NAME_hash_ex (x509_cmp.c): SHA-1 of the canonical encoding, first four octets read
 * little-endian, printed "%08lx". The empty name hashes SHA-1("") → "eea339da".
 */
export function opensslNameHash(nameDer: Buffer): string {
  const md = createHash("sha1").update(canonicalNameEncoding(nameDer)).digest();
  return md.readUInt32LE(0).toString(16).padStart(8, "0");
}
