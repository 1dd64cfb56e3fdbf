// Reading the certificate, CA and CRL files and hashed directories that `verify`, `check-host` and
// `doctor` are pointed at. Decoding and the reasons a file is refused live in core/verify/pem-input.ts.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type DecodedPkiFile, decodePkiFile, type PkiFileKind } from "../core/verify/pem-input.js";
import type { HashedDir } from "../core/verify/store.js";
import { InputError } from "../errors.js";
import { attempt } from "./fs-errors.js";

function missing(path: string, what: string): InputError {
  return new InputError("FILE_NOT_FOUND", `no ${what} ${path}`, {
    hint: "check the path (mysqld resolves relative paths from its data directory, repl-pki from here)",
    details: { path },
  });
}

export function readPkiFile(path: string, kind: PkiFileKind): DecodedPkiFile {
  const what = kind === "crl" ? "CRL file" : kind === "ca" ? "CA file" : "certificate file";
  if (!existsSync(path)) throw missing(path, what);
  if (statSync(path).isDirectory()) {
    throw new InputError("PEM_PARSE_FAILED", `${path} is a directory, not a ${what}`, {
      hint:
        kind === "certificate"
          ? "give the certificate file"
          : `a hashed directory goes in --${kind === "crl" ? "crlpath" : "capath"}`,
      details: { path },
    });
  }
  return decodePkiFile(
    attempt("read", path, () => readFileSync(path)),
    path,
    kind,
  );
}

/** A hashed directory (ssl_capath / ssl_crlpath) as the verifier's store reads it, one file at a time. */
export function hashedDir(dir: string, label: string): HashedDir {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError("FILE_NOT_FOUND", `no directory ${dir} for ${label}`, {
      hint: `${label} takes an OpenSSL hashed directory (<hash>.0 certificates, <hash>.r0 CRLs), e.g. the CA's crl.d`,
      details: { path: dir },
    });
  }
  return {
    label,
    read: (file) => {
      const p = join(dir, file);
      if (!existsSync(p)) return undefined;
      try {
        return readFileSync(p);
      } catch {
        return undefined; // an unreadable file ends OpenSSL's suffix walk just like a missing one
      }
    },
  };
}
