// Bulk fixtures (issue 7), measured in one process against floors measured in the same run:
//   1. EC: createFixtures({ replicas: 1000 }) in memory (the file plan, nothing written), per replica
//      certificate, vs the in-process floor: generateKeyPairSync('ec', P-256) + one crypto.sign. Goal ≤ 10×.
//   2. RSA-2048: createFixtures({ keyType: "rsa-2048", replicas: 22 }) (24 keys: root, source, 22
//      replicas), keys generated on the libuv pool, vs a single-threaded generateKeyPairSync loop over the
//      same number of keys. Goal: throughput ≥ 1.6× the loop (both cores used).
//   3. Writing the 1000-replica plan to disk, reported separately (per file).
// Rounds alternate the two sides so machine drift hits both; the ratio is the median over rounds.
// usage: node bench/lib/fixtures-bulk.mjs [--rounds 3] [--ec 1000] [--rsa 24]    (after npm run build)
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..", "..");
const { createFixtures } = await import(join(root, "dist", "index.js"));

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROUNDS = arg("rounds", 3);
const EC_N = arg("ec", 1000);
const RSA_KEYS = arg("rsa", 24);
const AT = "2030-01-01T00:00:00Z";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 3) => x.toFixed(d);

const caKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
const tbs = Buffer.alloc(600, 0x5a);
function ecFloor(n) {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    generateKeyPairSync("ec", { namedCurve: "P-256" });
    sign("sha256", tbs, caKey);
  }
  return (performance.now() - t) / n;
}
async function ecFixtures(n, seed) {
  const t = performance.now();
  const r = await createFixtures({ replicas: n, seed, at: AT });
  const ms = (performance.now() - t) / n;
  if (r.manifest.scenarios[0].certificates.replicas.length !== n) throw new Error("wrong replica count");
  return ms;
}
function rsaSync(keys) {
  const t = performance.now();
  for (let i = 0; i < keys; i++) generateKeyPairSync("rsa", { modulusLength: 2048 });
  return performance.now() - t;
}
async function rsaFixtures(keys) {
  const t = performance.now();
  await createFixtures({ replicas: keys - 2, keyType: "rsa-2048", at: AT }); // + root + source
  return performance.now() - t;
}

// warm-up (JIT, module-level caches), untimed
ecFloor(50);
await ecFixtures(50, "warm");
rsaSync(1);
await rsaFixtures(3);

const ec = [];
const rsa = [];
for (let r = 0; r < ROUNDS; r++) {
  const floorFirst = r % 2 === 0;
  const f1 = floorFirst ? ecFloor(EC_N) : undefined;
  const fx = await ecFixtures(EC_N, `round-${r}`);
  const floor = f1 ?? ecFloor(EC_N);
  ec.push({ floor, fx, ratio: fx / floor });
  const s1 = floorFirst ? rsaSync(RSA_KEYS) : undefined;
  const par = await rsaFixtures(RSA_KEYS);
  const seq = s1 ?? rsaSync(RSA_KEYS);
  rsa.push({ seq, par, speedup: seq / par });
  console.error(
    `round ${r + 1}/${ROUNDS}: EC ${fmt(fx)} ms/cert vs floor ${fmt(floor)} (x${fmt(fx / floor, 2)}); ` +
      `RSA ${RSA_KEYS} keys: loop ${fmt(seq, 0)} ms, fixtures ${fmt(par, 0)} ms (x${fmt(seq / par, 2)})`,
  );
}

const out = mkdtempSync(join(tmpdir(), "repl-pki-fixtures-bench-"));
let write;
try {
  const r = await createFixtures({ out: join(out, "fx"), replicas: EC_N, seed: "write", at: AT });
  write = { files: r.plan.length, ms: r.timings.writeMs };
} finally {
  rmSync(out, { recursive: true, force: true });
}

const ecRatio = median(ec.map((x) => x.ratio));
const rsaSpeedup = median(rsa.map((x) => x.speedup));
console.log(
  `fixtures bulk benchmark (node ${process.version}, ${availableParallelism()} cores, ${ROUNDS} rounds)`,
);
console.log(
  `  EC P-256, ${EC_N} replicas in memory: ${fmt(median(ec.map((x) => x.fx)))} ms/cert; floor (keygen + sign) ` +
    `${fmt(median(ec.map((x) => x.floor)))} ms/cert; ratio ${fmt(ecRatio, 2)}x (goal <= 10x)`,
);
console.log(
  `  RSA-2048, ${RSA_KEYS} keys: single-threaded loop ${fmt(median(rsa.map((x) => x.seq)), 0)} ms; createFixtures ` +
    `${fmt(median(rsa.map((x) => x.par)), 0)} ms; throughput ${fmt(rsaSpeedup, 2)}x the loop (goal >= 1.6x)`,
);
console.log(
  `  writing the ${EC_N}-replica plan: ${write.files} files in ${fmt(write.ms, 0)} ms (${fmt((write.ms / write.files) * 1000, 0)} us/file)`,
);
console.log(`RESULT ec_ratio=${fmt(ecRatio, 2)} rsa_speedup=${fmt(rsaSpeedup, 2)}`);
