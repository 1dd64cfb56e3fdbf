// RFC 7468 textual encoding. Labels matter: OpenSSL (and so mysqld's ssl_crl) reads only "X509 CRL",
// never the "CRL" label @peculiar/x509 writes (../shared/bench/results-peers.md, observation 2).

export type PemLabel = "CERTIFICATE" | "X509 CRL" | "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY";

export function pemEncode(label: PemLabel, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * The same encoding straight into a Buffer, for CRLs of tens of megabytes: no 64-character line strings
 * (a 1M-entry CRL would otherwise make ~780k of them and add ~250 MB of heap).
 */
export function pemEncodeBuffer(label: PemLabel, der: Uint8Array): Buffer {
  const b64 = Buffer.from(
    Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64"),
    "latin1",
  );
  const head = Buffer.from(`-----BEGIN ${label}-----\n`, "latin1");
  const tail = Buffer.from(`-----END ${label}-----\n`, "latin1");
  const lines = Math.ceil(b64.length / 64);
  const out = Buffer.allocUnsafe(head.length + b64.length + lines + tail.length);
  let off = head.copy(out, 0);
  for (let i = 0; i < b64.length; i += 64) {
    off += b64.copy(out, off, i, Math.min(i + 64, b64.length));
    out[off++] = 0x0a;
  }
  tail.copy(out, off);
  return out;
}

export interface PemBlock {
  label: string;
  der: Buffer;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Text outside blocks (openssl's "Bag Attributes") is ignored. */
export function pemDecodeAll(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const body = m[2]!.replace(/\s+/g, "");
    out.push({ label: m[1]!, der: Buffer.from(body, "base64") });
  }
  return out;
}
