// Loading and creating CA directories. A CA directory is created whole in a temporary sibling and
// renamed into place, so an interrupted init-ca never leaves a half CA behind.
import type { KeyObject } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { type FilePlan, publicFile, secretFile } from "../core/file-plan.js";
import { encodeEntry, INDEX_HEADER, type IndexEntry } from "../core/index/records.js";
import { type ParsedCertificate, parseCertificateDer } from "../core/x509/certificate-parse.js";
import { commonNames } from "../core/x509/name.js";
import { pemDecodeAll, pemEncode } from "../core/x509/pem.js";
import type { KeyType } from "../core/x509/signer.js";
import { keyMatchesSpki, parsePrivateKeyPem } from "../crypto/keys.js";
import { InputError } from "../errors.js";
import { materialize } from "./file-plan.js";
import { ensureDir, fsyncDir, writeFileAtomic } from "./fs-atomic.js";
import { attempt, fsError } from "./fs-errors.js";
import { type CaLayout, caLayout } from "./layout.js";

export interface CaConfig {
  format: 1;
  keyType: KeyType;
  intermediate: boolean;
  /** CAs of this directory that were revoked (name → revocation time): they must not sign again. */
  revoked?: Record<string, string>;
}

export interface CaCertificate {
  pem: string;
  parsed: ParsedCertificate;
  commonName: string;
}

export interface LoadedCa {
  layout: CaLayout;
  config: CaConfig;
  root: CaCertificate;
  intermediate: CaCertificate | undefined;
  /** The CA that signs leaves: the intermediate when there is one. */
  signing: CaCertificate;
}

function corrupt(path: string, why: string, cause?: unknown): InputError {
  return new InputError("CA_CORRUPT", `the CA file ${path} ${why}`, {
    cause,
    hint: "restore the CA directory from a backup, or create a new CA with init-ca --dir <new dir>",
  });
}

function readCaCert(path: string): CaCertificate {
  if (!existsSync(path)) throw corrupt(path, "is missing");
  const pem = attempt("read", path, () => readFileSync(path, "latin1"));
  const block = pemDecodeAll(pem).find((b) => b.label === "CERTIFICATE");
  if (!block) throw corrupt(path, "holds no PEM certificate");
  try {
    const parsed = parseCertificateDer(block.der);
    return { pem, parsed, commonName: commonNames(parsed.subject)[0] ?? "" };
  } catch (cause) {
    throw corrupt(path, "is not a valid certificate", cause);
  }
}

/** True when DIR holds a CA (its repl-pki.json). */
export const caExists = (dir: string): boolean => existsSync(caLayout(dir).config);

/** True when a certificate file for NAME exists (the fast name-uniqueness check of `issue`). */
export const leafCertExists = (ca: LoadedCa, name: string): boolean => existsSync(ca.layout.cert(name));

/**
 * Records SERIAL as taken by NAME: serials/<SERIAL> is a symlink created with O_EXCL semantics, the
 * uniqueness check for serials. Returns false when the serial is already taken.
 */
export function reserveSerial(ca: LoadedCa, name: string, serial: string): boolean {
  try {
    symlinkSync(`../certs/${name}.pem`, ca.layout.serialLink(serial));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw fsError(e, "record the serial in", ca.layout.serialsDir);
  }
}

/** Removes what an `issue` wrote before its index line failed: key, certificate and serial link. */
export function discardUncommittedLeaf(ca: LoadedCa, name: string, serial: string): void {
  for (const p of [ca.layout.key(name), ca.layout.cert(name), ca.layout.serialLink(serial)])
    rmSync(p, { force: true });
}

export function loadCa(dir: string): LoadedCa {
  const layout = caLayout(dir);
  if (!existsSync(layout.config)) {
    if (existsSync(layout.rootCert) || existsSync(layout.index)) {
      // CA files without their repl-pki.json: init-ca would refuse this directory, so do not suggest it
      throw corrupt(layout.config, "is missing (the directory holds CA files: ca/root.pem or index.log)");
    }
    throw new InputError("CA_NOT_FOUND", `no CA in ${resolve(dir)}`, {
      hint: "create one with: repl-pki init-ca --dir DIR (or set --dir / REPL_PKI_DIR to the existing CA)",
    });
  }
  let config: CaConfig;
  try {
    config = JSON.parse(attempt("read", layout.config, () => readFileSync(layout.config, "utf8")));
  } catch (cause) {
    if ((cause as { category?: string }).category) throw cause;
    throw corrupt(layout.config, "is not valid JSON", cause);
  }
  if (config.format !== 1) throw corrupt(layout.config, `has unknown format ${String(config.format)}`);
  const root = readCaCert(layout.rootCert);
  const intermediate = config.intermediate ? readCaCert(layout.intermediateCert) : undefined;
  return { layout, config, root, intermediate, signing: intermediate ?? root };
}

/** Records in repl-pki.json that a CA of the chain is revoked, so `issue` refuses to sign with it. */
export function markCaRevoked(ca: LoadedCa, name: string, at: string): void {
  const config: CaConfig = { ...ca.config, revoked: { ...ca.config.revoked, [name]: at } };
  writeFileAtomic(ca.layout.config, `${JSON.stringify(config, null, 2)}\n`, 0o644);
}

/** The private key of the signing CA, checked against its certificate. */
export function loadSigningKey(ca: LoadedCa): KeyObject {
  const path = ca.intermediate ? ca.layout.intermediateKey : ca.layout.rootKey;
  return loadCaKey(path, ca.signing);
}

export function loadCaKey(path: string, cert: CaCertificate): KeyObject {
  if (!existsSync(path)) {
    throw new InputError("CA_CORRUPT", `the CA key ${path} is missing`, {
      hint: "if the key was moved offline, bring it back for this operation",
    });
  }
  let key: KeyObject;
  try {
    key = parsePrivateKeyPem(attempt("read", path, () => readFileSync(path)));
  } catch (e) {
    if ((e as { code?: string }).code !== "PEM_PARSE_FAILED") throw e;
    throw corrupt(path, "is not a readable unencrypted private key", e);
  }
  if (!keyMatchesSpki(key, cert.parsed.spki)) {
    throw new InputError("CA_KEY_MISMATCH", `the CA key ${path} does not match the CA certificate`, {
      hint: "restore the matching key; a CA cannot sign with another key",
    });
  }
  return key;
}

export interface NewCaFiles {
  config: CaConfig;
  root: { certDer: Buffer; keyPem: string; entry: IndexEntry };
  intermediate?: { certDer: Buffer; keyPem: string; entry: IndexEntry } | undefined;
}

export function planNewCa(files: NewCaFiles): FilePlan {
  const rootPem = pemEncode("CERTIFICATE", files.root.certDer);
  const intPem = files.intermediate ? pemEncode("CERTIFICATE", files.intermediate.certDer) : "";
  const entries = [files.root.entry, ...(files.intermediate ? [files.intermediate.entry] : [])];
  const plan: FilePlan = [
    publicFile("ca/root.pem", rootPem),
    secretFile("ca/root.key", files.root.keyPem),
    publicFile("ca/chain.pem", intPem + rootPem),
    publicFile("index.log", `${INDEX_HEADER}\n${entries.map(encodeEntry).join("")}`),
    publicFile("repl-pki.json", `${JSON.stringify(files.config, null, 2)}\n`),
  ];
  if (files.intermediate) {
    plan.push(
      publicFile("ca/intermediate.pem", intPem),
      secretFile("ca/intermediate.key", files.intermediate.keyPem),
    );
  }
  return plan;
}

/** Refuses an existing CA or a non-empty directory before any key is generated. */
export function assertCaDirFree(dir: string): void {
  if (existsSync(caLayout(dir).config)) {
    throw new InputError("CA_ALREADY_EXISTS", `a CA already exists in ${resolve(dir)}`, {
      hint: "repl-pki never overwrites a CA: choose another --dir",
    });
  }
  if (existsSync(dir) && attempt("read", dir, () => readdirSync(dir)).length > 0) {
    throw new InputError("CA_ALREADY_EXISTS", `${resolve(dir)} is not empty`, {
      hint: "init-ca needs a new or empty directory: choose another --dir",
    });
  }
}

export function writeNewCa(dir: string, plan: FilePlan): void {
  const target = resolve(dir);
  const parent = dirname(target);
  ensureDir(parent, 0o755);
  const staging = join(parent, `.${basename(target)}.init-${process.pid}`);
  try {
    ensureDir(staging);
    for (const sub of ["certs", "keys", "serials"]) ensureDir(join(staging, sub));
    materialize(staging, plan);
    assertCaDirFree(target);
    if (existsSync(target)) attempt("replace", target, () => rmdirSync(target));
    attempt("create", target, () => renameSync(staging, target));
    fsyncDir(parent);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
