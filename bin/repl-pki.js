#!/usr/bin/env node
// The executable. `--version` and `--help` are answered from dist/fast-path.json (rendered at build time
// from the real program by scripts/build.mjs, and compared with it by test/cli/bin.test.ts); everything
// else loads the CLI bundle.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const fast = args.length === 1 ? { "--version": "version", "-V": "version", "--help": "help", "-h": "help" }[args[0]] : undefined;
if (fast) {
  process.stdout.write(JSON.parse(readFileSync(new URL("../dist/fast-path.json", import.meta.url), "utf8"))[fast]);
} else {
  const { main } = createRequire(import.meta.url)("../dist/cli.cjs");
  await main();
}
