// Set-up of the `index` workload (untimed): a repl-pki EC CA in DIR whose index already holds N valid
// certificates, loaded through the library from a synthetic OpenSSL index (V lines).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { importOpensslIndex, initCa, systemDeps } from "../../dist/index.js";

const [dir, nText] = process.argv.slice(2);
const n = Number(nText);
if (!dir || !Number.isInteger(n) || n < 0) {
  console.error("usage: node index-prep.mjs DIR N");
  process.exit(2);
}
initCa({ dir, keyType: "ec-p256", cn: "Bench index CA" }, systemDeps());
const lines = [];
for (let i = 0; i < n; i++) {
  const serial = (0x2000000 + i).toString(16).toUpperCase().padStart(8, "0");
  lines.push(`V\t300101000000Z\t\t${serial}\tunknown\t/CN=bench-${i}\n`);
}
const file = join(dir, "synthetic-index.txt");
writeFileSync(file, lines.join(""));
importOpensslIndex({ dir, file });
