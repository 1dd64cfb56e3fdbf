// Reading a topology file (the schema lives in src/core/bundle/topology.ts).
import { readFileSync } from "node:fs";
import { parseTopology, type Topology } from "../core/bundle/topology.js";
import { InputError } from "../errors.js";
import { attempt } from "../store/fs-errors.js";

/**
 * @example
 * const topology = loadTopology("topology.json");
 */
export function loadTopology(file: string): Topology {
  let text: string;
  try {
    text = attempt("read", file, () => readFileSync(file, "utf8"));
  } catch (e) {
    if ((e as InputError).code === "FILE_NOT_FOUND") {
      throw new InputError("FILE_NOT_FOUND", `no topology file ${file}`, {
        hint: "give the path of a topology JSON file (repl-pki up --help shows the format)",
      });
    }
    throw e;
  }
  return parseTopology(text, file);
}
