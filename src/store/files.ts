// Plain reads of files the user names (topologies, CRLs, OpenSSL indexes): every node:fs error becomes a
// typed error with a hint (fs-errors.ts), and the api/ layer never touches node:fs itself.
import { existsSync, readFileSync, statSync } from "node:fs";
import { attempt } from "./fs-errors.js";

export const fileExists = (path: string): boolean => existsSync(path);

/** Permission bits of a file, or undefined when it does not exist. */
export function fileMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

export function readInputFile(path: string): Buffer;
export function readInputFile(path: string, encoding: BufferEncoding): string;
export function readInputFile(path: string, encoding?: BufferEncoding): Buffer | string {
  return attempt("read", path, () => (encoding ? readFileSync(path, encoding) : readFileSync(path)));
}
