#!/usr/bin/env node
// The executable: the CLI bundled into one file by scripts/build.mjs (module resolution is paid once).
import { main } from "../dist/cli.js";

await main();
