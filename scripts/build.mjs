// Builds dist/cli.cjs (the CLI) and dist/index.js (the library) as minified bundles: start-up pays
// for one file, not a module graph (esbuild, since tsup 9 needs Node 22). Then renders
// dist/fast-path.json (version and top-level help), which bin/repl-pki.js prints without loading the
// bundle: `repl-pki --version` / `--help` then cost about one bare node start (issue 8).
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

/**
 * commander requires node:child_process at load time, only for executable subcommands, which repl-pki
 * does not use; loading it (with net, dgram and the stream stack) costs every start several ms.
 */
const noChildProcess = {
  name: "no-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes("node_modules/commander")
        ? { path: "child_process", namespace: "stub" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents:
        "const no = () => { throw new Error('executable subcommands are not supported'); }; module.exports = { spawn: no, execFileSync: no };",
      loader: "js",
    }));
  },
};

rmSync("dist", { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  minify: true, // less to parse at every start: the CLI runs once per certificate in scripts
  logLevel: "warning",
  // CommonJS dependencies (commander) need require() inside an ESM bundle
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  external: ["@peculiar/x509", "reflect-metadata"],
  plugins: [noChildProcess],
};
// The CLI: one CommonJS file. Node loads a CJS file ~5 ms faster than the same code as ESM (no async
// module linking), measured on the 2-core machines; the rarely used commands' code is in it but only
// evaluated when their dynamic import() runs.
await build({
  ...common,
  format: "cjs",
  banner: {},
  entryPoints: { cli: "src/cli/main.ts" },
  outExtension: { ".js": ".cjs" },
  outdir: "dist",
});
// The library: one file, no shared chunks with the CLI.
await build({ ...common, entryPoints: { index: "src/index.ts" }, outdir: "dist", splitting: false });

const cli = (args) =>
  execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `process.argv.splice(1, 0, "repl-pki"); import("./dist/cli.cjs").then((m) => m.main())`,
      "--",
      ...args,
    ],
    { encoding: "utf8" },
  );
writeFileSync("dist/fast-path.json", JSON.stringify({ version: cli(["--version"]), help: cli(["--help"]) }));
