// The --out directory of commands that write a whole new tree (fixtures): it must be new or empty, so a
// second run never mixes its files with a previous run's, unless the user says --force.
import { readdirSync } from "node:fs";
import { InputError } from "../errors.js";
import { fsError } from "./fs-errors.js";

export function assertOutDirUsable(out: string, force: boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR")
      throw new InputError("OUT_DIR_NOT_EMPTY", `--out ${out} is a file, not a directory`);
    throw fsError(e, "read", out);
  }
  if (entries.length > 0 && !force) {
    throw new InputError("OUT_DIR_NOT_EMPTY", `--out ${out} is not empty`, {
      hint: "choose a new directory, remove the old fixtures, or add --force to write over them",
    });
  }
}
