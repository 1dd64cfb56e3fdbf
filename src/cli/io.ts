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

/** Aligned plain-text table; the header row first. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  return (
    rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n") +
    "\n"
  );
}
