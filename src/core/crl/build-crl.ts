// CRL v2 encoder (RFC 5280 §5.1), written straight into one preallocated Buffer.
//
// Why not tlv()/seq() per entry: a CRL is the one object repl-pki makes that grows with the CA's
// history. The object-model routes are quadratic (@peculiar/x509) or run out of heap at 1M entries
// (@peculiar/asn1-x509), see shared/bench/results-peers.md §3. So the encoder makes two linear passes:
// pass 1 adds up the entry sizes, pass 2 writes every byte in place. Per-entry work is a few integer
// operations plus copies of cached bytes: the date part of each Time is cached per UTC day, the
// reasonCode extension is a constant per reason. Nothing is allocated per entry except for serials
// that need DER normalisation (see serialContent).

import { InternalError } from "../../errors.js";
import { readTlv } from "../der/decode.js";
import {
  bitString,
  explicit,
  lengthSize,
  seq,
  smallInteger,
  TAG,
  tlv,
  unsignedInteger,
  unsignedIntegerContent,
  writeLength,
} from "../der/encode.js";
import { OID } from "../der/oids.js";
import { x509Time } from "../der/time.js";
import { REASON_CODES, type RevocationReason } from "../revocation.js";
import { authorityKeyIdentifier, extension } from "../x509/extensions.js";
import type { Signer } from "../x509/signer.js";

// The issuable reasons and their codes live in ../revocation.ts (shared with the index journal).
export { REASON_CODES, type RevocationReason };

/** The whole CRLReason table of RFC 5280 §5.3.1 (7 is unused), for reading CRLs made by others. */
export const CRL_REASON_CODES = {
  ...REASON_CODES,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type CrlReason = keyof typeof CRL_REASON_CODES;

const REASON_BY_CODE = new Map<number, CrlReason>(
  Object.entries(CRL_REASON_CODES).map(([name, code]) => [code, name as CrlReason]),
);
const REASON_BY_FOLDED = new Map<string, RevocationReason>(
  Object.keys(REASON_CODES).map((name) => [name.toLowerCase(), name as RevocationReason]),
);

export const reasonFromCode = (code: number): CrlReason | undefined => REASON_BY_CODE.get(code);

/**
 * Parses a reason we may issue. Case and "-"/"_" are ignored, so OpenSSL's index spelling
 * "CACompromise" and "key-compromise" are accepted. Own-property lookup only: `"toString" in table`
 * would be true.
 */
export function parseRevocationReason(text: string): RevocationReason | undefined {
  return REASON_BY_FOLDED.get(text.replace(/[-_]/g, "").toLowerCase());
}

export interface CrlEntry {
  /** Big-endian magnitude of the certificate's serial, exactly as issued. */
  serial: Uint8Array;
  revokedAt: Date;
  reason: RevocationReason;
}

export interface CrlInput {
  /** DER Name of the CA (its certificate's subject, byte for byte: OpenSSL matches CRLs by it). */
  issuer: Buffer;
  /** The CA's subjectKeyIdentifier; RFC 5280 §5.2.1 makes authorityKeyIdentifier a MUST. */
  authorityKeyId: Buffer;
  /** RFC 5280 §5.2.3: monotonically increasing, at most 20 octets. */
  crlNumber: bigint;
  thisUpdate: Date;
  /** Always present: the spec (§1) needs it, and a CRL without it never expires in OpenSSL. */
  nextUpdate: Date;
  /**
   * Written in the given order (RFC 5280 imposes none). Read twice and not retained (see
   * twoPassSource). Duplicate serials are not detected here.
   */
  entries: ArrayLike<CrlEntry> | Iterable<CrlEntry>;
}

/** Reserve for the signature, so the signed CRL is assembled in the same allocation (RSA-8192 fits). */
const SIGNATURE_RESERVE = 1024;
/** Outer SEQUENCE header: tag + 5 length octets at most (lengthSize). */
const HEADER_RESERVE = 6;
const DAY_MS = 86_400_000;
/** GeneralizedTime has four year digits (RFC 5280 §4.1.2.5.2). */
const MIN_MS = Date.parse("0000-01-01T00:00:00Z");
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * crlEntryExtensions holding reasonCode (RFC 5280 §5.3.1, non-critical ENUMERATED), one constant per
 * reason. `unspecified` gets none: §5.3.1 says the extension SHOULD be absent rather than carry 0.
 */
const ENTRY_EXTENSIONS = new Map<string, Buffer>(
  Object.entries(REASON_CODES).map(([name, code]) => [
    name,
    code === 0
      ? Buffer.alloc(0)
      : seq(extension(OID.reasonCode, false, tlv(TAG.ENUMERATED, Uint8Array.of(code)))),
  ]),
);

function entryExtensions(reason: RevocationReason): Buffer {
  const ext = ENTRY_EXTENSIONS.get(reason); // a Map, so "toString" & co. are not reasons
  if (ext === undefined) throw new RangeError(`unknown revocation reason "${reason}"`);
  return ext;
}

/**
 * Time (RFC 5280 §5.1.2.4/§4.1.2.5) without formatting each date: the tag, length and date digits
 * come from der/time.ts once per UTC day (so the UTCTime/GeneralizedTime switch at 2050 is decided
 * in one place), the HHMMSS digits are computed. JS time has no leap seconds, so a day is 86 400 s.
 */
class TimeEncoder {
  private readonly byDay = new Map<number, Buffer>();
  private lastDay = Number.NaN;
  private lastPrefix: Buffer = Buffer.alloc(0);

  /** Tag, length and YYMMDD / YYYYMMDD of the day holding `ms`. */
  prefix(ms: number): Buffer {
    if (!(ms >= MIN_MS && ms <= MAX_MS)) throw new RangeError(`revocation date out of range: ${ms}`);
    const day = Math.floor(ms / DAY_MS);
    if (day === this.lastDay) return this.lastPrefix;
    let p = this.byDay.get(day);
    if (p === undefined) {
      const full = x509Time(new Date(day * DAY_MS));
      p = full.subarray(0, full.length - 7); // drop "000000Z"
      if (this.byDay.size >= 65_536) this.byDay.clear(); // bounded: ~180 years of distinct days
      this.byDay.set(day, p);
    }
    this.lastDay = day;
    this.lastPrefix = p;
    return p;
  }

  write(buf: Buffer, off: number, ms: number): number {
    off = copySmall(buf, off, this.prefix(ms));
    const secOfDay = Math.floor((ms - Math.floor(ms / DAY_MS) * DAY_MS) / 1000);
    const hhmmss =
      Math.floor(secOfDay / 3600) * 10_000 + (Math.floor(secOfDay / 60) % 60) * 100 + (secOfDay % 60);
    for (let i = 5, v = hhmmss; i >= 0; i--, v = Math.floor(v / 10)) buf[off + i] = 0x30 + (v % 10);
    buf[off + 6] = 0x5a; // "Z"
    return off + 7;
  }
}

/** Byte loop: for the 10–20 byte pieces of an entry it is faster than the native Buffer.set call. */
function copySmall(buf: Buffer, off: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) buf[off++] = src[i]!;
  return off;
}

/**
 * INTEGER content of a serial. When the magnitude is already minimal DER (first byte 01–7F) the
 * content IS the magnitude; every other case (leading 00s to strip, high bit needing a 00 sign byte:
 * the opnsense#10558 loss) goes through the shared unsignedIntegerContent.
 */
function serialContent(serial: Uint8Array): Uint8Array {
  const first = serial[0];
  if (first !== undefined && first > 0 && first < 0x80) return serial;
  return unsignedIntegerContent(serial);
}

/** Entry size from lengths alone (pass 1) — must agree with writeEntry; buildCrl checks the total. */
function serialContentLength(serial: Uint8Array): number {
  if (serial.length === 0) throw new RangeError("empty serial number in CRL entry");
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  return serial.length - i + ((serial[i] ?? 0) & 0x80 ? 1 : 0);
}

function tlvSize(contentLength: number): number {
  return 1 + lengthSize(contentLength) + contentLength;
}

/**
 * The entries as something that can be iterated twice. Arrays and re-iterable collections are used in
 * place, so a caller may stream entries from a compact store and reuse one entry object per step
 * (src/core/index/revoked-list.ts does). A one-shot iterator (a generator object) must be copied, and
 * deeply: copying references from an iterator that reuses its objects would repeat the last entry.
 */
function twoPassSource(entries: ArrayLike<CrlEntry> | Iterable<CrlEntry>): Iterable<CrlEntry> {
  const iterate = (entries as Partial<Iterable<CrlEntry>>)[Symbol.iterator];
  if (typeof iterate !== "function") return Array.from(entries as ArrayLike<CrlEntry>);
  if ((iterate.call(entries) as unknown) !== entries) return entries as Iterable<CrlEntry>;
  return Array.from(entries as Iterable<CrlEntry>, (e) => ({
    serial: Uint8Array.prototype.slice.call(e.serial),
    revokedAt: new Date(e.revokedAt.getTime()),
    reason: e.reason,
  }));
}

function crlNumberExtension(n: bigint): Buffer {
  if (n < 0n) throw new RangeError("cRLNumber must not be negative");
  const hex = n.toString(16);
  const value = unsignedInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex"));
  if (value.length - 2 > 20) throw new RangeError("cRLNumber longer than 20 octets (RFC 5280 §5.2.3)");
  return extension(OID.cRLNumber, false, value);
}

/** Signed DER CertificateList (RFC 5280 §5.1). Linear in the number of entries. */
export function buildCrl(input: CrlInput, signer: Signer): Buffer {
  const { issuer, authorityKeyId, thisUpdate, nextUpdate } = input;
  const name = readTlv(issuer);
  if (name.tag !== TAG.SEQUENCE || name.end !== issuer.length)
    throw new RangeError("issuer is not one DER Name");
  if (authorityKeyId.length === 0) throw new RangeError("authorityKeyId is empty");
  const [t0, t1] = [thisUpdate.getTime(), nextUpdate.getTime()];
  if (!(t0 >= MIN_MS && t1 <= MAX_MS && t1 > t0))
    throw new RangeError("thisUpdate/nextUpdate invalid or not in order");
  const algorithm = signer.algorithmIdentifier;

  // Fields before and after revokedCertificates are small: build them the ordinary way.
  const head = Buffer.concat([
    smallInteger(1), // version v2 (§5.1.2.1: required because extensions are present)
    algorithm, // §5.1.2.2: MUST equal the outer signatureAlgorithm
    issuer,
    x509Time(thisUpdate),
    x509Time(nextUpdate),
  ]);
  const tail = explicit(0, seq(authorityKeyIdentifier(authorityKeyId), crlNumberExtension(input.crlNumber)));

  // Pass 1: sizes only.
  const source = twoPassSource(input.entries);
  const times = new TimeEncoder();
  let count = 0;
  let revokedLength = 0;
  for (const e of source) {
    const inner =
      tlvSize(serialContentLength(e.serial)) +
      times.prefix(e.revokedAt.getTime()).length +
      7 +
      entryExtensions(e.reason).length;
    revokedLength += tlvSize(inner);
    count++;
  }
  // §5.1.2.6: with no revoked certificates the field is absent, not an empty SEQUENCE.
  const revokedSize = count === 0 ? 0 : tlvSize(revokedLength);
  const tbsContent = head.length + revokedSize + tail.length;
  const tbsSize = tlvSize(tbsContent);
  if (tbsSize > 0xffff_0000) throw new RangeError("CRL too large for DER lengths of 4 octets");

  // Pass 2: write the TBSCertList after room for the outer header, then sign it where it lies.
  const buf = Buffer.alloc(HEADER_RESERVE + tbsSize + algorithm.length + 7 + SIGNATURE_RESERVE);
  const tbsStart = HEADER_RESERVE;
  buf[tbsStart] = TAG.SEQUENCE;
  let off = writeLength(buf, tbsStart + 1, tbsContent);
  off += head.copy(buf, off);
  if (count > 0) {
    buf[off++] = TAG.SEQUENCE;
    off = writeLength(buf, off, revokedLength);
    let written = 0;
    for (const e of source) {
      off = writeEntry(buf, off, e, times);
      written++;
    }
    if (written !== count) throw new InternalError("CRL entries changed between the two passes");
  }
  off += tail.copy(buf, off);
  const tbsEnd = tbsStart + tbsSize;
  if (off !== tbsEnd)
    throw new InternalError(`CRL size mismatch: wrote ${off - tbsStart} of ${tbsSize} bytes`);

  const tbs = buf.subarray(tbsStart, tbsEnd);
  const signatureValue = bitString(signer.sign(tbs));
  const outerContent = tbsSize + algorithm.length + signatureValue.length;
  if (tbsEnd + algorithm.length + signatureValue.length > buf.length) {
    return seq(tbs, algorithm, signatureValue); // an unusually long signature: one extra copy
  }
  off = tbsEnd + algorithm.copy(buf, tbsEnd);
  off += signatureValue.copy(buf, off);
  const start = tbsStart - 1 - lengthSize(outerContent);
  buf[start] = TAG.SEQUENCE;
  writeLength(buf, start + 1, outerContent);
  return buf.subarray(start, off);
}

/** revokedCertificates entry: SEQUENCE { userCertificate INTEGER, revocationDate Time, [extensions] }. */
function writeEntry(buf: Buffer, off: number, e: CrlEntry, times: TimeEncoder): number {
  const serial = serialContent(e.serial);
  const ms = e.revokedAt.getTime();
  const ext = entryExtensions(e.reason);
  buf[off++] = TAG.SEQUENCE;
  off = writeLength(buf, off, tlvSize(serial.length) + times.prefix(ms).length + 7 + ext.length);
  buf[off++] = TAG.INTEGER;
  off = writeLength(buf, off, serial.length);
  off = copySmall(buf, off, serial);
  off = times.write(buf, off, ms);
  return copySmall(buf, off, ext);
}
