// The [mysqld] TLS settings of a bundle as a fenced block (smallstep WriteSnippet style, architecture
// §5.5): a later run replaces only the text between the markers and leaves the rest of the file alone.
import { InputError } from "../../errors.js";
import type { BundleModel } from "./model.js";
import { serverProfile } from "./versions.js";

export const BLOCK_BEGIN = "# BEGIN repl-pki managed block";
export const BLOCK_END = "# END repl-pki managed block";

/** The block, or undefined for a bundle without a server certificate (nothing to configure). */
export function renderMyCnf(m: BundleModel): string | undefined {
  if (!m.paths.cert || !m.paths.key) return undefined;
  const p = serverProfile(m.version);
  const lines = [
    `${BLOCK_BEGIN}: TLS of ${m.name} (${p.label}). Re-running repl-pki replaces this block; keep other settings outside it.`,
    "[mysqld]",
    `ssl_ca = ${m.paths.ca}`,
    `ssl_cert = ${m.paths.cert}`,
    `ssl_key = ${m.paths.key}`,
  ];
  if (m.paths.crlFile) lines.push(`ssl_crl = ${m.paths.crlFile}`);
  if (m.paths.crlDir) lines.push(`ssl_crlpath = ${m.paths.crlDir}`);
  if (p.requireSecureTransport) lines.push("require_secure_transport = ON");
  if (p.tlsVersion) lines.push(`tls_version = ${p.tlsVersion}`);
  if (m.version.flavour === "mysql" && m.version.major === 5) {
    lines.push(
      "# MySQL 5.7 sends only the first certificate of ssl_cert: the intermediates come from ssl_ca",
    );
  }
  lines.push(BLOCK_END);
  return `${lines.join("\n")}\n`;
}

const lineStart = (text: string, i: number) => text.lastIndexOf("\n", i - 1) + 1;

/**
 * `existing` with its managed block replaced by `block` (or `block` appended when there is none).
 *
 * @example
 * writeFileSync(cnf, spliceManagedBlock(readFileSync(cnf, "utf8"), readFileSync("bundle/db1/my.cnf", "utf8")));
 */
export function spliceManagedBlock(existing: string, block: string): string {
  const inner = extractManagedBlock(block) ?? block;
  const find = (marker: string, from: number) => {
    for (let i = existing.indexOf(marker, from); i >= 0; i = existing.indexOf(marker, i + 1)) {
      if (lineStart(existing, i) === i) return i;
    }
    return -1;
  };
  const begin = find(BLOCK_BEGIN, 0);
  if (begin < 0) {
    if (find(BLOCK_END, 0) >= 0) throw broken("an end marker without a begin marker");
    if (existing === "") return inner;
    return `${existing}${existing.endsWith("\n") ? "" : "\n"}\n${inner}`;
  }
  const end = find(BLOCK_END, begin);
  if (end < 0) throw broken("a begin marker without an end marker");
  if (find(BLOCK_BEGIN, begin + 1) >= 0 && find(BLOCK_BEGIN, begin + 1) < end)
    throw broken("two begin markers");
  const nl = existing.indexOf("\n", end);
  const after = nl < 0 ? "" : existing.slice(nl + 1);
  return existing.slice(0, begin) + inner + after;
}

/** The managed block (markers included) of a file, or undefined. */
export function extractManagedBlock(text: string): string | undefined {
  const begin = text.indexOf(BLOCK_BEGIN);
  if (begin < 0 || lineStart(text, begin) !== begin) return undefined;
  const end = text.indexOf(BLOCK_END, begin);
  if (end < 0) return undefined;
  const nl = text.indexOf("\n", end);
  return `${text.slice(begin, nl < 0 ? text.length : nl)}\n`;
}

function broken(why: string): InputError {
  return new InputError("MANAGED_BLOCK_BROKEN", `the option file's repl-pki block is damaged: ${why}`, {
    hint: `restore the lines "${BLOCK_BEGIN} …" and "${BLOCK_END}" around the block, or delete the block`,
  });
}
