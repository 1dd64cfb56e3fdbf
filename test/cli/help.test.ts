// Help text is documentation: every command documents examples and the exit-code table.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram } from "../../src/cli/program.js";
import { VERSION } from "../../src/version.js";
import { runCli } from "../helpers/cli.js";
import { testDeps } from "../helpers/deps.js";

function allCommands(cmd: Command, path: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...path, c.name()], ...allCommands(c, [...path, c.name()])]);
}

const program = createProgram({ stdout: () => {}, stderr: () => {}, env: {}, deps: testDeps() });
const commands = allCommands(program).filter((p) => p[0] !== "help");

describe("help", () => {
  it("covers the foundation commands", () => {
    const names = commands.map((c) => c.join(" "));
    for (const n of ["init-ca", "issue server", "issue replica", "issue relay", "list", "show"])
      expect(names).toContain(n);
  });
  it.each(commands)("%s --help has a description, Examples and Exit codes", async (...path) => {
    const r = await runCli([...path, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: repl-pki /);
    expect(r.stdout).toMatch(/\nExamples:\n {2}repl-pki /);
    expect(r.stdout).toMatch(/\nExit codes:\n {2}0 {2}success\n {2}1 .*\n {2}2 .*\n {2}3 .*\n {2}4 /);
    expect(r.stdout).not.toMatch(/TODO/i);
  });
  it("prints the version and top-level help with exit 0, and help on no arguments with exit 2", async () => {
    expect(await runCli(["--version"])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const help = await runCli(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Quick start:/);
    expect((await runCli([])).code).toBe(2);
  });
  it("turns an unknown command into a usage error with a hint", async () => {
    const r = await runCli(["isue"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown command 'isue'/);
    expect(r.stderr).toMatch(/Did you mean issue\?/);
    expect(r.stderr).toMatch(/hint: run: repl-pki/);
  });
});
