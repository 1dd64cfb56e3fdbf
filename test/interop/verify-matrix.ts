// The verify interop matrix: files written into `dir`, and the cases over them. Library-made PKI
// first (what repl-pki users have), then hand-built certificates for each way a chain can break.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { refreshCrls } from "../../src/api/crl.js";
import { initCa } from "../../src/api/init-ca.js";
import { issue } from "../../src/api/issue.js";
import { revoke } from "../../src/api/revoke.js";
import { parseCrlDer } from "../../src/core/crl/parse-crl.js";
import { OID } from "../../src/core/der/oids.js";
import type { Flavour } from "../../src/core/identity/check-host.js";
import type { Purpose } from "../../src/core/verify/chain-checks.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import {
  basicConstraints,
  extKeyUsage,
  KEY_USAGE,
  keyUsage,
  subjectKeyIdentifier,
} from "../../src/core/x509/extensions.js";
import { commonNameDer } from "../../src/core/x509/name.js";
import { opensslNameHash } from "../../src/core/x509/name-hash.js";
import { pemDecodeAll, pemEncode } from "../../src/core/x509/pem.js";
import { generatePrivateKey } from "../../src/crypto/keys.js";
import { FIXED_NOW, testDeps } from "../helpers/deps.js";
import { DAY, EXT, makeCert, makeCrl, type Party } from "../helpers/pki-builder.js";
import { moreCases } from "./verify-matrix-more.js";

export interface VerifyCase {
  name: string;
  /** What the case is meant to produce in OpenSSL: "OK" or "<code>@<depth>" ("|" separates choices). */
  want: string;
  cert: string;
  ca?: string;
  capath?: string;
  crl?: string;
  crlpath?: string;
  host?: string;
  purpose?: Purpose;
  flavour?: Flavour;
  at: Date;
  /** The certificate file holds more than the leaf (passed to openssl as -untrusted). */
  extras?: boolean;
}

const T = FIXED_NOW;
const at0 = new Date(T.getTime() + 3_600_000);
const after = (ms: number) => new Date(T.getTime() + ms);

export function buildMatrix(dir: string): VerifyCase[] {
  const w = (name: string, ...pems: string[]) => {
    writeFileSync(join(dir, name), pems.join(""));
    return name;
  };
  const cases: VerifyCase[] = [];
  const add = (c: Omit<VerifyCase, "at"> & { at?: Date }) => cases.push({ at: at0, ...c });

  // ---- library-made: root + intermediate, CRLs for both, one revoked server ----
  const deps = testDeps(T);
  const pki = join(dir, "pki");
  initCa({ dir: pki, keyType: "ec-p256", intermediate: true }, deps);
  issue({ dir: pki, name: "db1", role: "server", hosts: ["db1.example.com"], ips: ["10.0.0.5"] }, deps);
  issue({ dir: pki, name: "db2", role: "server", hosts: ["db2.example.com"] }, deps);
  issue({ dir: pki, name: "r1", role: "replica" }, deps);
  issue({ dir: pki, name: "rel1", role: "relay", hosts: ["rel1.example.com"] }, deps);
  refreshCrls({ dir: pki }, deps);
  copyFileSync(join(pki, "crl.pem"), join(dir, "crl-old.pem"));
  revoke({ dir: pki, name: "db2", reason: "keyCompromise" }, deps);
  const read = (p: string) => readFileSync(join(dir, p), "latin1");
  const root = parseCertificateDer(pemDecodeAll(read("pki/ca/root.pem"))[0]!.der);
  const crlPems = pemDecodeAll(read("pki/crl.pem")).map((b) => ({
    pem: pemEncode("X509 CRL", b.der),
    isRoot: parseCrlDer(b.der).issuer.equals(root.subject),
  }));
  w("crl-root.pem", ...crlPems.filter((c) => c.isRoot).map((c) => c.pem));
  w("crl-int.pem", ...crlPems.filter((c) => !c.isRoot).map((c) => c.pem));
  w("crl-both-gens.pem", read("crl-old.pem"), read("pki/crl.pem"));
  w("db1+int.pem", read("pki/certs/db1.pem"), read("pki/ca/intermediate.pem"));
  const db1 = parseCertificateDer(pemDecodeAll(read("pki/certs/db1.pem"))[0]!.der);
  const nextUpdate = after(30 * DAY); // refreshCrls default: 30 days from the clock
  const A = { cert: "pki/certs/db1.pem", ca: "pki/ca/chain.pem" };

  add({ name: "lib: chain", want: "OK", ...A });
  add({ name: "lib: chain + crl.pem", want: "OK", ...A, crl: "pki/crl.pem" });
  add({ name: "lib: chain + crl.d", want: "OK", ...A, crlpath: "pki/crl.d" });
  add({
    name: "lib: crl.d as capath and crlpath",
    want: "OK",
    cert: A.cert,
    capath: "pki/crl.d",
    crlpath: "pki/crl.d",
  });
  add({ name: "lib: root CRL only", want: "3@0", ...A, crl: "crl-root.pem" });
  add({ name: "lib: intermediate CRL only", want: "3@1", ...A, crl: "crl-int.pem" });
  add({ name: "lib: CRL expired", want: "12@0", ...A, crl: "pki/crl.pem", at: after(31 * DAY) });
  add({ name: "lib: at nextUpdate", want: "12@0", ...A, crl: "pki/crl.pem", at: nextUpdate });
  add({
    name: "lib: 1 s before nextUpdate",
    want: "OK",
    ...A,
    crl: "pki/crl.pem",
    at: new Date(nextUpdate.getTime() - 1000),
  });
  add({ name: "lib: revoked server", want: "23@0", cert: "pki/certs/db2.pem", ca: A.ca, crl: "pki/crl.pem" });
  add({
    name: "lib: revoked, older CRL",
    want: "OK",
    cert: "pki/certs/db2.pem",
    ca: A.ca,
    crl: "crl-old.pem",
  });
  add({
    name: "lib: revoked, both generations",
    want: "23@0",
    cert: "pki/certs/db2.pem",
    ca: A.ca,
    crl: "crl-both-gens.pem",
  });
  add({
    name: "lib: revoked via crl.d",
    want: "23@0",
    cert: "pki/certs/db2.pem",
    ca: A.ca,
    crlpath: "pki/crl.d",
  });
  add({ name: "lib: replica as client", want: "OK", cert: "pki/certs/r1.pem", ca: A.ca, purpose: "client" });
  add({ name: "lib: replica as server", want: "26@0", cert: "pki/certs/r1.pem", ca: A.ca });
  add({ name: "lib: server as client", want: "26@0", ...A, purpose: "client" });
  add({ name: "lib: relay as client", want: "OK", cert: "pki/certs/rel1.pem", ca: A.ca, purpose: "client" });
  add({
    name: "lib: relay as server",
    want: "OK",
    cert: "pki/certs/rel1.pem",
    ca: A.ca,
    host: "rel1.example.com",
  });
  for (const [host, want] of [
    ["db1.example.com", "OK"],
    ["DB1.Example.COM", "OK"],
    ["db2.example.com", "62@0"],
    ["10.0.0.5", "OK"],
    ["10.0.0.6", "64@0"],
    ["::ffff:10.0.0.5", "64@0"],
  ] as const) {
    add({ name: `lib: host ${host}`, want, ...A, host });
  }
  add({
    name: "lib: host mismatch before CRL",
    want: "62@0",
    ...A,
    crl: "crl-root.pem",
    host: "db2.example.com",
  });
  add({
    name: "lib: root CA file, int in cert",
    want: "OK",
    cert: "db1+int.pem",
    ca: "pki/ca/root.pem",
    extras: true,
  });
  add({ name: "lib: root CA file, no int", want: "20@0", cert: A.cert, ca: "pki/ca/root.pem" });
  add({ name: "lib: intermediate-only CA file", want: "2@1", cert: A.cert, ca: "pki/ca/intermediate.pem" });
  add({ name: "lib: leaf expired", want: "10@0", ...A, at: new Date(db1.notAfter.getTime() + 1000) });
  add({
    name: "lib: leaf expired, CRL first",
    want: "12@0",
    ...A,
    crl: "pki/crl.pem",
    at: new Date(db1.notAfter.getTime() + 1000),
  });
  add({ name: "lib: at notAfter", want: "10@0", ...A, at: db1.notAfter });
  add({ name: "lib: at notBefore", want: "OK", ...A, at: db1.notBefore });
  add({ name: "lib: 1 s before notBefore", want: "9@2", ...A, at: new Date(db1.notBefore.getTime() - 1000) });
  add({ name: "lib: all expired", want: "10@2", ...A, at: after(4000 * DAY) });

  // ---- hand-built ----
  const nb = after(-DAY);
  const na = after(30 * DAY);
  const t = { notBefore: nb, notAfter: na };
  const leafExt = (ekus: string[] | null = [OID.serverAuth], extra: Buffer[] = []) =>
    EXT.leaf(ekus, [EXT.san(["db1.example.com"]), ...extra]);
  const bRoot = makeCert({ cn: "B Root", ...t, ext: EXT.ca() });
  const bInt = makeCert({ cn: "B Int", issuer: bRoot, ...t, ext: EXT.ca(0) });
  const bLeaf = makeCert({ cn: "db1.example.com", issuer: bInt, ...t, ext: leafExt() });
  w("b-root.pem", bRoot.pem);
  w("b-chain.pem", bInt.pem, bRoot.pem);
  const crlT = { thisUpdate: after(-3_600_000), nextUpdate: na };
  w("b-crls.pem", makeCrl({ issuer: bInt, ...crlT }), makeCrl({ issuer: bRoot, ...crlT }));
  const leafCase = (name: string, want: string, leaf: Party, extra: Partial<VerifyCase> = {}) =>
    add({
      name,
      want,
      cert: w(`${name.replace(/[^a-z0-9]+/gi, "-")}.pem`, leaf.pem),
      ca: "b-chain.pem",
      ...extra,
    });

  leafCase("b: good", "OK", bLeaf);
  leafCase("b: good + CRLs", "OK", bLeaf, { crl: "b-crls.pem" });
  const ss = makeCert({ cn: "db1.example.com", ...t, ext: leafExt() });
  leafCase("self-signed leaf", "18@0", ss);
  leafCase("self-signed leaf in CA file", "OK", ss, { ca: w("ss-ca.pem", ss.pem) });
  const bare = (ski: Buffer) => [
    basicConstraints(false),
    extKeyUsage([OID.serverAuth]),
    subjectKeyIdentifier(ski),
  ];
  const lookA = makeCert({ cn: "db1.example.com", ...t, ext: (ski) => bare(ski).slice(0, 2) });
  const lookB = makeCert({ cn: "db1.example.com", ...t, ext: (ski) => bare(ski).slice(0, 2) });
  leafCase("self-signed look-alike", "18@0", lookA, { ca: w("lookB.pem", lookB.pem) });
  leafCase(
    "CN = CA CN, no AKID",
    "18@0",
    makeCert({ subject: bRoot.subject, issuer: bRoot, ...t, ext: bare }),
    { ca: "b-root.pem" },
  );
  leafCase(
    "CN = CA CN, with AKID",
    "OK",
    makeCert({ subject: bRoot.subject, issuer: bRoot, ...t, ext: EXT.leaf() }),
    { ca: "b-root.pem" },
  );
  add({ name: "CA cert as server cert", want: "26@0", cert: "b-root.pem", ca: "b-root.pem" });
  leafCase(
    "clientAuth-only as server",
    "26@0",
    makeCert({ cn: "c", issuer: bInt, ...t, ext: leafExt([OID.clientAuth]) }),
  );
  leafCase("no EKU as server", "OK", makeCert({ cn: "c", issuer: bInt, ...t, ext: leafExt(null) }));
  leafCase("no EKU as client", "OK", makeCert({ cn: "c", issuer: bInt, ...t, ext: leafExt(null) }), {
    purpose: "client",
  });
  leafCase(
    "unknown critical extension",
    "34@0",
    makeCert({ cn: "c", issuer: bInt, ...t, ext: leafExt(null, [EXT.unknownCritical()]) }),
  );
  leafCase(
    "wrong signature",
    "7@0",
    makeCert({ cn: "c", issuer: bInt, signKey: generatePrivateKey("ec-p256"), ...t, ext: leafExt() }),
  );
  leafCase(
    "leaf shares the CA key",
    "OK",
    makeCert({ cn: "c", issuer: bInt, key: bInt.key, ...t, ext: leafExt() }),
  );
  leafCase("v1 leaf", "OK", makeCert({ cn: "db1.example.com", issuer: bInt, ...t, v1: true }), {
    host: "db1.example.com",
  });

  const intCase = (name: string, want: string, intExt: Parameters<typeof makeCert>[0]["ext"], v1 = false) => {
    const int = makeCert({ cn: `${name} int`, issuer: bRoot, ...t, ext: intExt, v1 });
    const leaf = makeCert({ cn: "c", issuer: int, ...t, ext: leafExt() });
    add({
      name,
      want,
      cert: w(`${name.replace(/[^a-z0-9]+/gi, "-")}.pem`, leaf.pem, int.pem),
      ca: "b-root.pem",
      extras: true,
    });
  };
  intCase("int CA:FALSE", "79@1", (ski, aki) =>
    EXT.ca()(ski, aki).map((e, i) => (i === 0 ? basicConstraints(false) : e)),
  );
  intCase("int without basicConstraints", "79@1", (ski, aki) => EXT.ca()(ski, aki).slice(1));
  intCase("int keyUsage without keyCertSign", "79@1", (ski, aki) =>
    EXT.ca()(ski, aki).map((e, i) => (i === 1 ? keyUsage([KEY_USAGE.cRLSign]) : e)),
  );
  intCase("v1 intermediate", "79@1", undefined, true);
  const i0 = makeCert({ cn: "P0", issuer: bRoot, ...t, ext: EXT.ca(0) });
  const i1 = makeCert({ cn: "P1", issuer: i0, ...t, ext: EXT.ca() });
  const pl = makeCert({ cn: "c", issuer: i1, ...t, ext: leafExt() });
  add({
    name: "pathLen 0 exceeded",
    want: "25@2",
    cert: w("pathlen.pem", pl.pem, i1.pem, i0.pem),
    ca: "b-root.pem",
    extras: true,
  });
  const v1Root = makeCert({ cn: "V1 Root", ...t, v1: true });
  leafCase("v1 root", "OK", makeCert({ cn: "c", issuer: v1Root, ...t, ext: leafExt() }), {
    ca: w("v1root.pem", v1Root.pem),
  });

  const autoCa = makeCert({
    cn: "MySQL_Server_8.0.26_Auto_Generated_CA_Certificate",
    ...t,
    ext: (ski, aki) => EXT.ca()(ski, aki).slice(0, 1),
  });
  const auto = makeCert({
    cn: "MySQL_Server_8.0.26_Auto_Generated_Server_Certificate",
    issuer: autoCa,
    ...t,
  });
  w("auto-ca.pem", autoCa.pem);
  leafCase("auto-generated, no host", "OK", auto, { ca: "auto-ca.pem" });
  leafCase("auto-generated, host", "62@0", auto, { ca: "auto-ca.pem", host: "db1.example.com" });

  // CRLs
  const crlCase = (name: string, want: string, crl: string, extra: Partial<VerifyCase> = {}) =>
    leafCase(name, want, bLeaf, {
      crl: w(`${name.replace(/[^a-z0-9]+/gi, "-")}.crl`, crl, makeCrl({ issuer: bRoot, ...crlT })),
      ...extra,
    });
  crlCase(
    "CRL signed by another key",
    "8@0",
    makeCrl({ issuer: bInt, signKey: generatePrivateKey("ec-p256"), ...crlT }),
  );
  crlCase("CRL with another key id", "3@0", makeCrl({ issuer: bInt, akid: Buffer.alloc(20, 7), ...crlT }));
  crlCase(
    "CRL not yet valid",
    "11@0",
    makeCrl({ issuer: bInt, thisUpdate: after(2 * 3_600_000), nextUpdate: na }),
  );
  crlCase("intermediate revoked", "23@1", makeCrl({ issuer: bInt, ...crlT }), {
    crl: w(
      "int-revoked.crl",
      makeCrl({ issuer: bInt, ...crlT }),
      makeCrl({ issuer: bRoot, ...crlT, revoked: [bInt] }),
    ),
  });
  const noCrlSign = makeCert({
    cn: "NoCrlSign Root",
    ...t,
    ext: (ski, aki) => EXT.ca()(ski, aki).map((e, i) => (i === 1 ? keyUsage([KEY_USAGE.keyCertSign]) : e)),
  });
  add({
    name: "CRL issuer without cRLSign",
    want: "35@0",
    cert: w("ncs-leaf.pem", makeCert({ cn: "c", issuer: noCrlSign, ...t, ext: leafExt() }).pem),
    ca: w("ncs-root.pem", noCrlSign.pem),
    crl: w("ncs.crl", makeCrl({ issuer: noCrlSign, ...crlT })),
  });

  // other chain shapes
  const dRoot = makeCert({ cn: "D Root", ...t, ext: EXT.ca() });
  const dInt = makeCert({ cn: "D Int", issuer: dRoot, ...t, ext: EXT.ca() });
  const dLeaf = makeCert({ cn: "c", issuer: dInt, ...t, ext: leafExt() });
  add({
    name: "self-signed root in chain",
    want: "19@2",
    cert: w("d.pem", dLeaf.pem, dInt.pem, dRoot.pem),
    ca: "b-root.pem",
    extras: true,
  });
  const eRoot = makeCert({ cn: "E Root", ...t, ext: EXT.ca() });
  const eInt = makeCert({ cn: "E Int", issuer: eRoot, notBefore: nb, notAfter: T, ext: EXT.ca() });
  add({
    name: "intermediate expired",
    want: "10@1",
    cert: w("e.pem", makeCert({ cn: "c", issuer: eInt, ...t, ext: leafExt() }).pem, eInt.pem),
    ca: w("e-root.pem", eRoot.pem),
    extras: true,
  });
  const fOld = makeCert({ subject: commonNameDer("F Root"), ...t, ext: EXT.ca() });
  const fNew = makeCert({ subject: commonNameDer("F Root"), ...t, ext: EXT.ca() });
  w("f-roots.pem", fOld.pem, fNew.pem);
  leafCase(
    "rollover: two same-name roots, new",
    "OK",
    makeCert({ cn: "c", issuer: fNew, ...t, ext: leafExt() }),
    { ca: "f-roots.pem" },
  );
  leafCase(
    "rollover: two same-name roots, old",
    "OK",
    makeCert({ cn: "c", issuer: fOld, ...t, ext: leafExt() }),
    { ca: "f-roots.pem" },
  );

  // hashed directories
  mkdirSync(join(dir, "b-hashed"));
  mkdirSync(join(dir, "b-misnamed"));
  w(`b-hashed/${opensslNameHash(bRoot.subject)}.0`, bRoot.pem);
  w(`b-hashed/${opensslNameHash(bInt.subject)}.0`, bInt.pem);
  w(`b-hashed/${opensslNameHash(bInt.subject)}.r0`, makeCrl({ issuer: bInt, ...crlT }));
  w(`b-hashed/${opensslNameHash(bRoot.subject)}.r0`, makeCrl({ issuer: bRoot, ...crlT }));
  w("b-misnamed/0123abcd.0", bRoot.pem, bInt.pem);
  leafCase("capath", "OK", bLeaf, { ca: undefined, capath: "b-hashed" });
  leafCase("capath + crlpath", "OK", bLeaf, { ca: undefined, capath: "b-hashed", crlpath: "b-hashed" });
  leafCase("capath with misnamed files", "20@0", bLeaf, { ca: undefined, capath: "b-misnamed" });
  leafCase("crlpath without the root CRL", "3@1", bLeaf, {
    crlpath: (() => {
      mkdirSync(join(dir, "b-crl-int"));
      w(`b-crl-int/${opensslNameHash(bInt.subject)}.r0`, makeCrl({ issuer: bInt, ...crlT }));
      return "b-crl-int";
    })(),
  });

  // MariaDB: chain without a host, then X509_check_host || X509_check_ip_asc
  const cnIp = makeCert({ cn: "10.0.0.5", issuer: bInt, ...t, ext: EXT.leaf() });
  leafCase("mariadb: IP host, CN-only cert", "OK", cnIp, { host: "10.0.0.5", flavour: "mariadb" });
  leafCase("mysql-8: IP host, CN-only cert", "64@0", cnIp, { host: "10.0.0.5" });
  leafCase("mariadb: host mismatch", "OK", bLeaf, { host: "db2.example.com", flavour: "mariadb" });
  leafCase("mariadb: revoked chain", "23@1", bLeaf, {
    host: "db1.example.com",
    flavour: "mariadb",
    crl: "int-revoked.crl",
  });
  moreCases({ dir, w, add, t, crlT, leafExt, bRoot, bInt, bLeaf, read });
  return cases;
}
