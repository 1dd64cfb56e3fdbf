// What a command may touch of the process: writers, environment and the core dependencies. Tests pass
// their own, so a fresh program runs in-process (architecture §5.3).
import type { CoreDeps } from "../core/deps.js";

export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  deps: CoreDeps;
}

export const DEFAULT_DIR = "./pki";

export const caDir = (ctx: CliContext, dir: string | undefined): string =>
  dir ?? ctx.env.REPL_PKI_DIR ?? DEFAULT_DIR;

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes an aligned plain-text table (header first) from a cell function, in chunks: `list` prints
 * 100,000 rows, and holding every row or one giant string would dominate its run time.
 */
export function printTable(
  ctx: CliContext,
  header: string[],
  count: number,
  cell: (row: number, col: number) => string,
): void {
  const cols = header.length;
  const widths = header.map((h) => h.length);
  for (let r = 0; r < count; r++) {
    for (let c = 0; c < cols - 1; c++) {
      const len = cell(r, c).length;
      if (len > widths[c]!) widths[c] = len;
    }
  }
  const spaces = " ".repeat(Math.max(...widths) + 2);
  const line = (get: (c: number) => string) => {
    let out = "";
    for (let c = 0; c < cols - 1; c++) {
      const v = get(c);
      out += v + spaces.slice(0, widths[c]! - v.length + 2);
    }
    return `${out}${get(cols - 1)}\n`;
  };
  let chunk = line((c) => header[c]!);
  for (let r = 0; r < count; r++) {
    chunk += line((c) => cell(r, c));
    if (chunk.length > 65_536) {
      ctx.stdout(chunk);
      chunk = "";
    }
  }
  if (chunk) ctx.stdout(chunk);
}
