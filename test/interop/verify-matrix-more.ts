// More verify interop cases: the corners of OpenSSL's chain building and CRL selection (trusted-first,
// peer roots ignored once a trust-store certificate is used, CRL scoring), AKID with issuer and serial,
// RSA and EC mixed chains, and EKU on an intermediate.
import { tlv } from "../../src/core/der/encode.js";
import { OID } from "../../src/core/der/oids.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import {
  basicConstraints,
  extension,
  extKeyUsage,
  KEY_USAGE,
  keyUsage,
  subjectKeyIdentifier,
} from "../../src/core/x509/extensions.js";
import { generatePrivateKey } from "../../src/crypto/keys.js";
import { DAY, EXT, makeCert, makeCrl, type Party } from "../helpers/pki-builder.js";
import type { VerifyCase } from "./verify-matrix.js";

export interface MatrixContext {
  dir: string;
  w: (name: string, ...pems: string[]) => string;
  add: (c: Omit<VerifyCase, "at"> & { at?: Date }) => void;
  t: { notBefore: Date; notAfter: Date };
  crlT: { thisUpdate: Date; nextUpdate: Date };
  leafExt: (ekus?: string[] | null, extra?: Buffer[]) => (ski: Buffer, aki: Buffer) => Buffer[];
  bRoot: Party;
  bInt: Party;
  bLeaf: Party;
  read: (p: string) => string;
}

/** authorityKeyIdentifier with keyIdentifier, authorityCertIssuer (a directoryName) and serial. */
const fullAkid = (keyId: Buffer, issuerOfIssuer: Buffer, serial: Buffer) =>
  extension(
    OID.authorityKeyIdentifier,
    false,
    tlv(0x30, tlv(0x80, keyId), tlv(0xa1, tlv(0xa4, issuerOfIssuer)), tlv(0x82, serial)),
  );

export function moreCases(m: MatrixContext): void {
  const { w, add, t, crlT, leafExt, bRoot, bInt, bLeaf } = m;
  const T = t.notBefore.getTime() + DAY;

  // trusted first: a store intermediate wins over the peer's copy; a peer root is never used once a
  // trust-store certificate is in the chain
  const bIntExpired = makeCert({
    subject: bInt.subject,
    key: bInt.key,
    issuer: bRoot,
    notBefore: t.notBefore,
    notAfter: new Date(T - 3_600_000),
    ext: EXT.ca(0),
  });
  add({
    name: "peer's expired int, store int valid",
    want: "OK",
    cert: w("m-leaf-oldint.pem", bLeaf.pem, bIntExpired.pem),
    ca: "b-chain.pem",
    extras: true,
  });
  add({
    name: "peer's expired int, store root only",
    want: "10@1",
    cert: "m-leaf-oldint.pem",
    ca: "b-root.pem",
    extras: true,
  });
  add({
    name: "peer's root ignored after store int",
    want: "2@1",
    cert: w("m-leaf-root.pem", bLeaf.pem, bRoot.pem),
    ca: w("m-int.pem", bInt.pem),
    extras: true,
  });

  // CRL selection: score first, then the newer thisUpdate
  const intOldExpired = makeCrl({
    issuer: bInt,
    thisUpdate: new Date(T - 10 * DAY),
    nextUpdate: new Date(T - DAY),
  });
  const intCurrent = makeCrl({ issuer: bInt, ...crlT, number: 2n });
  const intFuture = makeCrl({
    issuer: bInt,
    thisUpdate: new Date(T + 2 * 3_600_000),
    nextUpdate: t.notAfter,
    number: 3n,
  });
  const rootCrl = makeCrl({ issuer: bRoot, ...crlT });
  const leafWith = (name: string, want: string, ...crls: string[]) =>
    add({
      name,
      want,
      cert: w(`${name.replace(/[^a-z0-9]+/gi, "-")}.pem`, bLeaf.pem),
      ca: "b-chain.pem",
      crl: w(`${name.replace(/[^a-z0-9]+/gi, "-")}.crl`, ...crls, rootCrl),
    });
  leafWith("expired + current CRL", "OK", intOldExpired, intCurrent);
  leafWith("current + expired CRL", "OK", intCurrent, intOldExpired);
  leafWith("expired + not-yet-valid CRL", "11@0", intOldExpired, intFuture);
  leafWith("only an expired CRL", "12@0", intOldExpired);
  add({
    name: "CRLs in the CA file need --crl",
    want: "OK",
    cert: "pki/certs/db2.pem",
    ca: w("m-chain+crls.pem", m.read("pki/ca/chain.pem"), m.read("pki/crl.pem")),
  });
  add({
    name: "CRLs in the CA file + crl.d",
    want: "23@0",
    cert: "pki/certs/db2.pem",
    ca: w("m-chain+oldcrls.pem", m.read("pki/ca/chain.pem"), m.read("crl-old.pem")),
    crlpath: "pki/crl.d",
  });

  // authorityKeyIdentifier with issuer name and serial (what `openssl x509 -req` writes with keyid,issuer)
  const akidLeaf = (name: string, serial: Buffer) =>
    makeCert({
      cn: name,
      issuer: bInt,
      ...t,
      ext: (ski) => [...leafExt()(ski, bInt.keyId).slice(0, 4), fullAkid(bInt.keyId, bRoot.subject, serial)],
    });
  add({
    name: "AKID issuer+serial match",
    want: "OK",
    cert: w("m-akid-ok.pem", akidLeaf("a", parseCertificateDer(bInt.der).serial).pem),
    ca: "b-chain.pem",
  });
  add({
    name: "AKID serial mismatch",
    want: "20@0",
    cert: w("m-akid-bad.pem", akidLeaf("b", Buffer.from([0x7f, 1])).pem),
    ca: "b-chain.pem",
  });

  // RSA and EC mixed
  const rsaRoot = makeCert({ cn: "RSA Root", key: generatePrivateKey("rsa-2048"), ...t, ext: EXT.ca() });
  w("m-rsa-root.pem", rsaRoot.pem);
  add({
    name: "EC leaf under RSA root",
    want: "OK",
    cert: w("m-ec-under-rsa.pem", makeCert({ cn: "c", issuer: rsaRoot, ...t, ext: leafExt() }).pem),
    ca: "m-rsa-root.pem",
  });
  add({
    name: "RSA leaf under EC root",
    want: "OK",
    cert: w(
      "m-rsa-under-ec.pem",
      makeCert({ cn: "c", key: generatePrivateKey("rsa-2048"), issuer: bRoot, ...t, ext: leafExt() }).pem,
    ),
    ca: "b-root.pem",
  });
  add({
    name: "ECDSA signature, RSA issuer key",
    want: "20@0",
    cert: w(
      "m-sigalg.pem",
      makeCert({ cn: "c", issuer: rsaRoot, signKey: generatePrivateKey("ec-p256"), ...t, ext: leafExt() })
        .pem,
    ),
    ca: "m-rsa-root.pem",
  });
  add({
    name: "RSA CRL for RSA root",
    want: "OK",
    cert: "m-ec-under-rsa.pem",
    ca: "m-rsa-root.pem",
    crl: w("m-rsa.crl", makeCrl({ issuer: rsaRoot, ...crlT })),
  });

  // intermediates with EKU or unknown critical extensions
  const serverOnlyInt = makeCert({
    cn: "ServerOnly Int",
    issuer: bRoot,
    ...t,
    ext: (ski, aki) => [...EXT.ca()(ski, aki), extKeyUsage([OID.serverAuth])],
  });
  const clientLeaf = makeCert({ cn: "c", issuer: serverOnlyInt, ...t, ext: leafExt([OID.clientAuth]) });
  add({
    name: "int EKU serverAuth, client purpose",
    want: "26@1",
    cert: w("m-ekuint.pem", clientLeaf.pem, serverOnlyInt.pem),
    ca: "b-root.pem",
    purpose: "client",
    extras: true,
  });
  const critInt = makeCert({
    cn: "Crit Int",
    issuer: bRoot,
    ...t,
    ext: (ski, aki) => [...EXT.ca()(ski, aki), EXT.unknownCritical()],
  });
  add({
    name: "int with unknown critical ext",
    want: "34@1",
    cert: w("m-critint.pem", makeCert({ cn: "c", issuer: critInt, ...t, ext: leafExt() }).pem, critInt.pem),
    ca: "b-root.pem",
    extras: true,
  });
  // a CA that signs but whose keyUsage lacks keyCertSign, at the top of the chain: accepted as a CA by
  // check_ca? no: ku_reject → invalid CA at the root
  const noCertSignRoot = makeCert({
    cn: "NoCertSign Root",
    ...t,
    ext: (ski) => [basicConstraints(true), keyUsage([KEY_USAGE.cRLSign]), subjectKeyIdentifier(ski)],
  });
  add({
    name: "root keyUsage without keyCertSign",
    want: "79@1",
    cert: w("m-ncs.pem", makeCert({ cn: "c", issuer: noCertSignRoot, ...t, ext: leafExt() }).pem),
    ca: w("m-ncs-root.pem", noCertSignRoot.pem),
  });
  // a certificate file with the key in it too (one combined PEM): the key block is skipped
  add({
    name: "cert file with a key block",
    want: "OK",
    cert: w("m-combined.pem", m.read("pki/keys/db1.key"), m.read("pki/certs/db1.pem")),
    ca: "pki/ca/chain.pem",
  });
}
