// Bundle directories (OUT/NAME/) and the CA files a bundle is made of. Writing is a sync of a FilePlan:
// a file whose bytes and mode already match is left alone (so a second `up` writes nothing), a stale
// bundle file is removed, and a file that repl-pki never writes is never touched.
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { isBundlePath } from "../core/bundle/plan.js";
import type { FilePlan } from "../core/file-plan.js";
import { formatSerial } from "../core/serial.js";
import { formatTime } from "../core/time.js";
import { type ParsedCertificate, parseCertificateDer } from "../core/x509/certificate-parse.js";
import { pemDecodeAll } from "../core/x509/pem.js";
import { InputError } from "../errors.js";
import type { LoadedCa } from "./ca-store.js";
import { crlPaths } from "./crl-store.js";
import { ensureDir, writeFileAtomic } from "./fs-atomic.js";
import { attempt } from "./fs-errors.js";

export interface SyncResult {
  dir: string;
  written: string[];
  removed: string[];
  unchanged: string[];
}

function listRelative(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of attempt("read", dir, () => readdirSync(dir, { withFileTypes: true }))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listRelative(join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}

export function readTextIfExists(path: string): string {
  return existsSync(path) ? attempt("read", path, () => readFileSync(path, "utf8")) : "";
}

/** Makes `dir` hold exactly the plan's bundle files; with dryRun, only reports what would change. */
export function syncBundleDir(dir: string, plan: FilePlan, opts: { dryRun?: boolean } = {}): SyncResult {
  const res: SyncResult = { dir, written: [], removed: [], unchanged: [] };
  if (!opts.dryRun) ensureDir(dir);
  for (const f of plan) {
    const path = join(dir, ...f.path.split("/"));
    const want = typeof f.contents === "string" ? Buffer.from(f.contents) : f.contents;
    if (existsSync(path)) {
      const st = statSync(path);
      // more permissive than planned (a key made readable by others) is rewritten; stricter is kept
      if (st.isFile() && (st.mode & 0o777 & ~f.mode) === 0 && readFileSync(path).equals(want)) {
        res.unchanged.push(f.path);
        continue;
      }
    }
    res.written.push(f.path);
    if (opts.dryRun) continue;
    if (f.path.includes("/")) ensureDir(join(dir, ...f.path.split("/").slice(0, -1)));
    writeFileAtomic(path, want, f.mode);
  }
  const planned = new Set(plan.map((f) => f.path));
  for (const rel of listRelative(dir)) {
    if (planned.has(rel) || !isBundlePath(rel)) continue;
    res.removed.push(rel);
    if (!opts.dryRun) attempt("remove", join(dir, rel), () => rmSync(join(dir, rel), { force: true }));
  }
  const crlDir = join(dir, "crl.d");
  if (!opts.dryRun && existsSync(crlDir) && readdirSync(crlDir).length === 0) rmdirSync(crlDir);
  return res;
}

export interface LeafMaterial {
  name: string;
  pem: string;
  keyPem: string;
  parsed: ParsedCertificate;
  serial: string;
  notAfter: string;
}

/** certs/NAME.pem and keys/NAME.key of an issued certificate. */
export function readLeaf(ca: LoadedCa, name: string): LeafMaterial {
  const certPath = ca.layout.cert(name);
  const keyPath = ca.layout.key(name);
  for (const p of [certPath, keyPath]) {
    if (!existsSync(p)) {
      throw new InputError("CA_CORRUPT", `${p} is missing`, {
        hint: "the certificate is in the index but its files are gone: restore them or reissue",
      });
    }
  }
  const pem = attempt("read", certPath, () => readFileSync(certPath, "latin1"));
  const der = pemDecodeAll(pem).find((b) => b.label === "CERTIFICATE")?.der;
  if (!der) throw new InputError("CA_CORRUPT", `${certPath} holds no certificate`);
  const parsed = parseCertificateDer(der);
  return {
    name,
    pem,
    keyPem: attempt("read", keyPath, () => readFileSync(keyPath, "latin1")),
    parsed,
    serial: formatSerial(parsed.serial),
    notAfter: formatTime(parsed.notAfter),
  };
}

export function readChainPem(ca: LoadedCa): string {
  return attempt("read", ca.layout.chain, () => readFileSync(ca.layout.chain, "latin1"));
}

/** crl.pem and every file of crl.d in the CA directory (undefined / [] when not generated yet). */
export function readCaCrls(dir: string): { crlPem?: Buffer; crlDir: { name: string; contents: Buffer }[] } {
  const p = crlPaths(dir);
  const crlPem = existsSync(p.crlFile)
    ? attempt("read", p.crlFile, () => readFileSync(p.crlFile))
    : undefined;
  const names = existsSync(p.hashDir) ? attempt("read", p.hashDir, () => readdirSync(p.hashDir)) : [];
  const crlDir = names
    .filter((n) => /^[0-9a-f]{8}\.r?\d+$/.test(n))
    .sort()
    .map((name) => ({
      name,
      contents: attempt("read", join(p.hashDir, name), () => readFileSync(join(p.hashDir, name))),
    }));
  return { crlPem, crlDir };
}
