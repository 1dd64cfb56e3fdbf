// Two things the identity tests share: an async `openssl` runner (argument arrays only, never a shell
// string, so hosts like "a b" or "-x" reach OpenSSL verbatim) with bounded parallelism, and a builder for
// test certificates whose subject and subjectAltName are assembled byte by byte with der/encode.ts, so
// the matrix can hold what our issuing code would never produce (several CNs, an empty subject, an empty
// SAN, otherName/URI/email-only SANs, BMPString CNs, invalid wildcards).
import { execFile } from "node:child_process";
import type { KeyObject } from "node:crypto";
import { availableParallelism } from "node:os";
import { oid, seq, set, TAG, tlv } from "../../src/core/der/encode.js";
import { OID } from "../../src/core/der/oids.js";
import { signCertificate } from "../../src/core/x509/certificate-build.js";
import {
  authorityKeyIdentifier,
  basicConstraints,
  extension,
  extKeyUsage,
  KEY_USAGE,
  keyIdentifier,
  keyUsage,
  subjectKeyIdentifier,
} from "../../src/core/x509/extensions.js";
import { pemEncode } from "../../src/core/x509/pem.js";
import { generatePrivateKey, signerFor, spkiDer } from "../../src/crypto/keys.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `openssl` with `args` (no shell). Resolves with the exit code even when it is non-zero. */
export function runOpenssl(args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "openssl",
      args,
      { cwd: opts.cwd, encoding: "utf8", maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return reject(err); // ENOENT and friends: no openssl at all
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** The `openssl version` line, or undefined when the binary cannot be run. */
export async function opensslVersion(): Promise<string | undefined> {
  try {
    const r = await runOpenssl(["version"]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Maps with at most `limit` calls in flight (default: one per core, at least two). */
export async function mapLimit<T, R>(
  items: T[],
  fn: (item: T, i: number) => Promise<R>,
  limit?: number,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const width = Math.min(items.length, limit ?? Math.max(2, availableParallelism()));
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

// ---- names and GeneralNames, byte by byte ----

/** A directory-string value with an explicit universal tag (UTF8String, PrintableString, BMPString…). */
export function dirString(tag: number, text: string): Buffer {
  if (tag === 0x1e) return tlv(tag, Buffer.from(text, "utf16le").swap16());
  return tlv(tag, Buffer.from(text, tag === TAG.UTF8_STRING ? "utf8" : "latin1"));
}

/** A Name: each inner array is one RDN of [attribute OID, encoded value] pairs. An empty list = empty Name. */
export function nameDer(...rdns: [string, Buffer][][]): Buffer {
  return seq(...rdns.map((avas) => set(...avas.map(([t, v]) => seq(oid(t), v)))));
}

/** Subject with one single-valued RDN per CN, UTF8String. */
export const cnNames = (...cns: string[]): Buffer =>
  nameDer(...cns.map((cn) => [[OID.commonName, dirString(TAG.UTF8_STRING, cn)] as [string, Buffer]]));

export const GN = {
  dns: (s: string) => tlv(0x82, Buffer.from(s, "latin1")),
  ip: (octets: Uint8Array) => tlv(0x87, octets),
  email: (s: string) => tlv(0x81, Buffer.from(s, "latin1")),
  uri: (s: string) => tlv(0x86, Buffer.from(s, "latin1")),
  /** otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } (here a UTF8String). */
  otherName: (typeId: string, text: string) =>
    tlv(0xa0, oid(typeId), tlv(0xa0, dirString(TAG.UTF8_STRING, text))),
  dirName: (name: Buffer) => tlv(0xa4, name),
  rid: (dotted: string) => tlv(0x88, oid(dotted).subarray(2)),
};

/** subjectAltName from ready GeneralName TLVs; zero names gives the (legal to OpenSSL) empty SEQUENCE. */
export const sanExtension = (names: Buffer[]): Buffer => extension(OID.subjectAltName, false, seq(...names));

// ---- certificates ----

export interface TestCa {
  key: KeyObject;
  subject: Buffer;
  der: Buffer;
  pem: string;
  keyId: Buffer;
}

const DAY = 86_400_000;
let serialCounter = 1;
const nextSerial = () => Buffer.from((serialCounter++).toString(16).padStart(8, "0"), "hex");

export function makeTestCa(cn = "repl-pki identity test CA"): TestCa {
  const key = generatePrivateKey("ec-p256");
  const signer = signerFor(key);
  const subject = cnNames(cn);
  const keyId = keyIdentifier(signer.spki);
  const now = Date.now();
  const der = signCertificate(
    {
      serial: nextSerial(),
      issuer: subject,
      subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 30 * DAY),
      spki: signer.spki,
      extensions: [
        basicConstraints(true),
        keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
        subjectKeyIdentifier(keyId),
      ],
    },
    signer,
  );
  return { key, subject, der, pem: pemEncode("CERTIFICATE", der), keyId };
}

/** A server leaf signed by `ca`. `san` undefined = no subjectAltName extension at all. */
export function makeLeaf(
  ca: TestCa,
  subject: Buffer,
  san: Buffer[] | undefined,
  leafKey?: KeyObject,
): Buffer {
  const spki = spkiDer(leafKey ?? ca.key);
  const now = Date.now();
  const extensions = [
    basicConstraints(false),
    keyUsage([KEY_USAGE.digitalSignature]),
    extKeyUsage([OID.serverAuth]),
    subjectKeyIdentifier(keyIdentifier(spki)),
    authorityKeyIdentifier(ca.keyId),
  ];
  if (san) extensions.push(sanExtension(san));
  return signCertificate(
    {
      serial: nextSerial(),
      issuer: ca.subject,
      subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 7 * DAY),
      spki,
      extensions,
    },
    signerFor(ca.key),
  );
}
