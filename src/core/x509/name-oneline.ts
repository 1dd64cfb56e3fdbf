// X509_NAME_oneline(name, NULL, 0) (crypto/x509/x509_obj.c), the string mysqld compares with strcmp
// for REQUIRE SUBJECT / REQUIRE ISSUER (spec §6, sql_authentication.cc acl_check_ssl). It works on the
// raw ASN1_STRING bytes, not on text: no charset conversion, every byte outside 0x20..0x7E becomes
// "\xHH" (uppercase hex), so UTF-8 "ë" prints as "\xC3\xAB" and a BMPString "A" as "\x00A".
import { decodeNameEntries, type NameEntry } from "./name-hash.js";

// OpenSSL short names (obj_dat.h, as OBJ_nid2sn returns them in libcrypto 3.0.19) for the arcs that
// hold directory attribute types. Index = last arc; "-" = no OpenSSL object (printed dotted).
// OIDs that OpenSSL knows under other arcs (e.g. an extension OID misused as an attribute type) also
// print by short name there but print dotted here: this table covers attribute types only.
const ARCS: Record<string, string> = {
  "2.5.4":
    "- - - CN SN serialNumber C L ST street O OU title description searchGuide businessCategory " +
    "postalAddress postalCode postOfficeBox physicalDeliveryOfficeName telephoneNumber telexNumber " +
    "teletexTerminalIdentifier facsimileTelephoneNumber x121Address internationaliSDNNumber " +
    "registeredAddress destinationIndicator preferredDeliveryMethod presentationAddress " +
    "supportedApplicationContext member owner roleOccupant seeAlso userPassword userCertificate " +
    "cACertificate authorityRevocationList certificateRevocationList crossCertificatePair name GN " +
    "initials generationQualifier x500UniqueIdentifier dnQualifier enhancedSearchGuide " +
    "protocolInformation distinguishedName uniqueMember houseIdentifier supportedAlgorithms " +
    "deltaRevocationList dmdName - - - - - - - - - - pseudonym - - - - - - role - - - - - - - - - - - - " +
    "- - - - - - - - - - - - organizationIdentifier c3 n3 dnsName",
  // RFC 4519 / COSINE pilot attributes (note both "UID" .1 and "uid" .44, as in obj_dat.h)
  "0.9.2342.19200300.100.1":
    "- UID textEncodedORAddress mail info favouriteDrink roomNumber photo userClass host manager " +
    "documentIdentifier documentTitle documentVersion documentAuthor documentLocation - - - - " +
    "homeTelephoneNumber secretary otherMailbox lastModifiedTime lastModifiedBy DC aRecord " +
    "pilotAttributeType27 mXRecord nSRecord sOARecord cNAMERecord - - - - - associatedDomain " +
    "associatedName homePostalAddress personalTitle mobileTelephoneNumber pagerTelephoneNumber " +
    "friendlyCountryName uid organizationalStatus janetMailbox mailPreferenceOption buildingName " +
    "dSAQuality singleLevelQuality subtreeMinimumQuality subtreeMaximumQuality personalSignature " +
    "dITRedirect audio documentPublisher",
  // PKCS #9
  "1.2.840.113549.1.9":
    "- emailAddress unstructuredName contentType messageDigest signingTime countersignature " +
    "challengePassword unstructuredAddress extendedCertificateAttributes - - - - extReq SMIME-CAPS " +
    "SMIME - - - friendlyName localKeyID",
  // EV jurisdiction attributes (Microsoft arc)
  "1.3.6.1.4.1.311.60.2.1": "- jurisdictionL jurisdictionST jurisdictionC",
};

const SHORT_NAMES = new Map<string, string>([["1.3.6.1.4.1.311.20.2.3", "msUPN"]]);
for (const [prefix, names] of Object.entries(ARCS)) {
  names.split(" ").forEach((sn, i) => {
    if (sn !== "-") SHORT_NAMES.set(`${prefix}.${i}`, sn);
  });
}

/**
 * obj_dat.c OBJ_obj2txt(…, no_name=1) dotted form: the first sub-identifier splits into two arcs
 * (< 40 → 0.x, < 80 → 1.x, else 2.x); arcs of any size (BIGNUM there, BigInt here).
 */
export function dottedOid(content: Uint8Array): string {
  const arcs: string[] = [];
  let v = 0n;
  for (const b of content) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (b & 0x80) continue;
    if (arcs.length === 0) {
      const first = v < 40n ? 0n : v < 80n ? 1n : 2n;
      arcs.push(String(first), String(v - first * 40n));
    } else arcs.push(String(v));
    v = 0n;
  }
  return arcs.join(".");
}

/**
 * The name X509_NAME_oneline prints for an attribute type: OBJ_nid2sn, or else i2t_ASN1_OBJECT into an
 * 80-byte tmp_buf, i.e. the dotted form cut to 79 characters.
 */
export function opensslShortName(oidContent: Uint8Array): string {
  const dotted = dottedOid(oidContent);
  return SHORT_NAMES.get(dotted) ?? dotted.slice(0, 79);
}

const NAME_ONELINE_MAX = 1024 * 1024; // x509_obj.c: longer values/results make it return NULL
const V_ASN1_GENERALSTRING = 27;

/**
 * The loop of X509_NAME_oneline over entries already in memory. Kept apart from the DER entry point
 * for the GeneralString "gs_doit" rule, which only an in-memory name can reach: libcrypto refuses a
 * GeneralString value when decoding (see name-hash.ts ACCEPTED_TYPES).
 */
export function formatNameOneline(
  entries: readonly Pick<NameEntry, "set" | "oid" | "type" | "data">[],
  opensslMajor: 1 | 3 = 3,
): string {
  let out = "";
  let prevSet = -1;
  for (const e of entries) {
    const q = e.data;
    if (q.length > NAME_ONELINE_MAX) throw new RangeError("X509_NAME_oneline: name too long");
    // gs_doit: a GeneralString whose length is a multiple of 4 and whose only non-zero octets are every
    // fourth one (UCS-4 big-endian ASCII) prints just those octets.
    let doit = [true, true, true, true];
    if (e.type === V_ASN1_GENERALSTRING && q.length % 4 === 0) {
      const nonZero = [false, false, false, false];
      q.forEach((b, j) => {
        if (b !== 0) nonZero[j & 3] = true;
      });
      doit = nonZero[0] || nonZero[1] || nonZero[2] ? doit : [false, false, false, true];
    }
    // OpenSSL >= 3.0 (PR #12769): '+' joins AVAs of one multi-valued RDN and '/' '+' in values are
    // escaped with '\'. 1.0.2/1.1.1 always write '/' and never escape.
    out += opensslMajor === 3 && prevSet === e.set ? "+" : "/";
    out += `${opensslShortName(e.oid)}=`;
    q.forEach((n, j) => {
      if (!doit[j & 3]) return;
      if (n < 0x20 || n > 0x7e) out += `\\x${n.toString(16).toUpperCase().padStart(2, "0")}`;
      else out += (opensslMajor === 3 && (n === 0x2f || n === 0x2b) ? "\\" : "") + String.fromCharCode(n);
    });
    if (out.length > NAME_ONELINE_MAX) throw new RangeError("X509_NAME_oneline: name too long");
    prevSet = e.set;
  }
  return out;
}

/**
 * X509_NAME_oneline(name, NULL, 0) for a DER Name, as mysqld linked against OpenSSL `opensslMajor`
 * prints it: "/" SN "=" value per AVA in DER order; the empty name gives "". Throws DerError for a
 * Name libcrypto would refuse to load (such a certificate never reaches the REQUIRE check).
 */
export function opensslNameOneline(nameDer: Buffer, opensslMajor: 1 | 3 = 3): string {
  return formatNameOneline(decodeNameEntries(nameDer), opensslMajor);
}
