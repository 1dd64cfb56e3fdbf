// Write the synthetic revocation database used by the CRL workload.
//
//   node mkindex.mjs N INDEX_OUT SERIALS_OUT
//
// INDEX_OUT: an OpenSSL `ca` database (index.txt) with N revoked entries, one
//   per line: R <tab> expiry <tab> revocation-date,reason <tab> serial-hex <tab>
//   unknown <tab> /CN=revoked-i. Serials are 0x01000000 + i (4 bytes, unique,
//   already ascending), every entry has reason "superseded", subjects are unique
//   (so the file also loads under unique_subject = yes). easy-rsa uses the same
//   file format for pki/index.txt.
// SERIALS_OUT: the same serials, decimal, one per line: the input format of
//   `cfssl gencrl` (which takes serials only: no dates, no reasons).
import { closeSync, openSync, writeSync } from "node:fs";

const [nStr, indexOut, serialsOut] = process.argv.slice(2);
const n = Number(nStr);
if (!Number.isInteger(n) || n < 0 || !indexOut || !serialsOut) {
  console.error("usage: node mkindex.mjs N INDEX_OUT SERIALS_OUT");
  process.exit(2);
}
const fi = openSync(indexOut, "w");
const fs = openSync(serialsOut, "w");
let a = [],
  b = [];
const flush = () => {
  writeSync(fi, a.join(""));
  writeSync(fs, b.join(""));
  a = [];
  b = [];
};
for (let i = 0; i < n; i++) {
  const s = 0x1000000 + i;
  a.push(
    `R\t300101000000Z\t250101000000Z,superseded\t${s.toString(16).toUpperCase().padStart(8, "0")}\tunknown\t/CN=revoked-${i}\n`,
  );
  b.push(`${s}\n`);
  if (a.length === 20000) flush();
}
flush();
closeSync(fi);
closeSync(fs);
