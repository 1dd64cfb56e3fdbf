// Reading a topology file (the schema lives in src/core/bundle/topology.ts).
import { parseTopology, type Topology } from "../core/bundle/topology.js";
import { InputError } from "../errors.js";
import { readInputFile } from "../store/files.js";

/**
 * @example
 * const topology = loadTopology("topology.json");
 */
export function loadTopology(file: string): Topology {
  let text: string;
  try {
    text = readInputFile(file, "utf8");
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
