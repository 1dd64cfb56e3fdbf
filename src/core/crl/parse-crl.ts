// CRL reader (RFC 5280 §5.1) for `crl show` and the tests. Linear and lazy: parseCrlDer walks the
// revokedCertificates headers once to count and bound-check them; the entries are decoded only when
// iterated, so a 1M-entry CRL is not turned into 1M objects unless the caller asks for them.
//
// It is strict where leniency would hide our own bugs: serial INTEGERs must be minimal, non-negative
// DER (X.690 §8.3.2), so a CRL that dropped the 00 sign byte of a high-bit serial (opnsense#10558)
// fails to parse instead of reading back "correctly".
import { children, DerError, decodeOid, readTlv, type Tlv } from "../der/decode.js";
import { oid, seq, TAG, tlv } from "../der/encode.js";
import { OID } from "../der/oids.js";
import { parseX509Time } from "../der/time.js";
import type { Extension } from "../x509/certificate-parse.js";
import { extension } from "../x509/extensions.js";
import { type CrlReason, reasonFromCode } from "./build-crl.js";

export interface ParsedCrlEntry {
  /** Big-endian magnitude of the serial (the DER sign byte removed). */
  serial: Buffer;
  revokedAt: Date;
  /** "unspecified" when the entry has no reasonCode extension (RFC 5280 §5.3.1). */
  reason: CrlReason;
  /** The reasonCode value, or undefined when the extension is absent. */
  reasonCode: number | undefined;
}

/** Buffers in the result are views into `der` (no copies of a possibly large CRL). */
export interface ParsedCrl {
  der: Buffer;
  /** The signed TBSCertList bytes, for verifySignedDer. */
  tbs: Buffer;
  /** 1 or 2 (the X.509 version, not the DER value). */
  version: 1 | 2;
  /** Name DER, comparable byte for byte with the CA certificate's subject. */
  issuer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  crlNumber: bigint | undefined;
  authorityKeyId: Buffer | undefined;
  /** Every crlExtension, including the two above. */
  extensions: Extension[];
  entryCount: number;
  /** Re-iterable; each iteration decodes the entries again, in CRL order. */
  entries: Iterable<ParsedCrlEntry>;
  /** OID of the outer signatureAlgorithm (equal to the inner one, checked). */
  signatureAlgorithm: string;
  /** signatureValue without the unused-bits octet. */
  signature: Buffer;
}

function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`malformed CRL: ${what}`);
  return t;
}

const isTime = (t: Tlv | undefined): t is Tlv =>
  t !== undefined && (t.tag === TAG.UTC_TIME || t.tag === TAG.GENERALIZED_TIME);

/** Non-negative INTEGER content in minimal DER form → magnitude. */
function strictMagnitude(content: Buffer, what: string): Buffer {
  const [b0, b1] = content;
  if (b0 === undefined) throw new DerError(`malformed CRL: empty INTEGER in ${what}`);
  if (b0 & 0x80) throw new DerError(`malformed CRL: negative ${what}`);
  if (b0 === 0 && b1 !== undefined && !(b1 & 0x80)) throw new DerError(`malformed CRL: non-minimal ${what}`);
  return Buffer.from(b0 === 0 && b1 !== undefined ? content.subarray(1) : content);
}

const integerValue = (t: Tlv, what: string): bigint =>
  BigInt(`0x${strictMagnitude(expectTag(t, TAG.INTEGER, what).content, what).toString("hex")}`);

export function parseCrlDer(der: Buffer): ParsedCrl {
  const crl = expectTag(readTlv(der), TAG.SEQUENCE, "CertificateList");
  if (crl.end !== der.length) throw new DerError("trailing data after the CRL");
  const [tbsT, sigAlgT, sigT, extra] = children(crl);
  const tbs = expectTag(tbsT, TAG.SEQUENCE, "tbsCertList");
  const sigAlg = expectTag(sigAlgT, TAG.SEQUENCE, "signatureAlgorithm");
  const sig = expectTag(sigT, TAG.BIT_STRING, "signatureValue");
  if (extra || sig.content[0] !== 0) throw new DerError("malformed CRL: signatureValue");

  const fields = children(tbs); // revokedCertificates stays one TLV here: its entries are not split
  let i = 0;
  let version: 1 | 2 = 1;
  if (fields[0]?.tag === TAG.INTEGER) {
    if (fields[0].content.length !== 1 || fields[0].content[0] !== 1) {
      throw new DerError("malformed CRL: version is not v2"); // §5.1.2.1: if present, MUST be v2
    }
    version = 2;
    i = 1;
  }
  const innerAlg = expectTag(fields[i++], TAG.SEQUENCE, "signature");
  if (!innerAlg.raw.equals(sigAlg.raw)) {
    throw new DerError("malformed CRL: inner and outer signature algorithms differ (§5.1.1.2)");
  }
  const issuer = expectTag(fields[i++], TAG.SEQUENCE, "issuer");
  const thisT = fields[i++];
  if (!isTime(thisT)) throw new DerError("malformed CRL: thisUpdate");
  const nextT = isTime(fields[i]) ? fields[i++] : undefined;
  let revoked: Tlv | undefined;
  if (fields[i]?.tag === TAG.SEQUENCE) revoked = fields[i++];
  let extensions: Extension[] = [];
  if (fields[i]?.tag === 0xa0) extensions = parseExtensions(fields[i++]!);
  if (i !== fields.length) throw new DerError("malformed CRL: unexpected field in tbsCertList");

  const entryCount = revoked ? countEntries(revoked.content) : 0;
  const revokedContent = revoked?.content ?? Buffer.alloc(0);
  const find = (oid: string) => extensions.find((e) => e.oid === oid)?.value;
  const aki = find(OID.authorityKeyIdentifier);
  const crlNumber = find(OID.cRLNumber);
  const sigOid = children(sigAlg)[0];
  return {
    der,
    tbs: tbs.raw,
    version,
    issuer: issuer.raw,
    thisUpdate: parseX509Time(thisT.tag, thisT.content),
    nextUpdate: nextT ? parseX509Time(nextT.tag, nextT.content) : undefined,
    crlNumber: crlNumber ? integerValue(readTlv(crlNumber), "cRLNumber") : undefined,
    authorityKeyId: aki ? children(readTlv(aki)).find((t) => t.tag === 0x80)?.content : undefined,
    extensions,
    entryCount,
    entries: { [Symbol.iterator]: () => decodeEntries(revokedContent) },
    signatureAlgorithm: sigOid ? decodeOid(sigOid.content) : "",
    signature: sig.content.subarray(1),
  };
}

/** Counts the entries, checking only that each is a SEQUENCE inside the bounds. */
function countEntries(content: Buffer): number {
  let n = 0;
  for (let off = 0; off < content.length; n++) {
    if (content[off] !== TAG.SEQUENCE) throw new DerError("malformed CRL: revokedCertificates entry");
    off = tlvEnd(content, off, content.length);
  }
  return n;
}

/** reasonCode's OID content octets (2.5.29.21), compared as bytes instead of decoding every OID. */
const REASON_CODE_OID = oid(OID.reasonCode).subarray(2);
/** crlEntryExtensions holding only a reasonCode, up to the code byte: what we (and OpenSSL) write. */
const REASON_ONLY = seq(extension(OID.reasonCode, false, tlv(TAG.ENUMERATED, Uint8Array.of(0))));
const REASON_ONLY_PREFIX = REASON_ONLY.subarray(0, REASON_ONLY.length - 1);

/**
 * End offset of the TLV at `off`, with readTlv's checks but without its two subarray views: those
 * dominated a 1M-entry walk. The content starts at off + headerLength(buf, off).
 */
function tlvEnd(buf: Buffer, off: number, limit: number): number {
  const l = buf[off + 1];
  if (l === undefined || off + 2 > limit) throw new DerError("unexpected end of DER data");
  let len = l;
  let p = off + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new DerError("unsupported or truncated DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) throw new DerError("DER value runs past the end of the data");
  return p + len;
}

const headerLength = (buf: Buffer, off: number): number =>
  buf[off + 1]! & 0x80 ? 2 + (buf[off + 1]! & 0x7f) : 2;

function* decodeEntries(content: Buffer): Generator<ParsedCrlEntry> {
  const times = new TimeDecoder();
  for (let off = 0; off < content.length; ) {
    const end = tlvEnd(content, off, content.length);
    const serialAt = off + headerLength(content, off);
    off = end;
    if (content[serialAt] !== TAG.INTEGER) throw new DerError("malformed CRL: userCertificate");
    const timeAt = tlvEnd(content, serialAt, end);
    const serial = strictMagnitude(
      content.subarray(serialAt + headerLength(content, serialAt), timeAt),
      "serial",
    );
    const tag = content[timeAt];
    const extAt = tlvEnd(content, timeAt, end);
    if (tag !== TAG.UTC_TIME && tag !== TAG.GENERALIZED_TIME)
      throw new DerError("malformed CRL: revocationDate");
    const ms = times.ms(tag, content.subarray(timeAt + headerLength(content, timeAt), extAt));
    let reasonCode: number | undefined;
    if (extAt === end) reasonCode = undefined;
    else if (
      end - extAt === REASON_ONLY.length &&
      content.subarray(extAt, end - 1).equals(REASON_ONLY_PREFIX)
    ) {
      reasonCode = content[end - 1]!;
    } else reasonCode = reasonFromExtensions(content.subarray(extAt, end));
    const reason = reasonCode === undefined ? "unspecified" : reasonFromCode(reasonCode);
    if (!reason) throw new DerError(`malformed CRL: unknown reasonCode ${reasonCode}`);
    yield { serial, revokedAt: new Date(ms), reason, reasonCode };
  }
}

/** The general case: crlEntryExtensions with other extensions besides (or instead of) reasonCode. */
function reasonFromExtensions(der: Buffer): number | undefined {
  const extT = readTlv(der);
  if (extT.tag !== TAG.SEQUENCE || extT.end !== der.length) {
    throw new DerError("malformed CRL: crlEntryExtensions");
  }
  let code: number | undefined;
  for (const ext of children(extT)) {
    const parts = children(ext);
    if (!expectTag(parts[0], TAG.OID, "entry extension").content.equals(REASON_CODE_OID)) continue;
    const octets = expectTag(parts.at(-1), TAG.OCTET_STRING, "reasonCode").content;
    const e = expectTag(readTlv(octets), TAG.ENUMERATED, "reasonCode");
    if (e.content.length !== 1 || e.end !== octets.length) throw new DerError("malformed CRL: reasonCode");
    code = e.content[0]!;
  }
  return code;
}

/**
 * Time → ms with the date part parsed once per distinct day by der/time.ts (the 1950/2050 UTCTime
 * pivot stays there) and HHMMSS read as digits: parseX509Time's regex dominated a 1M-entry walk.
 */
class TimeDecoder {
  private readonly days = new Map<string, number>();

  ms(tag: number, c: Buffer): number {
    const dateLen = c.length - 7; // "HHMMSSZ"
    if (dateLen !== (tag === TAG.UTC_TIME ? 6 : 8) || c[c.length - 1] !== 0x5a) {
      return parseX509Time(tag, c).getTime(); // not the DER form: let time.ts reject it
    }
    const date = c.toString("latin1", 0, dateLen); // the length tells UTCTime and GeneralizedTime apart
    let day = this.days.get(date);
    if (day === undefined) {
      day = parseX509Time(tag, Buffer.from(`${date}000000Z`, "latin1")).getTime();
      if (this.days.size >= 65_536) this.days.clear();
      this.days.set(date, day);
    }
    const d = (i: number) => {
      const v = c[dateLen + i]! - 0x30;
      if (v < 0 || v > 9) throw new DerError("malformed CRL: time digits");
      return v;
    };
    const hh = d(0) * 10 + d(1);
    const mm = d(2) * 10 + d(3);
    const ss = d(4) * 10 + d(5);
    if (hh > 23 || mm > 59 || ss > 59) throw new DerError("malformed CRL: time of day");
    return day + ((hh * 60 + mm) * 60 + ss) * 1000;
  }
}

function parseExtensions(wrapper: Tlv): Extension[] {
  const list = expectTag(children(wrapper)[0], TAG.SEQUENCE, "crlExtensions");
  return children(list).map((ext) => {
    const parts = children(ext);
    const value = expectTag(parts.at(-1), TAG.OCTET_STRING, "extnValue");
    const critical = parts.length === 3 && parts[1]!.tag === TAG.BOOLEAN && parts[1]!.content[0] !== 0;
    return { oid: decodeOid(expectTag(parts[0], TAG.OID, "extnID").content), critical, value: value.content };
  });
}
