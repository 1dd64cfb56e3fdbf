// In-process workloads for the repl-pki peer benchmark.
//
// Every mode times only the work itself, inside one Node process, with
// performance.now(); process start-up, module loading and CA loading are
// outside the timed region. Each invocation prints exactly one result line:
//
//   RESULT <mode> <per-item-ms> <items> <extra>
//
// and exits 0; on failure it prints "ERROR <message>" to stderr and exits 1.
// run-peers.sh parses the RESULT line; the figures are per item (one
// certificate, or one whole CRL for the crl modes).
//
// Modes
//   floor-ec | floor-rsa            node:crypto generateKeyPairSync + crypto.sign
//                                   (SHA-256) of a 600-byte buffer with the CA key.
//                                   No DER building, no files. THE reference.
//   floor-ec-files | floor-rsa-files  the same + export the leaf key as PKCS#8 PEM
//                                   and write key + 600-byte "cert" to two files.
//   floor-rsa-async                 K x generateKeyPair (async, libuv threadpool)
//                                   all in flight at once, then sign; wall/K.
//   x509-ec | x509-rsa              naive @peculiar/x509: webcrypto generateKey +
//                                   X509CertificateGenerator.create signed by the
//                                   CA + export key + write key.pem and cert.pem.
//   crl-floor                       SHA-256 + one ECDSA signature over a buffer of
//                                   the CRL's DER size, then write those bytes.
//   x509-crl                        naive @peculiar/x509 X509CrlGenerator.create
//                                   with N entries (reason code each) + PEM + write.
//   x509-crl-probe                  x509-crl at several sizes, once each (scaling).
//   asn1-crl                        the same ASN.1 stack one level down
//                                   (@peculiar/asn1-x509 + asn1-schema, node:crypto
//                                   sign), i.e. without X509CrlGenerator's linear
//                                   duplicate-serial scan per entry: what a JS CRL
//                                   writer on this stack can reach. + PEM + write.
//   der-crl                         hand-written DER in plain JS (Buffers, no ASN.1
//                                   object model) + node:crypto sign + PEM + write:
//                                   a reference for "JS with DER building".
//
// Options: --k N (timed items)  --warm N (untimed items first)  --ca-cert F
//          --ca-key F (PKCS#8 PEM)  --out DIR  --entries N  --sizes a,b,c

import { createPrivateKey, generateKeyPair, generateKeyPairSync, sign, webcrypto } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const args = process.argv.slice(2);
const mode = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const K = Number(opt("k", 10));
const WARM = Number(opt("warm", 1));
const OUT = opt("out", "/tmp");
const CA_CERT = opt("ca-cert");
const CA_KEY = opt("ca-key");

// Bytes of DER that `openssl ca -gencrl` emits per revoked entry in the synthetic
// index (4-byte serial, UTCTime, reasonCode extension) = 37, plus the CRL's frame.
const CRL_DER_BYTES_PER_ENTRY = 37;
const CRL_DER_FRAME_BYTES = 256;

const TBS = Buffer.alloc(600, 0x5a); // stands in for a ~600-byte TBSCertificate

function result(perItemMs, items, extra = "-") {
  console.log(`RESULT ${mode} ${perItemMs.toFixed(4)} ${items} ${extra}`);
}

function pem(label, der) {
  const b64 = Buffer.from(der).toString("base64");
  const lines = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

async function timeLoop(fn) {
  for (let i = 0; i < WARM; i++) await fn(-1 - i);
  const t0 = performance.now();
  for (let i = 0; i < K; i++) await fn(i);
  return (performance.now() - t0) / K;
}

// ---------------------------------------------------------------- floors
function floorSync(kind, withFiles) {
  const caKey = createPrivateKey(readFileSync(CA_KEY));
  const gen =
    kind === "ec"
      ? () => generateKeyPairSync("ec", { namedCurve: "P-256" })
      : () => generateKeyPairSync("rsa", { modulusLength: 2048 });
  if (withFiles) mkdirSync(OUT, { recursive: true });
  return timeLoop((i) => {
    const { privateKey } = gen();
    const sig = sign("sha256", TBS, caKey);
    if (withFiles) {
      const keyPem = privateKey.export({ type: "pkcs8", format: "pem" });
      writeFileSync(join(OUT, `leaf-${i}.key`), keyPem, { mode: 0o600 });
      writeFileSync(join(OUT, `leaf-${i}.crt`), Buffer.concat([TBS, sig]));
    }
  });
}

async function floorRsaAsync() {
  const caKey = createPrivateKey(readFileSync(CA_KEY));
  const gen = promisify(generateKeyPair);
  const batch = async (n) => {
    await Promise.all(
      Array.from({ length: n }, () =>
        gen("rsa", { modulusLength: 2048 }).then(() => sign("sha256", TBS, caKey)),
      ),
    );
  };
  await batch(Math.max(2, WARM));
  const t0 = performance.now();
  await batch(K);
  return (performance.now() - t0) / K;
}

// ---------------------------------------------------------------- @peculiar/x509
async function loadX509() {
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(webcrypto);
  return x509;
}

function pemBody(text) {
  return Buffer.from(text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
}

async function x509Issue(kind) {
  const x509 = await loadX509();
  const alg =
    kind === "ec"
      ? { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" }
      : {
          name: "RSASSA-PKCS1-v1_5",
          hash: "SHA-256",
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
        };
  const ca = new x509.X509Certificate(readFileSync(CA_CERT, "utf8"));
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    pemBody(readFileSync(CA_KEY, "utf8")),
    kind === "ec" ? { name: "ECDSA", namedCurve: "P-256" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  mkdirSync(OUT, { recursive: true });
  let serial = 0x100000;
  return timeLoop(async (i) => {
    const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
    const now = new Date();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (serial++).toString(16),
      subject: `CN=replica-${i}`,
      issuer: ca.subject,
      notBefore: now,
      notAfter: new Date(now.getTime() + 365 * 864e5),
      signingKey: caKey,
      publicKey: keys.publicKey,
      signingAlgorithm: kind === "ec" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.2"]),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
    writeFileSync(join(OUT, `replica-${i}.key`), pem("PRIVATE KEY", pkcs8), { mode: 0o600 });
    writeFileSync(join(OUT, `replica-${i}.crt`), cert.toString("pem") + "\n");
  });
}

async function x509Crl(sizes, outName) {
  const x509 = await loadX509();
  const ca = new x509.X509Certificate(readFileSync(CA_CERT, "utf8"));
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    pemBody(readFileSync(CA_KEY, "utf8")),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const rows = [];
  for (const n of sizes) {
    const t0 = performance.now();
    const revoked = new Date("2025-01-01T00:00:00Z");
    const entries = new Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = {
        serialNumber: (0x1000000 + i).toString(16),
        revocationDate: revoked,
        reason: x509.X509CrlReason.superseded,
      };
    }
    const now = new Date();
    const crl = await x509.X509CrlGenerator.create({
      issuer: ca.subject,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 30 * 864e5),
      entries,
      signingKey: caKey,
      signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    });
    writeFileSync(outName(n), crl.toString("pem") + "\n");
    rows.push([n, performance.now() - t0]);
  }
  return rows;
}

async function asn1Crl(n) {
  const asn = await import("@peculiar/asn1-x509");
  const { AsnConvert, OctetString } = await import("@peculiar/asn1-schema");
  const caKey = createPrivateKey(readFileSync(CA_KEY));
  const caCert = AsnConvert.parse(pemBody(readFileSync(CA_CERT, "utf8")), asn.Certificate);
  const ecdsaSha256 = () => new asn.AlgorithmIdentifier({ algorithm: "1.2.840.10045.4.3.2" });
  const algDer = Buffer.from(AsnConvert.serialize(ecdsaSha256()));
  const derLen = (len) =>
    len < 0x80
      ? Buffer.from([len])
      : (() => {
          const b = [];
          for (let l = len; l > 0; l >>= 8) b.unshift(l & 0xff);
          return Buffer.from([0x80 | b.length, ...b]);
        })();
  const tlv = (tag, body) => Buffer.concat([Buffer.from([tag]), derLen(body.length), body]);
  const file = join(OUT, `asn1-crl-${n}.pem`);
  mkdirSync(OUT, { recursive: true });
  return timeLoop(() => {
    const revoked = new Date("2025-01-01T00:00:00Z");
    const reasonExt = () =>
      new asn.Extension({
        extnID: asn.id_ce_cRLReasons,
        critical: false,
        extnValue: new OctetString(AsnConvert.serialize(new asn.CRLReason(asn.CRLReasons.superseded))),
      });
    const list = new Array(n);
    for (let i = 0; i < n; i++) {
      const s = 0x1000000 + i;
      const serial = new Uint8Array([(s >>> 24) & 0xff, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff]);
      list[i] = new asn.RevokedCertificate({
        userCertificate: serial.buffer,
        revocationDate: new asn.Time(revoked),
        crlEntryExtensions: [reasonExt()],
      });
    }
    const now = new Date();
    const tbs = new asn.TBSCertList({
      version: asn.Version.v2,
      signature: ecdsaSha256(),
      issuer: caCert.tbsCertificate.subject,
      thisUpdate: new asn.Time(now),
      nextUpdate: new asn.Time(new Date(now.getTime() + 30 * 864e5)),
      revokedCertificates: list,
    });
    const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
    const sig = sign("sha256", tbsDer, caKey); // DER ECDSA-Sig-Value
    const der = tlv(0x30, Buffer.concat([tbsDer, algDer, tlv(0x03, Buffer.concat([Buffer.from([0]), sig]))]));
    writeFileSync(file, pem("X509 CRL", der));
  });
}

function derLen(len) {
  if (len < 0x80) return Buffer.from([len]);
  const b = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) b.unshift(l & 0xff);
  return Buffer.from([0x80 | b.length, ...b]);
}
const tlvOf = (tag, parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLen(body.length), body]);
};
const tlv = (tag, ...parts) => tlvOf(tag, parts);
const utcTime = (d) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z"));
function derInteger(hex) {
  // non-negative, hex string
  let b = Buffer.from(hex.length % 2 ? "0" + hex : hex, "hex");
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

async function derCrl(n) {
  const caKey = createPrivateKey(readFileSync(CA_KEY));
  const { X509Certificate } = await import("node:crypto");
  const caDer = new X509Certificate(readFileSync(CA_CERT)).raw;
  // issuer = subject of the CA: 6th element of TBSCertificate (after [0] version,
  // serial, signature alg, issuer, validity) -- walk the DER to find it.
  const read = (buf, off) => {
    // -> [tagOff, contentOff, end]
    let len = buf[off + 1],
      p = off + 2;
    if (len & 0x80) {
      const nb = len & 0x7f;
      len = 0;
      for (let j = 0; j < nb; j++) len = len * 256 + buf[p++];
    }
    return [off, p, p + len];
  };
  const [, certBody] = read(caDer, 0);
  const [, tbsBody, tbsEnd] = read(caDer, certBody);
  let off = tbsBody,
    idx = 0,
    issuer;
  while (off < tbsEnd) {
    const [s, , e] = read(caDer, off);
    if (caDer[s] !== 0xa0) {
      if (idx === 4) {
        issuer = caDer.subarray(s, e);
        break;
      }
      idx++;
    }
    off = e;
  }
  const alg = Buffer.from("300a06082a8648ce3d040302", "hex"); // ecdsa-with-SHA256
  const reasonExt = tlv(
    0x30,
    tlv(0x30, Buffer.from("0603551d15", "hex"), tlv(0x04, Buffer.from([0x0a, 0x01, 0x04]))),
  );
  const file = join(OUT, `der-crl-${n}.pem`);
  mkdirSync(OUT, { recursive: true });
  return timeLoop(() => {
    const revokedAt = utcTime(new Date("2025-01-01T00:00:00Z"));
    const parts = new Array(n);
    for (let i = 0; i < n; i++) {
      parts[i] = tlv(0x30, derInteger((0x1000000 + i).toString(16)), revokedAt, reasonExt);
    }
    const now = new Date();
    const tbs = tlv(
      0x30,
      Buffer.from([0x02, 0x01, 0x01]),
      alg,
      issuer,
      utcTime(now),
      utcTime(new Date(now.getTime() + 30 * 864e5)),
      tlvOf(0x30, parts),
    );
    const sig = sign("sha256", tbs, caKey);
    const der = tlv(0x30, tbs, alg, tlv(0x03, Buffer.from([0]), sig));
    writeFileSync(file, pem("X509 CRL", der));
  });
}

async function crlFloor(n) {
  const caKey = createPrivateKey(readFileSync(CA_KEY));
  const bytes = n * CRL_DER_BYTES_PER_ENTRY + CRL_DER_FRAME_BYTES;
  const buf = Buffer.alloc(bytes, 0x30); // allocation outside the timed region
  const file = join(OUT, `floor-crl-${n}.der`);
  mkdirSync(OUT, { recursive: true });
  return [
    await timeLoop(() => {
      const sig = sign("sha256", buf, caKey);
      writeFileSync(file, buf);
      writeFileSync(file + ".sig", sig);
    }),
    bytes,
  ];
}

// ---------------------------------------------------------------- main
try {
  switch (mode) {
    case "floor-ec":
      result(await floorSync("ec", false), K);
      break;
    case "floor-rsa":
      result(await floorSync("rsa", false), K);
      break;
    case "floor-ec-files":
      result(await floorSync("ec", true), K);
      break;
    case "floor-rsa-files":
      result(await floorSync("rsa", true), K);
      break;
    case "floor-rsa-async":
      result(await floorRsaAsync(), K, `threadpool=${process.env.UV_THREADPOOL_SIZE || 4}`);
      break;
    case "x509-ec":
      result(await x509Issue("ec"), K);
      break;
    case "x509-rsa":
      result(await x509Issue("rsa"), K);
      break;
    case "crl-floor": {
      const [ms, bytes] = await crlFloor(Number(opt("entries")));
      result(ms, K, `bytes=${bytes}`);
      break;
    }
    case "x509-crl": {
      const n = Number(opt("entries"));
      const [[, ms]] = await x509Crl([n], () => join(OUT, `x509-crl-${n}.pem`));
      result(ms, 1, `entries=${n}`);
      break;
    }
    case "asn1-crl": {
      const n = Number(opt("entries"));
      result(await asn1Crl(n), K, `entries=${n}`);
      break;
    }
    case "der-crl": {
      const n = Number(opt("entries"));
      result(await derCrl(n), K, `entries=${n}`);
      break;
    }
    case "x509-crl-probe": {
      const sizes = String(opt("sizes", "1000,2000,4000,8000")).split(",").map(Number);
      const rows = await x509Crl(sizes, (n) => join(OUT, `x509-probe-${n}.pem`));
      for (const [n, ms] of rows) console.log(`PROBE ${n} ${ms.toFixed(1)}`);
      // exponent of a power-law fit between the two largest sizes
      const [[n1, t1], [n2, t2]] = rows.slice(-2);
      result(rows.at(-1)[1], 1, `exponent=${(Math.log(t2 / t1) / Math.log(n2 / n1)).toFixed(2)}`);
      break;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  console.error(`ERROR ${e?.stack || e}`);
  process.exit(1);
}
