// Options shared by several commands, defined once (architecture §5.3).
import type { Command } from "commander";
import { formatSerial, parseSerial } from "../core/serial.js";
import { UsageError } from "../errors.js";
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

/** NAME, --serial HEX or --serial-decimal N: exactly one of them (serials never mistaken for NAMEs). */
export function serialSelector(name: string | undefined, o: { serial?: string; serialDecimal?: string }) {
  const given = [name, o.serial, o.serialDecimal].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new UsageError("CONFLICTING_OPTIONS", "give exactly one of NAME, --serial or --serial-decimal", {
      hint: "select the certificate by NAME, or by --serial HEX / --serial-decimal N",
    });
  }
  if (o.serial !== undefined) return { serial: formatSerial(parseSerial(o.serial)) };
  if (o.serialDecimal !== undefined) return { serial: formatSerial(parseSerial(o.serialDecimal, true)) };
  return { name };
}
