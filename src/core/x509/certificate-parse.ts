// Parses a DER certificate into the fields repl-pki reasons about (RFC 5280 §4.1). No signature check
// here: see src/crypto for verification.
import { children, DerError, decodeOid, integerMagnitude, readTlv, type Tlv } from "../der/decode.js";
import { OID } from "../der/oids.js";
import { parseX509Time } from "../der/time.js";

export interface Extension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

export interface SubjectAltNames {
  dns: string[];
  /** iPAddress entries as raw octets (4 or 16 bytes). */
  ip: Buffer[];
  email: string[];
  uri: string[];
  /** Count of entries of any other GeneralName type. */
  other: number;
}

export interface ParsedCertificate {
  der: Buffer;
  tbs: Buffer;
  /** 1 for v1, 3 for v3 (the X.509 version, not the DER value). */
  version: number;
  /** Big-endian magnitude of the serial (sign byte removed). */
  serial: Buffer;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: Extension[];
  san: SubjectAltNames | undefined;
  basicConstraints: { ca: boolean; pathLen: number | undefined } | undefined;
  /** KeyUsage bit numbers set (0 digitalSignature … 6 cRLSign), or undefined when absent. */
  keyUsage: number[] | undefined;
  extKeyUsage: string[] | undefined;
  subjectKeyId: Buffer | undefined;
  authorityKeyId: Buffer | undefined;
  signatureAlgorithm: string;
  signature: Buffer;
}

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`malformed certificate: ${what}`);
  return t;
}

export function parseCertificateDer(der: Buffer): ParsedCertificate {
  const cert = expect(readTlv(der), 0x30, "Certificate");
  if (cert.end !== der.length) throw new DerError("trailing data after the certificate");
  const [tbsT, sigAlgT, sigT] = children(cert);
  const tbs = expect(tbsT, 0x30, "tbsCertificate");
  const fields = children(tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const v = children(fields[0])[0];
    version = (v ? integerMagnitude(v.content)[0]! : 0) + 1;
    i = 1;
  }
  const serial = integerMagnitude(expect(fields[i++], 0x02, "serialNumber").content);
  i++; // signature AlgorithmIdentifier inside tbs
  const issuer = expect(fields[i++], 0x30, "issuer").raw;
  const validity = children(expect(fields[i++], 0x30, "validity"));
  const subject = expect(fields[i++], 0x30, "subject").raw;
  const spki = expect(fields[i++], 0x30, "subjectPublicKeyInfo").raw;
  let extensions: Extension[] = [];
  for (; i < fields.length; i++) if (fields[i]!.tag === 0xa3) extensions = parseExtensions(fields[i]!);
  const [nb, na] = validity;
  if (!nb || !na) throw new DerError("malformed certificate: validity");
  const algOid = children(expect(sigAlgT, 0x30, "signatureAlgorithm"))[0];
  const sig = expect(sigT, 0x03, "signatureValue");
  const find = (o: string) => extensions.find((e) => e.oid === o)?.value;
  const sanExt = find(OID.subjectAltName);
  const bc = find(OID.basicConstraints);
  const ku = find(OID.keyUsage);
  const eku = find(OID.extKeyUsage);
  const ski = find(OID.subjectKeyIdentifier);
  const aki = find(OID.authorityKeyIdentifier);
  return {
    der,
    tbs: Buffer.from(tbs.raw),
    version,
    serial,
    issuer: Buffer.from(issuer),
    subject: Buffer.from(subject),
    notBefore: parseX509Time(nb.tag, nb.content),
    notAfter: parseX509Time(na.tag, na.content),
    spki: Buffer.from(spki),
    extensions,
    san: sanExt ? parseGeneralNames(sanExt) : undefined,
    basicConstraints: bc ? parseBasicConstraints(bc) : undefined,
    keyUsage: ku ? parseKeyUsage(ku) : undefined,
    extKeyUsage: eku ? children(readTlv(eku)).map((t) => decodeOid(t.content)) : undefined,
    subjectKeyId: ski ? Buffer.from(readTlv(ski).content) : undefined,
    authorityKeyId: aki ? children(readTlv(aki)).find((t) => t.tag === 0x80)?.content : undefined,
    signatureAlgorithm: algOid ? decodeOid(algOid.content) : "",
    signature: Buffer.from(sig.content.subarray(1)),
  };
}

function parseExtensions(wrapper: Tlv): Extension[] {
  const list = children(wrapper)[0];
  if (!list) return [];
  return children(list).map((ext) => {
    const parts = children(ext);
    const critical = parts.length === 3 && parts[1]!.tag === 0x01 && parts[1]!.content[0] !== 0;
    const value = parts[parts.length - 1]!;
    return { oid: decodeOid(parts[0]!.content), critical, value: Buffer.from(value.content) };
  });
}

/** GeneralNames (RFC 5280 §4.2.1.6); context tags: 1 rfc822Name, 2 dNSName, 6 URI, 7 iPAddress. */
export function parseGeneralNames(der: Buffer): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], email: [], uri: [], other: 0 };
  for (const gn of children(readTlv(der))) {
    const text = () => Buffer.from(gn.content).toString("latin1");
    if (gn.tag === 0x82) out.dns.push(text());
    else if (gn.tag === 0x87) out.ip.push(Buffer.from(gn.content));
    else if (gn.tag === 0x81) out.email.push(text());
    else if (gn.tag === 0x86) out.uri.push(text());
    else out.other++;
  }
  return out;
}

function parseBasicConstraints(der: Buffer): { ca: boolean; pathLen: number | undefined } {
  let ca = false;
  let pathLen: number | undefined;
  for (const t of children(readTlv(der))) {
    if (t.tag === 0x01) ca = t.content[0] !== 0;
    else if (t.tag === 0x02)
      pathLen = integerMagnitude(t.content).readUIntBE(0, Math.min(6, t.content.length));
  }
  return { ca, pathLen };
}

function parseKeyUsage(der: Buffer): number[] {
  const bits = readTlv(der).content;
  const out: number[] = [];
  for (let byte = 1; byte < bits.length; byte++) {
    for (let b = 0; b < 8; b++) if (bits[byte]! & (0x80 >> b)) out.push((byte - 1) * 8 + b);
  }
  return out;
}
