// `repl-pki crl show [FILE]`: what a DBA needs to know about a CRL file before it breaks replication.
import { parseCrlDer } from "../core/crl/parse-crl.js";
import { formatTime } from "../core/time.js";
import { opensslNameOneline } from "../core/x509/name-oneline.js";
import { pemDecodeAll } from "../core/x509/pem.js";
import { verifySignedDer } from "../crypto/verify-signature.js";
import { InputError } from "../errors.js";
import { caExists, loadCa } from "../store/ca-store.js";
import { crlPaths } from "../store/crl-store.js";
import { fileExists, readInputFile } from "../store/files.js";

export interface CrlSummary {
  issuer: string;
  number: string | null;
  thisUpdate: string;
  nextUpdate: string | null;
  /** Seconds until nextUpdate (negative: expired). */
  secondsLeft: number | null;
  expired: boolean;
  entries: number;
  /** "ok" / "bad" against the CA in --dir, or "unknown issuer" when that CA is not there. */
  signature: "ok" | "bad" | "unknown issuer";
  verdict: string;
}

function readCrlBlocks(file: string): Buffer[] {
  if (!fileExists(file)) {
    throw new InputError("FILE_NOT_FOUND", `no CRL file ${file}`, {
      hint: "run repl-pki crl first, or give the path of a CRL file",
    });
  }
  const data = readInputFile(file);
  const blocks = pemDecodeAll(data.toString("latin1"));
  const crls = blocks.filter((b) => b.label === "X509 CRL").map((b) => b.der);
  if (crls.length > 0) return crls;
  const why =
    blocks.length > 0
      ? `holds PEM ${blocks.map((b) => `"${b.label}"`).join(", ")} but no "X509 CRL" block`
      : data[0] === 0x30
        ? "is DER; mysqld's ssl_crl reads PEM only (X509_load_cert_crl_file)"
        : "is not a PEM CRL";
  throw new InputError("PEM_PARSE_FAILED", `${file} ${why}`, {
    hint: "convert with: openssl crl -inform DER -in FILE -out FILE.pem (a CRL PEM label must be X509 CRL)",
  });
}

export function showCrls(opts: { dir: string; file?: string; now: Date }): CrlSummary[] {
  const file = opts.file ?? crlPaths(opts.dir).crlFile;
  const cas = caExists(opts.dir) ? loadCa(opts.dir) : undefined;
  const caCerts = cas ? [cas.root, ...(cas.intermediate ? [cas.intermediate] : [])] : [];
  return readCrlBlocks(file).map((der) => {
    let crl: ReturnType<typeof parseCrlDer>;
    try {
      crl = parseCrlDer(der);
    } catch (cause) {
      throw new InputError("PEM_PARSE_FAILED", `${file} holds a damaged CRL`, {
        cause,
        hint: "regenerate it with repl-pki crl",
      });
    }
    const ca = caCerts.find((c) => c.parsed.subject.equals(crl.issuer));
    const signature = !ca
      ? "unknown issuer"
      : verifySignedDer(crl.tbs, crl.signatureAlgorithm, crl.signature, ca.parsed.spki)
        ? "ok"
        : "bad";
    const next = crl.nextUpdate;
    const secondsLeft = next ? Math.floor((next.getTime() - opts.now.getTime()) / 1000) : null;
    const expired = secondsLeft !== null && secondsLeft <= 0;
    const verdict = next
      ? expired
        ? `EXPIRED at ${formatTime(next)}: every new replication connection checked against this CRL is refused (OpenSSL error 12, "CRL has expired")`
        : `after ${formatTime(next)}, every new replication connection checked against this CRL is refused`
      : "no nextUpdate: OpenSSL never treats it as expired";
    return {
      issuer: opensslNameOneline(crl.issuer, 3),
      number: crl.crlNumber === undefined ? null : String(crl.crlNumber),
      thisUpdate: formatTime(crl.thisUpdate),
      nextUpdate: next ? formatTime(next) : null,
      secondsLeft,
      expired,
      entries: crl.entryCount,
      signature,
      verdict,
    };
  });
}
