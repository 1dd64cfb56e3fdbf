// Planning an OpenSSL hashed directory for ssl_crlpath / MASTER_SSL_CRLPATH (spec §2; OpenSSL
// crypto/x509/by_dir.c get_cert_by_subject_ex): CA certificates as <subject-hash>.<N>, CRLs as
// <issuer-hash>.r<N>, N counted from 0 per hash with no gap (the lookup stops at the first missing N).
//
// A long-running OpenSSL remembers, per hash, the first CRL suffix it did not find and only probes from
// there on, so a CRL rewritten in place under an already-loaded .rN is never re-read, while a new
// .r(N+1) is loaded at the next handshake and wins by its newer thisUpdate (spec §10, seen on MariaDB
// 10.11). So a refreshed CRL is always added under the first free suffix, never written over an old
// one; old suffixes are removed only by an explicit prune, which needs a TLS reload on every server.
import type { PlannedFile } from "../file-plan.js";

export interface HashDirInput {
  /** File names currently in the directory. */
  existing: string[];
  /** CA certificates (PEM) with their subject hash, in chain order (root first). */
  caCerts: Array<{ hash: string; pem: string | Buffer }>;
  /** New CRLs (PEM) with their issuer hash. */
  crls: Array<{ hash: string; pem: string | Buffer }>;
  /** Drop every older CRL generation: the new CRL becomes .r0 (needs a TLS reload on servers). */
  prune: boolean;
}

export interface HashDirPlan {
  write: PlannedFile[];
  remove: string[];
}

const CERT_RE = /^([0-9a-f]{8})\.(\d+)$/;
const CRL_RE = /^([0-9a-f]{8})\.r(\d+)$/;

export function planHashDir(input: HashDirInput): HashDirPlan {
  const write: PlannedFile[] = [];
  const remove: string[] = [];
  const wantedCerts = new Set<string>();
  const perHash = new Map<string, number>();
  for (const ca of input.caCerts) {
    const n = perHash.get(ca.hash) ?? 0;
    perHash.set(ca.hash, n + 1);
    const name = `${ca.hash}.${n}`;
    wantedCerts.add(name);
    write.push({ path: name, contents: ca.pem, mode: 0o644 });
  }
  const crlHashes = new Set(input.crls.map((c) => c.hash));
  for (const f of input.existing) {
    // certificate links of CAs that left the chain; CRLs of pruned hashes
    if (CERT_RE.test(f) && !wantedCerts.has(f)) remove.push(f);
    const m = CRL_RE.exec(f);
    if (m && input.prune && crlHashes.has(m[1]!)) remove.push(f);
  }
  const taken = new Set(input.existing.filter((f) => !remove.includes(f)));
  for (const crl of input.crls) {
    let k = 0;
    while (taken.has(`${crl.hash}.r${k}`)) k++; // first free suffix: never leaves a gap
    taken.add(`${crl.hash}.r${k}`);
    write.push({ path: `${crl.hash}.r${k}`, contents: crl.pem, mode: 0o644 });
  }
  // A pruned name that gets a new CRL (the .r0 of a prune) is replaced, not removed: applyHashDir
  // removes after writing, so removing it too would leave the hash with no CRL at all (error 3).
  const written = new Set(write.map((w) => w.path));
  return { write, remove: remove.filter((f) => !written.has(f)) };
}
