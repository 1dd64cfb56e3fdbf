import { Command } from "commander";
import type { FixturesProgress } from "../../api/fixtures.js";
import { parseKeyType } from "../../api/issue.js";
import { UsageError } from "../../errors.js";
import { type CliContext, printJson, printTable } from "../io.js";
import { helpSections, jsonOption } from "../options.js";

const TOPOLOGY_TITLE = "valid topology: one source and --replicas N replicas";

function parseReplicas(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new UsageError("INVALID_OPTION_VALUE", `--replicas must be a whole number, not "${text}"`);
  }
  return n;
}

/** A self-overwriting progress line on stderr, at most every 100 ms (and always at the end). */
function progressPrinter(ctx: CliContext): (p: FixturesProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const end = p.done === p.total;
    if (!end && now - last < 100) return;
    last = now;
    const what = p.phase === "build" ? "replica certificates" : "files written";
    ctx.stderr(`\rfixtures: ${p.done}/${p.total} ${what}${end ? "\n" : ""}`);
  };
}

async function printList(ctx: CliContext): Promise<void> {
  const { SCENARIOS } = await import("../../core/fixtures/fixtures.js");
  const rows = [...SCENARIOS.map((s) => [s.name, s.title]), ["topology", TOPOLOGY_TITLE]];
  printTable(ctx, ["SCENARIO", "WHAT IT IS"], rows.length, (r, c) => rows[r]![c]!);
}

export function fixturesCommand(ctx: CliContext): Command {
  const cmd = new Command("fixtures")
    .description(
      "write good and deliberately broken TLS fixtures for MySQL/MariaDB replication tests, with a manifest of the expected verdicts",
    )
    .option("--out <dir>", "output directory (must be empty or new, unless --force)")
    .option("--scenario <name...>", "only these scenarios (repeatable; default: all, see --list)")
    .option("--key-type <type>", "key type of scenarios that do not fix their own", "ec-p256")
    .option("--seed <text>", "derive serials and EC keys from this text (reproducible with --at)")
    .option("--at <time>", "the time all dates are relative to, ISO 8601 UTC (default: now)")
    .option("--replicas <n>", "replicas in the topology scenario; alone, writes only that scenario")
    .option("--force", "write into a non-empty --out")
    .option("--list", "list the scenarios and exit")
    .option("--progress", "show progress on stderr (default: when stderr is a terminal)")
    .option("--no-progress", "never show progress");
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki fixtures --out ./fx --seed ci --at 2030-01-01T00:00:00Z",
    "repl-pki fixtures --out ./fx --scenario valid --scenario source-revoked --key-type rsa-2048",
    "repl-pki fixtures --out ./fx --replicas 1000",
    "repl-pki fixtures --list",
  ]);
  return cmd.action(async (o) => {
    if (o.list) return printList(ctx);
    if (o.out === undefined) {
      throw new UsageError("MISSING_ARGUMENT", "fixtures needs --out DIR", {
        hint: "e.g. repl-pki fixtures --out ./fixtures (or --list to see the scenarios)",
      });
    }
    const showProgress: boolean = o.progress ?? Boolean(process.stderr.isTTY);
    const { createFixtures } = await import("../../api/fixtures.js"); // loaded only when used: it is large
    const r = await createFixtures(
      {
        out: o.out,
        scenarios: o.scenario,
        keyType: parseKeyType(o.keyType),
        seed: o.seed,
        at: o.at,
        replicas: o.replicas === undefined ? undefined : parseReplicas(o.replicas),
        force: Boolean(o.force),
        onProgress: showProgress ? progressPrinter(ctx) : undefined,
      },
      ctx.deps,
    );
    const m = r.manifest;
    if (o.json) return printJson(ctx, { out: r.out, files: r.plan.length, manifest: m });
    const rows = m.scenarios.map((s) => [s.name, s.expect.mariadb.outcome, s.title]);
    printTable(ctx, ["SCENARIO", "MARIADB", "WHAT IT IS"], rows.length, (i, c) => rows[i]![c]!);
    ctx.stdout(`\nWrote ${r.plan.length} files to ${r.out} (expected verdicts: ${r.out}/manifest.json)\n`);
    ctx.stdout(
      `All dates are relative to ${m.at}: verify with openssl verify -attime or run the servers then.\n`,
    );
    if (m.seed === null)
      ctx.stdout("Not reproducible: give --seed and --at for the same serials, names, dates and EC keys.\n");
  });
}
