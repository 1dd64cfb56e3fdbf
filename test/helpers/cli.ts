// Runs the CLI in-process on a fresh commander program and captures what it printed.
import { randomBytes } from "node:crypto";
import { nodeKeySource } from "../../src/api/deps.js";
import { run } from "../../src/cli/main.js";
import type { CoreDeps } from "../../src/core/deps.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  opts: { env?: Record<string, string | undefined>; deps?: Partial<CoreDeps> } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const deps: CoreDeps = {
    clock: () => new Date(),
    random: (n) => randomBytes(n),
    keys: nodeKeySource,
    ...opts.deps,
  };
  const code = await run(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: opts.env ?? {},
    deps,
  });
  return { code, stdout, stderr };
}
