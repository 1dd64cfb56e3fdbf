// Runs an external program with an argument array (never a shell string) and returns what it said.
import { spawnSync } from "node:child_process";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ExecResult {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    input: opts.input,
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** openssl must exist: on CI a missing openssl is a failure, never a skip (.ci/run installs it). */
export function opensslCli(args: string[], input?: string): ExecResult {
  return exec("openssl", args, { input });
}
