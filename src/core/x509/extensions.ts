// X.509 v3 extensions (RFC 5280 §4.2.1), encoded as `Extension ::= SEQUENCE { extnID, critical, extnValue }`.
import { createHash } from "node:crypto";
import { readTlv } from "../der/decode.js";
import { bool, octetString, oid, seq, smallInteger, TAG, tlv } from "../der/encode.js";
import { OID } from "../der/oids.js";

export function extension(extnId: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? seq(oid(extnId), bool(true), octetString(value)) : seq(oid(extnId), octetString(value));
}

/** basicConstraints; CAs get it critical (RFC 5280 §4.2.1.9 MUST), leaves get CA:FALSE critical too. */
export function basicConstraints(ca: boolean, pathLen?: number): Buffer {
  const parts: Buffer[] = [];
  if (ca) parts.push(bool(true));
  if (ca && pathLen !== undefined) parts.push(smallInteger(pathLen));
  return extension(OID.basicConstraints, true, seq(...parts));
}

export const KEY_USAGE = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

/** keyUsage as a DER named BIT STRING: trailing zero bits dropped (X.690 §11.2.2). Always critical. */
export function keyUsage(bits: number[]): Buffer {
  const max = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  const unused = 7 - (max % 8);
  const value = tlv(TAG.BIT_STRING, Buffer.from([unused]), bytes);
  return extension(OID.keyUsage, true, value);
}

export function extKeyUsage(purposes: string[]): Buffer {
  return extension(OID.extKeyUsage, false, seq(...purposes.map((p) => oid(p))));
}

/** subjectAltName: dNSName [2] IA5String, iPAddress [7] OCTET STRING of 4 or 16 bytes. */
export function subjectAltName(dns: string[], ips: Uint8Array[]): Buffer {
  // [2] IMPLICIT IA5String: the tag replaces 0x16, the content is the ASCII text
  const names = [...dns.map((d) => tlv(0x82, Buffer.from(d, "latin1"))), ...ips.map((ip) => tlv(0x87, ip))];
  return extension(OID.subjectAltName, false, seq(...names));
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spki: Buffer): Buffer {
  const spkiSeq = readTlv(spki);
  const first = readTlv(spkiSeq.content, 0);
  const bits = readTlv(spkiSeq.content, first.end);
  return createHash("sha1").update(bits.content.subarray(1)).digest();
}

export const subjectKeyIdentifier = (keyId: Buffer): Buffer =>
  extension(OID.subjectKeyIdentifier, false, octetString(keyId));

/** authorityKeyIdentifier with keyIdentifier [0] only (RFC 5280 §4.2.1.1). */
export const authorityKeyIdentifier = (keyId: Buffer): Buffer =>
  extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyId)));
