// Our name hash and X509_NAME_oneline against the real thing: `openssl x509 -subject_hash` (CAPATH /
// CRLPATH file names, spec §2) and libcrypto's X509_NAME_oneline via python3 ctypes (REQUIRE SUBJECT,
// spec §6), over real certificates signed by our builder with hand-encoded subjects (exact tags).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DerError } from "../../src/core/der/decode.js";
import { oid, seq, set, tlv } from "../../src/core/der/encode.js";
import { signCertificate } from "../../src/core/x509/certificate-build.js";
import { basicConstraints } from "../../src/core/x509/extensions.js";
import { commonNameDer } from "../../src/core/x509/name.js";
import { opensslNameHash } from "../../src/core/x509/name-hash.js";
import { opensslNameOneline } from "../../src/core/x509/name-oneline.js";
import { generatePrivateKey, signerFor } from "../../src/crypto/keys.js";

// ---- names, built byte by byte so every value keeps the tag we chose ----
const T = {
  UTF8: 0x0c,
  PRINT: 0x13,
  T61: 0x14,
  IA5: 0x16,
  NUM: 0x12,
  VIS: 0x1a,
  UNIV: 0x1c,
  BMP: 0x1e,
} as const;
const A = {
  C: "2.5.4.6",
  ST: "2.5.4.8",
  L: "2.5.4.7",
  O: "2.5.4.10",
  OU: "2.5.4.11",
  CN: "2.5.4.3",
  email: "1.2.840.113549.1.9.1",
  DC: "0.9.2342.19200300.100.1.25",
  UID: "0.9.2342.19200300.100.1.1",
} as const;
type Av = [type: string, value: Buffer];
const str = (tag: number, s: string): Buffer => {
  if (tag === T.UTF8) return tlv(tag, Buffer.from(s, "utf8"));
  if (tag === T.BMP) return tlv(tag, Buffer.from(s, "utf16le").swap16());
  if (tag === T.UNIV) return tlv(tag, Buffer.concat([...s].map((c) => u32(c.codePointAt(0)!))));
  return tlv(tag, Buffer.from(s, "latin1")); // one byte per character
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const utf8 = (s: string) => str(T.UTF8, s);
const rdns = (...r: Av[][]): Buffer => seq(...r.map((avs) => set(...avs.map(([t, v]) => seq(oid(t), v)))));
const one = (...avs: Av[]): Buffer => rdns(...avs.map((a) => [a]));

const longOid = `1.3.6.1.4.1.55555.${Array.from({ length: 16 }, (_, i) => 100000 + i).join(".")}`;
const uuidArc = Buffer.from([0x69, 0x86, 0xb5, 0x81, 0x8d, 0xee, 0xac, 0xc5, 0x9e, 0xb3, 0xf1, 0x22]); // 2.25.<big>

interface Case {
  label: string;
  subject: Buffer;
  /** libcrypto refuses to load the certificate; we must throw DerError too. */
  rejected?: true;
}

const MATRIX: Case[] = [
  { label: "spec vector CN/O", subject: one([A.CN, str(T.PRINT, "Test CA")], [A.O, utf8("Repl PKI")]) },
  {
    label: "spec whitespace/case variant",
    subject: one([A.CN, utf8("  test   ca ")], [A.O, utf8("REPL pki")]),
  },
  { label: "mixed case", subject: one([A.CN, utf8("Db1.Example.COM")], [A.OU, str(T.PRINT, "RePlIcA")]) },
  { label: "runs of spaces", subject: one([A.CN, utf8("a    b  c")]) },
  { label: "leading/trailing spaces", subject: one([A.CN, str(T.PRINT, "   edge   ")]) },
  { label: "tabs and other whitespace", subject: one([A.CN, utf8("\tA\t\tB \n\r\x0b\x0cC\t")]) },
  { label: "whitespace-only value", subject: one([A.CN, utf8(" \t ")]) },
  { label: "empty value", subject: one([A.CN, utf8("")], [A.O, str(T.PRINT, "")]) },
  { label: "empty subject", subject: seq() },
  { label: "empty RDN SET then CN", subject: seq(set(), set(seq(oid(A.CN), utf8("after")))) },
  { label: "UTF-8 non-ASCII upper case", subject: one([A.CN, utf8("ÉCOLE Zoë ÄÖÜ Straße")]) },
  { label: "UTF-8 4-byte and NBSP", subject: one([A.CN, utf8("db\u00a0\u{1f600} X")]) },
  { label: "control chars, DEL, NUL", subject: one([A.CN, utf8("a\x01b\x7fc\0d")]) },
  { label: "slash and plus in values", subject: one([A.O, utf8("Acme/Ops")], [A.OU, utf8("a+b /+")]) },
  {
    label: "spec oneline vector",
    subject: rdns(
      [[A.C, str(T.PRINT, "DE")]],
      [[A.O, utf8("Acme/Ops")]],
      [
        [A.OU, utf8("db")],
        [A.CN, utf8("repl-1")],
      ],
      [[A.CN, utf8("Zoë")]],
    ),
  },
  {
    label: "multi-valued CN+O",
    subject: rdns([
      [A.CN, utf8("Test CA")],
      [A.O, utf8("Repl PKI")],
    ]),
  },
  {
    label: "multi-valued O+CN",
    subject: rdns([
      [A.O, utf8("Repl PKI")],
      [A.CN, utf8("Test CA")],
    ]),
  },
  {
    label: "multi-valued, sort order changes after canonicalisation",
    subject: rdns([
      [A.CN, str(T.PRINT, "B")],
      [A.CN, utf8("a")],
      [A.CN, str(T.NUM, "1")],
    ]),
  },
  {
    label: "multi-valued duplicates after folding",
    subject: rdns([
      [A.CN, utf8("X")],
      [A.CN, str(T.IA5, " x ")],
    ]),
  },
  { label: "PrintableString", subject: one([A.CN, str(T.PRINT, "Printable Name")]) },
  { label: "UTF8String", subject: one([A.CN, utf8("UTF8 Name")]) },
  { label: "IA5String", subject: one([A.email, str(T.IA5, "Repl@Example.COM")], [A.DC, str(T.IA5, "COM")]) },
  { label: "IA5String with a Latin-1 byte", subject: one([A.CN, str(T.IA5, "Caf\u00e9")]) },
  { label: "BMPString", subject: one([A.CN, str(T.BMP, "Zoë ÉCOLE ☃")]) },
  { label: "T61String (Latin-1)", subject: one([A.CN, str(T.T61, "Caf\u00e9  \u00c9T\u00c9")]) },
  { label: "NumericString (not canonicalised)", subject: one([A.UID, str(T.NUM, " 12  34 ")]) },
  { label: "UniversalString", subject: one([A.CN, str(T.UNIV, "Hello É \u{1f600}")]) },
  { label: "VisibleString", subject: one([A.CN, str(T.VIS, "Visible")]), rejected: true },
  { label: "GeneralString", subject: one([A.CN, tlv(0x1b, Buffer.from([0, 0, 0, 0x41]))]), rejected: true },
  {
    label: "short names",
    subject: one(
      [A.C, str(T.PRINT, "DE")],
      [A.ST, utf8("Berlin")],
      [A.L, utf8("Mitte")],
      ...[4, 5, 9, 12, 13, 15, 17, 41, 42, 43, 44, 46, 65, 72, 97].map(
        (n): Av => [`2.5.4.${n}`, utf8(`v${n}`)],
      ),
      ["0.9.2342.19200300.100.1.1", utf8("uid1")],
      ["0.9.2342.19200300.100.1.44", utf8("uid44")],
      ["1.3.6.1.4.1.311.60.2.1.1", utf8("jl")],
      ["1.3.6.1.4.1.311.60.2.1.2", utf8("jst")],
      ["1.3.6.1.4.1.311.60.2.1.3", str(T.PRINT, "DE")],
    ),
  },
  {
    label: "unknown OID attributes",
    subject: one(["1.3.6.1.4.1.55555.1.2", utf8("Opaque")], ["2.999.7", utf8("x")]),
  },
  { label: "unknown OID longer than 79 characters", subject: one([longOid, utf8("long")]) },
  { label: "unknown OID with a 64-bit+ arc", subject: seq(set(seq(tlv(0x06, uuidArc), utf8("uuid")))) },
  { label: "BIT STRING value", subject: one([A.UID, tlv(0x03, Buffer.from([4, 0xab, 0xcf]))]) },
  { label: "SEQUENCE value", subject: one([A.CN, tlv(0x30, utf8("Inner"))]) },
  {
    label: "BER constructed PrintableString",
    subject: one([A.CN, tlv(0x33, str(T.PRINT, "AB"), str(T.PRINT, " C"))]),
  },
  { label: "invalid UTF-8", subject: one([A.CN, tlv(T.UTF8, Buffer.from([0x41, 0xc3]))]), rejected: true },
  { label: "BMPString surrogate pair", subject: one([A.CN, str(T.BMP, "\u{1f600}")]), rejected: true },
  { label: "OCTET STRING value", subject: one([A.CN, tlv(0x04, Buffer.from("oct"))]), rejected: true },
];

// ---- the real OpenSSL ----
const ONELINE_PY = `
import ctypes, json, sys
c = ctypes.CDLL("libcrypto.so.3")
c.d2i_X509.restype = ctypes.c_void_p
c.d2i_X509.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]
c.X509_get_subject_name.restype = ctypes.c_void_p
c.X509_get_subject_name.argtypes = [ctypes.c_void_p]
c.X509_NAME_oneline.restype = ctypes.c_void_p
c.X509_NAME_oneline.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
c.CRYPTO_free.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
c.X509_free.argtypes = [ctypes.c_void_p]
out = []
for path in sys.argv[1:]:
    der = open(path, "rb").read()
    p = ctypes.c_char_p(der)
    x = c.d2i_X509(None, ctypes.byref(p), len(der))
    if not x:
        out.append(None)
        continue
    s = c.X509_NAME_oneline(c.X509_get_subject_name(x), None, 0)
    out.append(ctypes.string_at(s).decode("latin-1"))
    c.CRYPTO_free(s, None, 0)
    c.X509_free(x)
print(json.dumps(out))
`;

function probe(): string | undefined {
  try {
    execFileSync("openssl", ["version"], { stdio: "pipe" });
  } catch {
    return "openssl CLI not found";
  }
  try {
    execFileSync("python3", ["-c", 'import ctypes; ctypes.CDLL("libcrypto.so.3")'], { stdio: "pipe" });
  } catch {
    return "python3 with ctypes and libcrypto.so.3 not available";
  }
  return undefined;
}

const problem = probe();
// On CI a missing tool is a failure, never a skip.
const run = problem === undefined || Boolean(process.env.CI);

describe.runIf(run)("name hash and oneline against OpenSSL 3", () => {
  let dir = "";
  const files: string[] = [];
  let onelines: (string | null)[] = [];

  beforeAll(() => {
    if (problem) throw new Error(`interop prerequisites missing: ${problem}`);
    dir = mkdtempSync(join(tmpdir(), "repl-pki-namehash-"));
    const signer = signerFor(generatePrivateKey("ec-p256"));
    const now = Date.now();
    MATRIX.forEach((c, i) => {
      const der = signCertificate(
        {
          serial: Buffer.concat([Buffer.from([0x40]), randomBytes(8)]),
          issuer: commonNameDer("repl-pki interop issuer"),
          subject: c.subject,
          notBefore: new Date(now - 3_600_000),
          notAfter: new Date(now + 86_400_000),
          spki: signer.spki,
          extensions: [basicConstraints(false)],
        },
        signer,
      );
      const file = join(dir, `case-${i}.der`);
      writeFileSync(file, der);
      files.push(file);
    });
    onelines = JSON.parse(execFileSync("python3", ["-c", ONELINE_PY, ...files], { encoding: "utf8" }));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has openssl and libcrypto available", () => {
    expect(problem).toBeUndefined();
  });

  it("covers a matrix of names", () => {
    expect(MATRIX.length).toBeGreaterThanOrEqual(35);
  });

  MATRIX.forEach((c, i) => {
    it(`${c.rejected ? "rejects" : "matches"}: ${c.label}`, () => {
      const subjectHash = (): string =>
        execFileSync("openssl", ["x509", "-inform", "DER", "-in", files[i]!, "-noout", "-subject_hash"], {
          encoding: "utf8",
          stdio: "pipe",
        }).trim();
      if (c.rejected) {
        expect(onelines[i]).toBeNull();
        expect(subjectHash).toThrow();
        expect(() => opensslNameHash(c.subject)).toThrow(DerError);
        expect(() => opensslNameOneline(c.subject)).toThrow(DerError);
        return;
      }
      expect(opensslNameHash(c.subject)).toBe(subjectHash());
      expect(opensslNameOneline(c.subject)).toBe(onelines[i]);
    });
  });
});
