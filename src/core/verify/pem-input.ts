// Decoding the files a DBA points the verifier at, with the reason mysqld would give up on them.
// mysqld reads every one of them as PEM (SSL_CTX_use_certificate_chain_file, X509_STORE_load_locations
// with X509_FILETYPE_PEM): a DER file, a key, or a PEM block with another label is not a certificate.
import { InputError } from "../../errors.js";
import { type ParsedCrl, parseCrlDer } from "../crl/parse-crl.js";
import { type ParsedCertificate, parseCertificateDer } from "../x509/certificate-parse.js";
import { pemDecodeAll } from "../x509/pem.js";
import { CERT_LABELS } from "./store.js";

/** certificate: ssl_cert / MASTER_SSL_CERT; ca: ssl_ca; crl: ssl_crl. */
export type PkiFileKind = "certificate" | "ca" | "crl";

export interface DecodedPkiFile {
  certs: ParsedCertificate[];
  crls: ParsedCrl[];
}

const KEY_LABELS = new Set(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]);
const WANT: Record<PkiFileKind, string> = {
  certificate: "a PEM certificate",
  ca: "PEM CA certificates",
  crl: "a PEM CRL (label X509 CRL)",
};

function bad(path: string, why: string, hint: string): InputError {
  return new InputError("PEM_PARSE_FAILED", `${path} ${why}`, { hint, details: { path } });
}

function isDer(data: Buffer, parse: (b: Buffer) => unknown): boolean {
  if (data[0] !== 0x30) return false;
  try {
    parse(data);
    return true;
  } catch {
    return false;
  }
}

function explainMissing(data: Buffer, path: string, kind: PkiFileKind, labels: string[]): InputError {
  const want = WANT[kind];
  if (data.toString("latin1").trim() === "") return bad(path, "is empty", `give ${want}`);
  if (labels.some((l) => KEY_LABELS.has(l))) {
    return bad(
      path,
      "holds a private key, not a certificate",
      "the certificate goes in ssl_cert / MASTER_SSL_CERT, the key in ssl_key / MASTER_SSL_KEY",
    );
  }
  if (labels.length > 0) {
    const list = labels.map((l) => `"${l}"`).join(", ");
    return bad(path, `holds PEM ${list} but not ${want}`, `give ${want}`);
  }
  if (isDer(data, parseCertificateDer)) {
    return bad(
      path,
      "is a DER certificate; mysqld reads PEM only",
      `convert it: openssl x509 -inform DER -in ${path} -out ${path}.pem`,
    );
  }
  if (isDer(data, parseCrlDer)) {
    return bad(
      path,
      "is a DER CRL; mysqld reads PEM only (X509_load_cert_crl_file)",
      `convert it: openssl crl -inform DER -in ${path} -out ${path}.pem`,
    );
  }
  return bad(path, "is not a PEM file", `give ${want}`);
}

/** Every certificate and CRL of a PEM file; throws InputError PEM_PARSE_FAILED with the reason. */
export function decodePkiFile(data: Buffer, path: string, kind: PkiFileKind): DecodedPkiFile {
  const blocks = pemDecodeAll(data.toString("latin1"));
  const out: DecodedPkiFile = { certs: [], crls: [] };
  blocks.forEach((b, i) => {
    try {
      if (CERT_LABELS.has(b.label)) out.certs.push(parseCertificateDer(b.der));
      else if (b.label === "X509 CRL" && kind !== "certificate") out.crls.push(parseCrlDer(b.der));
    } catch (cause) {
      throw new InputError("PEM_PARSE_FAILED", `${path}: PEM block ${i + 1} (${b.label}) is damaged`, {
        cause,
        hint: "check the file with: openssl storeutl -noout -text FILE",
        details: { path },
      });
    }
  });
  const enough =
    kind === "certificate"
      ? out.certs.length > 0
      : kind === "crl"
        ? out.crls.length > 0
        : out.certs.length + out.crls.length > 0;
  if (!enough)
    throw explainMissing(
      data,
      path,
      kind,
      blocks.map((b) => b.label),
    );
  return out;
}
