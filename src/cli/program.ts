// A fresh commander program per run (commander keeps parsed values on the instance; architecture §5.3).
import { Command, CommanderError } from "commander";
import { UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { bundleCommand } from "./commands/bundle.js";
import { checkHostCommand } from "./commands/check-host.js";
import { crlCommand } from "./commands/crl.js";
import { doctorCommand } from "./commands/doctor.js";
import { fixturesCommand } from "./commands/fixtures.js";
import { initCaCommand } from "./commands/init-ca.js";
import { issueCommand } from "./commands/issue.js";
import { listCommand } from "./commands/list.js";
import { revokeCommand } from "./commands/revoke.js";
import { showCommand } from "./commands/show.js";
import { upCommand } from "./commands/up.js";
import { verifyCommand } from "./commands/verify.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";
import type { CliContext } from "./io.js";

function configure(cmd: Command, ctx: CliContext): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr, outputError: () => {} });
  for (const sub of cmd.commands) configure(sub, ctx);
}

const COMMANDS: Record<string, (ctx: CliContext) => Command> = {
  "init-ca": initCaCommand,
  issue: issueCommand,
  list: listCommand,
  show: showCommand,
  revoke: revokeCommand,
  crl: crlCommand,
  verify: verifyCommand,
  "check-host": checkHostCommand,
  doctor: doctorCommand,
  up: upCommand,
  bundle: bundleCommand,
  fixtures: fixturesCommand,
};

/**
 * A fresh program. Given the command line, only the command it names is built (the others' option
 * tables and help texts cost every start ~3 ms, and `issue` runs once per certificate); without one,
 * or for an unknown name (suggestions need them all), every command is.
 */
export function createProgram(ctx: CliContext, argv?: string[]): Command {
  const program = new Command("repl-pki")
    .description("Certificate authority and PKI toolkit for MySQL and MariaDB replication over TLS")
    .version(VERSION, "-V, --version")
    .helpCommand(true)
    // an option belongs to the command it follows (needed for `crl show --dir`, whose parent has --dir too)
    .enablePositionalOptions()
    .showSuggestionAfterError(true);
  const first = argv?.[0];
  const only = first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
  for (const [name, make] of Object.entries(COMMANDS))
    if (!only || name === only) program.addCommand(make(ctx));
  program.addHelpText(
    "after",
    `\nQuick start:\n  repl-pki init-ca\n  repl-pki issue server source1 --host source1.example.com\n  repl-pki issue replica replica1\n\nEnvironment:\n  REPL_PKI_DIR    default for --dir (else ./pki)\n  REPL_PKI_DEBUG  1 shows the cause chain and stack of an error\n\n${EXIT_CODES_HELP}\n`,
  );
  configure(program, ctx);
  return program;
}

/** Commander's own parse errors, as our usage errors (exit 2) with a hint to the command's help. */
export function usageFromCommander(e: CommanderError, argv: string[], program?: Command): UsageError {
  const message = e.message.replace(/^error: /, "");
  // the command path the user typed: known command names only (an option's value is not one)
  const path: string[] = [];
  let cmd = program;
  for (const a of argv) {
    const sub = cmd?.commands.find((c) => c.name() === a);
    if (!sub) break;
    path.push(a);
    cmd = sub;
  }
  const code = e.code === "commander.unknownCommand" ? "UNKNOWN_COMMAND" : "INVALID_OPTION_VALUE";
  return new UsageError(code, message, {
    hint: `run: repl-pki ${path.length ? `${path.join(" ")} ` : ""}--help`,
  });
}

export { CommanderError };
