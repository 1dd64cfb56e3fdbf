// Every error reaches the user through here: "error: …" and "hint: …" on stderr (or a JSON object on
// stdout with --json), never a stack unless REPL_PKI_DEBUG=1. Anything that is not a ReplPkiError is a bug.
import { AnsweredNo, InternalError, ReplPkiError } from "../errors.js";
import { EXIT_FOR_CATEGORY } from "./exit-codes.js";
import type { CliContext } from "./io.js";

export function renderError(ctx: CliContext, err: unknown, json: boolean): number {
  const e =
    err instanceof ReplPkiError
      ? err
      : new InternalError(`unexpected failure: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  if (e instanceof AnsweredNo) return EXIT_FOR_CATEGORY.check;
  const debug = ctx.env.REPL_PKI_DEBUG === "1";
  if (json) {
    ctx.stdout(
      `${JSON.stringify({ error: { code: e.code, message: e.message, hint: e.hint ?? null, details: e.details ?? null } }, null, 2)}\n`,
    );
  } else {
    ctx.stderr(`error: ${e.message}\n`);
    if (e.hint) ctx.stderr(`hint: ${e.hint}\n`);
    if (e.category === "internal") {
      ctx.stderr("This is a bug in repl-pki. Please report it with the output of REPL_PKI_DEBUG=1.\n");
    }
  }
  if (debug) {
    let c: unknown = e;
    while (c) {
      ctx.stderr(`${(c as Error).stack ?? String(c)}\n`);
      c = (c as Error).cause;
    }
  }
  return EXIT_FOR_CATEGORY[e.category];
}
