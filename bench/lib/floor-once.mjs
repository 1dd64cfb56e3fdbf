// Whole-process floor for a Node CLI that issues ONE certificate:
// node start-up + read the CA key + generateKeyPairSync + crypto.sign over a
// 600-byte buffer + write key (PKCS#8 PEM) and "cert" files. No DER building.
// usage: node floor-once.mjs ec|rsa CA_KEY_PEM OUT_PREFIX
import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const [kind, caKeyFile, prefix] = process.argv.slice(2);
const caKey = createPrivateKey(readFileSync(caKeyFile));
const { privateKey } =
  kind === "rsa"
    ? generateKeyPairSync("rsa", { modulusLength: 2048 })
    : generateKeyPairSync("ec", { namedCurve: "P-256" });
const tbs = Buffer.alloc(600, 0x5a);
const sig = sign("sha256", tbs, caKey);
writeFileSync(`${prefix}.key`, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
writeFileSync(`${prefix}.crt`, Buffer.concat([tbs, sig]));
