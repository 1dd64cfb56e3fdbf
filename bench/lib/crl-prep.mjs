// REPL_PKI_CRL_PREP for repl-pki (see repl-pki.sh): turns the empty $RP_DIR into a repl-pki CA whose root
// is the bench's EC CA, with the $RP_N revoked entries of $RP_INDEX loaded through the library
// (importOpensslIndex), so `repl-pki crl --dir $RP_DIR` signs the same revocation set as openssl ca.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { importOpensslIndex, initCa, systemDeps } from "../../dist/index.js";

const { RP_DIR, RP_INDEX, RP_CA_CERT, RP_CA_KEY, RP_N } = process.env;
if (!RP_DIR || !RP_INDEX || !RP_CA_CERT || !RP_CA_KEY) {
  console.error("crl-prep: RP_DIR, RP_INDEX, RP_CA_CERT and RP_CA_KEY must be set (run from run-peers.sh)");
  process.exit(2);
}
const dir = RP_DIR;
initCa({ dir, keyType: "ec-p256", cn: "bench" }, systemDeps());
for (const f of ["root.pem", "chain.pem"]) copyFileSync(RP_CA_CERT, join(dir, "ca", f));
copyFileSync(RP_CA_KEY, join(dir, "ca", "root.key"));
const r = importOpensslIndex({ dir, file: RP_INDEX });
if (r.revoked !== Number(RP_N)) {
  console.error(`crl-prep: imported ${r.revoked} revoked entries, expected ${RP_N}`);
  process.exit(1);
}
