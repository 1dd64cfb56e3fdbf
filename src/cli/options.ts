// Options shared by several commands, defined once (architecture §5.3).
import type { Command } from "commander";
import { EXIT_CODES_HELP } from "./exit-codes.js";

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function dirOption(cmd: Command): Command {
  return cmd.option("--dir <dir>", "CA directory (default: $REPL_PKI_DIR or ./pki)");
}

export function jsonOption(cmd: Command): Command {
  return cmd.option("--json", "machine-readable output on stdout (errors too)");
}

/** Adds the Examples and Exit codes sections every command's help must have (tested in help.test.ts). */
export function helpSections(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText(
    "after",
    `\nExamples:\n${examples.map((e) => `  ${e}`).join("\n")}\n\n${EXIT_CODES_HELP}\n`,
  );
}
