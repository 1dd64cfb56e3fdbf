// The reference for `repl-pki list`: a node process that reads the same index file and splits it into
// records and fields (no checksum, no output), i.e. the least a listing must do.
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8");
let fields = 0;
for (const line of text.split("\n")) if (line) fields += line.split("\t").length;
if (fields === 0) process.exit(1);
