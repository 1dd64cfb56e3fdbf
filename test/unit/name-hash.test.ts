import { describe, expect, it } from "vitest";
import { DerError } from "../../src/core/der/decode.js";
import { oid, printableString, seq, set, tlv, utf8String } from "../../src/core/der/encode.js";
import { canonicalNameEncoding, decodeNameEntries, opensslNameHash } from "../../src/core/x509/name-hash.js";
import {
  dottedOid,
  formatNameOneline,
  opensslNameOneline,
  opensslShortName,
} from "../../src/core/x509/name-oneline.js";

const CN = "2.5.4.3";
const O = "2.5.4.10";
const OU = "2.5.4.11";
const C = "2.5.4.6";

const ava = (type: string, value: Buffer): Buffer => seq(oid(type), value);
/** A Name from RDNs, each a list of [attribute OID, encoded value]. */
const name = (...rdns: [string, Buffer][][]): Buffer =>
  seq(...rdns.map((rdn) => set(...rdn.map(([t, v]) => ava(t, v)))));

describe("opensslNameHash (spec §2 vectors)", () => {
  it("hashes /CN=Test CA/O=Repl PKI to 8f0454dd", () => {
    expect(opensslNameHash(name([[CN, printableString("Test CA")]], [[O, utf8String("Repl PKI")]]))).toBe(
      "8f0454dd",
    );
  });

  it("ignores case and whitespace differences (/CN=  test   ca /O=REPL pki)", () => {
    const n = name([[CN, utf8String("  test   ca ")]], [[O, printableString("REPL pki")]]);
    expect(opensslNameHash(n)).toBe("8f0454dd");
    // The spec's hand-built canonical bytes, with the length octets corrected: the sheet prints
    // "31 0e 30 0c …" / "31 0f 30 0d …", which do not fit the content and hash to 9159d121, not 8f0454dd.
    const expected = Buffer.concat([
      Buffer.from("3110300e06035504030c07", "hex"),
      Buffer.from("test ca"),
      Buffer.from("3111300f060355040a0c08", "hex"),
      Buffer.from("repl pki"),
    ]);
    expect(canonicalNameEncoding(n).equals(expected)).toBe(true);
  });

  it("sorts the AVAs of a multi-valued RDN (CN+O in either order → 0b6af205)", () => {
    const a = name([
      [CN, utf8String("Test CA")],
      [O, utf8String("Repl PKI")],
    ]);
    const b = name([
      [O, utf8String("Repl PKI")],
      [CN, utf8String("Test CA")],
    ]);
    expect(opensslNameHash(a)).toBe("0b6af205");
    expect(opensslNameHash(b)).toBe("0b6af205");
  });

  it("hashes the empty name to SHA-1('') → eea339da with an empty canonical encoding", () => {
    expect(canonicalNameEncoding(seq()).length).toBe(0);
    expect(opensslNameHash(seq())).toBe("eea339da");
    // an RDN SET with no AVA contributes nothing (x509_name_ex_d2i only copies entries)
    expect(opensslNameHash(seq(set()))).toBe("eea339da");
  });

  it("converts every canonicalised string type to the same UTF-8 form", () => {
    const forms = [
      utf8String("Zoé X"),
      tlv(0x14, Buffer.from("ZOé  x", "latin1")), // T61String read as Latin-1
      tlv(0x1e, Buffer.from("\0Z\0O\0\xe9\0 \0X", "latin1")), // BMPString, UCS-2 BE
      tlv(0x1c, Buffer.from([0, 0, 0, 0x5a, 0, 0, 0, 0x6f, 0, 0, 0, 0xe9, 0, 0, 0, 0x20, 0, 0, 0, 0x78])),
    ];
    const hashes = forms.map((v) => opensslNameHash(name([[CN, v]])));
    expect(new Set(hashes).size).toBe(1);
    expect(canonicalNameEncoding(name([[CN, forms[1]!]])).subarray(-6)).toEqual(Buffer.from("zoé x"));
  });

  it("lowercases ASCII only and leaves other types untouched", () => {
    const enc = (v: Buffer) => canonicalNameEncoding(name([[CN, v]]));
    expect(enc(utf8String("ÉCOLE")).subarray(-6)).toEqual(Buffer.from("École"));
    expect(enc(tlv(0x12, Buffer.from(" 12  34 "))).subarray(-10)).toEqual(Buffer.from("\x12\x08 12  34 "));
  });

  it("rejects what libcrypto refuses to load", () => {
    const bad = [
      tlv(0x1a, Buffer.from("visible")), // VisibleString is not in ASN1_PRINTABLE
      tlv(0x1b, Buffer.from("general")),
      tlv(0x04, Buffer.from("octets")),
      tlv(0x0c, Buffer.from([0xc3])), // truncated UTF-8
      tlv(0x1e, Buffer.from([0xd8, 0x3d, 0xde, 0x00])), // surrogate pair in a BMPString
      tlv(0x1e, Buffer.from([0x00])),
      tlv(0x1c, Buffer.from([0x00, 0x11, 0x00, 0x00])), // above U+10FFFF
    ];
    for (const v of bad) expect(() => opensslNameHash(name([[CN, v]]))).toThrow(DerError);
  });

  it("keeps BIT STRING and SEQUENCE values as libcrypto re-encodes them", () => {
    const bits = canonicalNameEncoding(name([[CN, tlv(0x03, Buffer.from([4, 0xab, 0xcf]))]]));
    expect(bits.subarray(-5)).toEqual(Buffer.from([0x03, 0x03, 0x04, 0xab, 0xc0]));
    const inner = tlv(0x30, utf8String("A"));
    expect(canonicalNameEncoding(name([[CN, inner]])).subarray(-inner.length)).toEqual(inner);
  });
});

describe("opensslNameOneline (spec §6)", () => {
  const spec = name(
    [[C, printableString("DE")]],
    [[O, utf8String("Acme/Ops")]],
    [
      [OU, utf8String("db")],
      [CN, utf8String("repl-1")],
    ],
    [[CN, utf8String("Zoë")]],
  );

  it("prints the spec vector for OpenSSL 3", () => {
    expect(opensslNameOneline(spec)).toBe("/C=DE/O=Acme\\/Ops/OU=db+CN=repl-1/CN=Zo\\xC3\\xAB");
  });

  it("prints OpenSSL 1.x style: always '/', no escaping", () => {
    expect(opensslNameOneline(spec, 1)).toBe("/C=DE/O=Acme/Ops/OU=db/CN=repl-1/CN=Zo\\xC3\\xAB");
  });

  it("prints the empty name as an empty string", () => {
    expect(opensslNameOneline(seq())).toBe("");
  });

  it("uses OpenSSL short names and the dotted form for unknown OIDs", () => {
    const n = name(
      [["1.2.840.113549.1.9.1", tlv(0x16, Buffer.from("a+b@x"))]],
      [["0.9.2342.19200300.100.1.25", tlv(0x16, Buffer.from("com"))]],
      [["1.3.6.1.4.1.311.60.2.1.3", printableString("DE")]],
      [["2.5.4.97", utf8String("x")]],
      [["1.3.6.1.4.1.55555.1", utf8String("")]],
    );
    expect(opensslNameOneline(n)).toBe(
      "/emailAddress=a\\+b@x/DC=com/jurisdictionC=DE/organizationIdentifier=x/1.3.6.1.4.1.55555.1=",
    );
  });

  it("writes dotted OIDs like OBJ_obj2txt (BIGNUM-sized arcs) and cuts them at 79 characters", () => {
    expect(dottedOid(oid("2.999.3").subarray(2))).toBe("2.999.3");
    expect(dottedOid(oid("0.9.2342").subarray(2))).toBe("0.9.2342");
    // 2.25.<UUID as integer>: 128-bit arc, base-128 by hand (BigInt)
    const uuid = 0x329800735698586629295641978511506n;
    const sub: number[] = [];
    for (let v = uuid; v > 0n; v >>= 7n) sub.unshift(Number(v & 0x7fn) | (sub.length ? 0x80 : 0));
    expect(dottedOid(Buffer.from([0x69, ...sub]))).toBe(`2.25.${uuid}`);
    const long = `1.3.6.1.4.1.${Array.from({ length: 30 }, (_, i) => 1000 + i).join(".")}`;
    expect(opensslShortName(oid(long).subarray(2))).toBe(long.slice(0, 79));
  });

  it("escapes control and non-ASCII bytes as uppercase \\xHH, raw bytes of every type", () => {
    const n = name(
      [[CN, utf8String("a\tb\x7f")]],
      [[CN, tlv(0x1e, Buffer.from("\0A", "latin1"))]],
      [[CN, tlv(0x03, Buffer.from([4, 0xab, 0xcf]))]],
    );
    expect(opensslNameOneline(n)).toBe("/CN=a\\x09b\\x7F/CN=\\x00A/CN=\\xAB\\xC0");
  });

  it("applies the GeneralString gs_doit rule to in-memory entries", () => {
    const entry = (data: number[]) => ({
      set: 0,
      oid: oid(CN).subarray(2),
      type: 27,
      data: Buffer.from(data),
    });
    expect(formatNameOneline([entry([0, 0, 0, 0x41, 0, 0, 0, 0x42])])).toBe("/CN=AB");
    expect(formatNameOneline([entry([0, 0, 0x01, 0x41])])).toBe("/CN=\\x00\\x00\\x01A");
    expect(formatNameOneline([entry([0x41, 0x42, 0x43])])).toBe("/CN=ABC");
  });

  it("decodes entries with their RDN index", () => {
    const entries = decodeNameEntries(spec);
    expect(entries.map((e) => e.set)).toEqual([0, 1, 2, 2, 3]);
  });
});
