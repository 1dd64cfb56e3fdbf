// A tiny independent PKI made with the real `openssl` CLI (req / x509 -req / ca -revoke / ca -gencrl).
// The e2e tests use it as the reference: what these files make MariaDB do is what repl-pki's bundles must
// match. Nothing here uses repl-pki code.

import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { findExecutable, run } from "./harness.js";

export interface OpensslCa {
  dir: string;
  name: string;
  subject: string;
  certPath: string;
  keyPath: string;
  configPath: string;
  /** Where writeOpensslCrl() writes by default. */
  crlPath: string;
}

export interface OpensslLeaf {
  name: string;
  subject: string;
  certPath: string;
  keyPath: string;
  /** Serial as uppercase hex, as `openssl x509 -serial` prints it. */
  serial: string;
}

export type KeySpec = "rsa2048" | "ec-p256";

function openssl(): string {
  const bin = findExecutable(["openssl"]);
  if (!bin) throw new Error("openssl not found: apt-get install -y openssl");
  return bin;
}

export async function runOpenssl(args: readonly string[], opts: { cwd?: string } = {}): Promise<string> {
  const r = await run(openssl(), args, { cwd: opts.cwd, timeoutMs: 60_000 });
  if (r.code !== 0)
    throw new Error(`openssl ${args.join(" ")} failed (code ${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function newKeyArgs(spec: KeySpec): string[] {
  return spec === "rsa2048"
    ? ["-newkey", "rsa:2048"]
    : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
}

/** A self-signed root CA plus a minimal `openssl ca` database for revocation and CRLs. */
export async function createOpensslCa(
  dir: string,
  opts: { name?: string; cn?: string; days?: number; key?: KeySpec } = {},
): Promise<OpensslCa> {
  const name = opts.name ?? "ca";
  const cn = opts.cn ?? "repl-pki e2e root CA";
  await mkdir(path.join(dir, "newcerts"), { recursive: true });
  const ca: OpensslCa = {
    dir,
    name,
    subject: `/O=repl-pki e2e/CN=${cn}`,
    certPath: path.join(dir, `${name}.pem`),
    keyPath: path.join(dir, `${name}-key.pem`),
    configPath: path.join(dir, `${name}-openssl.cnf`),
    crlPath: path.join(dir, `${name}-crl.pem`),
  };
  await writeFile(path.join(dir, "index.txt"), "");
  await writeFile(path.join(dir, "index.txt.attr"), "unique_subject = no\n");
  await writeFile(path.join(dir, "crlnumber"), "1000\n");
  await writeFile(path.join(dir, "serial"), "1000\n");
  await writeFile(
    ca.configPath,
    [
      "[ ca ]",
      "default_ca = CA_default",
      "[ CA_default ]",
      `dir = ${dir}`,
      "database = $dir/index.txt",
      "new_certs_dir = $dir/newcerts",
      `certificate = ${ca.certPath}`,
      `private_key = ${ca.keyPath}`,
      "serial = $dir/serial",
      "crlnumber = $dir/crlnumber",
      "default_md = sha256",
      "default_days = 365",
      "default_crl_days = 30",
      "policy = policy_any",
      "unique_subject = no",
      "[ policy_any ]",
      "commonName = supplied",
      "[ crl_ext ]",
      "authorityKeyIdentifier = keyid:always",
      "",
    ].join("\n"),
  );
  await runOpenssl([
    "req",
    "-x509",
    ...newKeyArgs(opts.key ?? "rsa2048"),
    "-noenc",
    "-keyout",
    ca.keyPath,
    "-out",
    ca.certPath,
    "-days",
    String(opts.days ?? 3650),
    "-sha256",
    "-subj",
    ca.subject,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await writeOpensslCrl(ca);
  return ca;
}

export interface LeafOptions {
  /** File stem: <dir>/<name>-cert.pem, <name>-key.pem. */
  name: string;
  cn: string;
  /** e.g. ["DNS:localhost", "IP:127.0.0.1"]; omitted = no SAN extension at all. */
  san?: string[];
  /** e.g. "serverAuth", "clientAuth"; omitted = no EKU extension. */
  eku?: string;
  days?: number;
  key?: KeySpec;
  /** Output directory; default the CA's. */
  dir?: string;
}

/** Issues a leaf certificate signed by `ca` (openssl req + x509 -req with an extension file). */
export async function issueOpensslLeaf(ca: OpensslCa, o: LeafOptions): Promise<OpensslLeaf> {
  const dir = o.dir ?? ca.dir;
  await mkdir(dir, { recursive: true });
  const keyPath = path.join(dir, `${o.name}-key.pem`);
  const certPath = path.join(dir, `${o.name}-cert.pem`);
  const csrPath = path.join(dir, `${o.name}.csr`);
  const extPath = path.join(dir, `${o.name}-ext.cnf`);
  const subject = `/O=repl-pki e2e/CN=${o.cn}`;
  const key = o.key ?? "rsa2048";
  const ext = [
    "[ v3 ]",
    "basicConstraints = critical,CA:FALSE",
    `keyUsage = critical,${key === "rsa2048" ? "digitalSignature,keyEncipherment" : "digitalSignature"}`,
    "subjectKeyIdentifier = hash",
    "authorityKeyIdentifier = keyid,issuer",
    ...(o.eku ? [`extendedKeyUsage = ${o.eku}`] : []),
    ...(o.san && o.san.length > 0 ? [`subjectAltName = ${o.san.join(",")}`] : []),
    "",
  ];
  await writeFile(extPath, ext.join("\n"));
  await runOpenssl([
    "req",
    "-new",
    ...newKeyArgs(key),
    "-noenc",
    "-keyout",
    keyPath,
    "-out",
    csrPath,
    "-subj",
    subject,
  ]);
  const serial = `0x${randomBytes(8).toString("hex").replace(/^./, "1")}`;
  await runOpenssl([
    "x509",
    "-req",
    "-in",
    csrPath,
    "-CA",
    ca.certPath,
    "-CAkey",
    ca.keyPath,
    "-set_serial",
    serial,
    "-days",
    String(o.days ?? 365),
    "-sha256",
    "-extfile",
    extPath,
    "-extensions",
    "v3",
    "-out",
    certPath,
  ]);
  const serialOut = await runOpenssl(["x509", "-in", certPath, "-noout", "-serial"]);
  return { name: o.name, subject, certPath, keyPath, serial: serialOut.trim().replace(/^serial=/, "") };
}

/** Marks `leaf` revoked in the CA database (does not write a CRL; call writeOpensslCrl()). */
export async function revokeOpensslLeaf(
  ca: OpensslCa,
  leaf: OpensslLeaf,
  reason = "keyCompromise",
): Promise<void> {
  await runOpenssl([
    "ca",
    "-batch",
    "-config",
    ca.configPath,
    "-revoke",
    leaf.certPath,
    "-crl_reason",
    reason,
  ]);
}

/**
 * Generates a CRL from the CA database. `out` defaults to ca.crlPath. The file is written in place
 * (same path, same inode: openssl ca -gencrl writes to stdout and we overwrite the target).
 */
export async function writeOpensslCrl(
  ca: OpensslCa,
  opts: { out?: string; days?: number } = {},
): Promise<string> {
  const pem = await runOpenssl([
    "ca",
    "-batch",
    "-gencrl",
    "-config",
    ca.configPath,
    "-crlexts",
    "crl_ext",
    "-crldays",
    String(opts.days ?? 30),
  ]);
  const out = opts.out ?? ca.crlPath;
  await writeFile(out, pem);
  return out;
}

/** Copies a file's bytes to `to` (overwriting in place if it exists). */
export async function copyInPlace(from: string, to: string): Promise<void> {
  await writeFile(to, await readFile(from));
}

/** `openssl verify` with CRL checking, for cross-checking what the server decides. Returns combined output. */
export async function opensslVerify(
  ca: OpensslCa,
  certPath: string,
  opts: { crl?: string; purpose?: "sslserver" | "sslclient"; host?: string; ip?: string } = {},
): Promise<{ ok: boolean; output: string }> {
  const args = ["verify", "-CAfile", ca.certPath];
  if (opts.crl) args.push("-CRLfile", opts.crl, "-crl_check_all");
  if (opts.purpose) args.push("-purpose", opts.purpose);
  if (opts.host) args.push("-verify_hostname", opts.host);
  if (opts.ip) args.push("-verify_ip", opts.ip);
  args.push(certPath);
  const r = await run(openssl(), args, { timeoutMs: 60_000 });
  return { ok: r.code === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
