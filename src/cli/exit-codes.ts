// The one table of exit codes (architecture §5.4), rendered into every command's help.
import type { ErrorCategory } from "../errors.js";

export const EXIT = { ok: 0, checkFailed: 1, usage: 2, input: 3, internal: 4 } as const;

export const EXIT_FOR_CATEGORY: Record<ErrorCategory, number> = {
  check: EXIT.checkFailed,
  usage: EXIT.usage,
  input: EXIT.input,
  internal: EXIT.internal,
};

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  a check answered no (e.g. a certificate does not verify)
  2  usage error: bad option or argument
  3  input or state error: missing/corrupt CA, file problems, name already issued
  4  internal error: a bug in repl-pki, please report it`;
