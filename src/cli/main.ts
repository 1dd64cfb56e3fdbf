// The process boundary: runs one command line and returns the exit code. Only bin/repl-pki.js sets
// process.exitCode from it.
import { systemDeps } from "../api/deps.js";
import { EXIT } from "./exit-codes.js";
import type { CliContext } from "./io.js";
import { CommanderError, createProgram, usageFromCommander } from "./program.js";
import { renderError } from "./render-error.js";

export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const json = argv.includes("--json");
  const program = createProgram(ctx, argv);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      ) {
        return EXIT.ok;
      }
      return renderError(ctx, usageFromCommander(e, argv, program), json);
    }
    return renderError(ctx, e, json);
  }
}

export function processContext(): CliContext {
  // `repl-pki verify … | head`: a closed pipe is the reader's choice, not an error worth a stack trace.
  // Output stops, but the command runs to its end and its exit code stands (pipefail scripts rely on it).
  let stdoutClosed = false;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    stdoutClosed = true;
  });
  return {
    stdout: (t) => {
      if (!stdoutClosed) process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    deps: systemDeps(),
  };
}

export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), processContext());
}
