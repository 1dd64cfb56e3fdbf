// Builds dist/cli.js (the CLI, one ESM bundle: start-up pays for one file, not a module graph) and
// dist/index.js (the library). esbuild, since tsup 9 needs Node 22.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  logLevel: "warning",
  sourcemap: false,
  // CommonJS dependencies (commander) need require() inside an ESM bundle
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  external: ["@peculiar/x509", "reflect-metadata", "node-forge", "fs-extra"],
};

await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts", index: "src/index.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
