// `npm run bench -- --quick` must keep working (issue 8): run it whole and check that every repl-pki row
// was timed and its output verified by the harness (certificate chains to the CA with the right key type,
// CRL entry count and signature). Ratios are printed, not asserted: the machines are shared and noisy.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";

const ROOT = join(import.meta.dirname, "..", "..");

it("bench --quick runs every workload and checks repl-pki's outputs", () => {
  const out = tempDir("repl-pki-bench-out-");
  const r = spawnSync("bash", [join(ROOT, "bench", "run-peers.sh"), "--quick", "--out", out], {
    encoding: "utf8",
    timeout: 600_000,
  });
  expect(r.status, r.stderr.slice(-3000)).toBe(0);
  const report = r.stdout;
  console.log(report);
  const row = (workload: string) => {
    const start = report.indexOf(`\n${workload} `);
    expect(start, `workload ${workload} in the report`).toBeGreaterThanOrEqual(0);
    const block = report.slice(start + 1, report.indexOf("\n\n", start + 1));
    const line = block.split("\n").find((l) => /^\S*\s+repl-pki\s/.test(l) || /^\s+repl-pki\s/.test(l));
    expect(line, `a repl-pki row in ${workload}`).toBeDefined();
    return line!;
  };
  for (const w of [
    "cold-start",
    "ec-leaf",
    "rsa-leaf",
    "crl-10k",
    "crl-100k",
    "index-1k-issue",
    "index-100k-issue",
    "list-100k",
  ]) {
    expect(row(w)).toMatch(/\s\d+(\.\d+)?\s+\d[\d.]*–[\d.]+\s+\d[\d.]*\s/); // median, min–max, ratio
    expect(row(w)).not.toMatch(/FAILED|skipped|WRONG/);
  }
  const checks = report.slice(report.indexOf("output checks:"));
  for (const w of ["ec-leaf", "rsa-leaf", "index-1k-issue"])
    expect(checks).toMatch(new RegExp(`${w} / repl-pki: leaf key .*chains to CA`));
  for (const [w, n] of [
    ["crl-10k", 10000],
    ["crl-100k", 100000],
  ] as const) {
    expect(checks).toContain(`${w} / repl-pki: ${n} entries, signature OK`);
  }
  const mdFile = readdirSync(out).find((f) => /^results-.*\.md$/.test(f));
  expect(mdFile, "the markdown results file").toBeDefined();
  expect(readFileSync(join(out, mdFile!), "utf8")).toMatch(/\| repl-pki/);
}, 600_000);
