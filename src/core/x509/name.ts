// X.501 Name: building (CN-only subjects, as the spec §6 advises: ASCII, no '/' or '+', no multi-valued
// RDNs, so REQUIRE SUBJECT strings are identical across OpenSSL versions) and parsing into RDNs.
import { children, DerError, decodeOid, readTlv } from "../der/decode.js";
import { oid, seq, set, utf8String } from "../der/encode.js";
import { OID } from "../der/oids.js";

export interface Ava {
  oid: string;
  /** Universal tag of the value (UTF8String 0x0c, PrintableString 0x13, …). */
  tag: number;
  value: Buffer;
}
/** A relative distinguished name: one or more AVAs (more than one = multi-valued RDN). */
export type Rdn = Ava[];

/** DER of a Name with a single RDN CN=<cn>, encoded as UTF8String (RFC 5280 §4.1.2.6). */
export function commonNameDer(cn: string): Buffer {
  return seq(set(seq(oid(OID.commonName), utf8String(cn))));
}

export function parseName(nameDer: Buffer): Rdn[] {
  const outer = readTlv(nameDer);
  if (outer.tag !== 0x30) throw new DerError("Name is not a SEQUENCE");
  return children(outer).map((rdnTlv) => {
    if (rdnTlv.tag !== 0x31) throw new DerError("RDN is not a SET");
    return children(rdnTlv).map((avaTlv) => {
      const [type, value] = children(avaTlv);
      if (!type || !value || type.tag !== 0x06) throw new DerError("malformed AttributeTypeAndValue");
      return { oid: decodeOid(type.content), tag: value.tag, value: Buffer.from(value.content) };
    });
  });
}

/** The values of every CN attribute in DER order, decoded as text (UTF-8/latin1 as tagged). */
export function commonNames(nameDer: Buffer): string[] {
  return parseName(nameDer)
    .flat()
    .filter((a) => a.oid === OID.commonName)
    .map((a) => avaText(a));
}

export function avaText(a: Ava): string {
  // BMPString is UCS-2 big-endian, UniversalString UCS-4 big-endian (X.680 §41); a malformed length
  // falls back to Latin-1 so display never throws.
  if (a.tag === 0x1e && a.value.length % 2 === 0) return Buffer.from(a.value).swap16().toString("utf16le");
  if (a.tag === 0x1c && a.value.length % 4 === 0) {
    const cps: number[] = [];
    for (let i = 0; i < a.value.length; i += 4) cps.push(a.value.readUInt32BE(i));
    if (cps.every((c) => c <= 0x10ffff)) return String.fromCodePoint(...cps);
  }
  return a.value.toString(a.tag === 0x0c ? "utf8" : "latin1");
}
