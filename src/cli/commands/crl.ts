import { Command } from "commander";
import type { CrlResult } from "../../api/crl.js";
import { parseDays, parseDuration } from "../../core/time.js";
import { AnsweredNo, CheckFailure, UsageError } from "../../errors.js";
import { type CliContext, caDir, printJson, printTable } from "../io.js";
import { dirOption, helpSections, jsonOption } from "../options.js";

export function printCrlReport(ctx: CliContext, r: CrlResult): void {
  const header = ["CA", "ACTION", "NUMBER", "ENTRIES", "NEXT UPDATE", "crl.d FILE"];
  const rows = r.crls.map((c) => [c.ca, c.action, c.number, String(c.entries), c.nextUpdate, c.hashFile]);
  printTable(ctx, header, rows.length, (i, c) => rows[i]![c]!);
  if (r.written)
    ctx.stdout(
      `ssl_crl / MASTER_SSL_CRL:         ${r.crlFile}\nssl_crlpath / MASTER_SSL_CRLPATH: ${r.hashDir}\n`,
    );
  else ctx.stdout("Every CRL is current: nothing written.\n");
  if (r.pruned) {
    ctx.stdout(
      "Pruned old CRL generations: run FLUSH SSL (MariaDB) / ALTER INSTANCE RELOAD TLS (MySQL >= 8.0.16) on every server that reads crl.d after copying it.\n",
    );
  }
}

function crlShowCommand(ctx: CliContext): Command {
  const cmd = new Command("show")
    .description(
      "issuer, number, validity, time left and entry count of each CRL in a file, with the verdict",
    )
    .argument("[file]", "CRL file (default: crl.pem in --dir)");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, ["repl-pki crl show", "repl-pki crl show /etc/mysql/tls/crl.pem --json"]);
  return cmd.action(async (file: string | undefined, o) => {
    const { showCrls } = await import("../../api/crl-show.js");
    const list = showCrls({ dir: caDir(ctx, o.dir), file, now: ctx.deps.clock() });
    const expired = list.filter((c) => c.expired);
    if (o.json) {
      printJson(ctx, list);
      if (expired.length > 0) throw new AnsweredNo("CRL_EXPIRED", "a CRL has expired");
      return;
    }
    for (const c of list) {
      const days = c.secondsLeft === null ? 0 : Math.abs(c.secondsLeft) / 86400;
      const left =
        c.secondsLeft === null
          ? "never expires"
          : c.secondsLeft > 0
            ? `${days.toFixed(1)} days left`
            : `expired ${days.toFixed(1)} days ago`;
      ctx.stdout(`issuer      ${c.issuer}\nnumber      ${c.number ?? "-"}\nthisUpdate  ${c.thisUpdate}\n`);
      ctx.stdout(
        `nextUpdate  ${c.nextUpdate ?? "-"} (${left})\nentries     ${c.entries}\nsignature   ${c.signature}\n`,
      );
      ctx.stdout(`verdict     ${c.verdict}\n\n`);
    }
    if (expired.length > 0) {
      throw new CheckFailure("CRL_EXPIRED", `${expired.length} CRL(s) in the file have expired`, {
        hint: "regenerate with repl-pki crl and deploy crl.pem / crl.d to every server",
      });
    }
  });
}

export function crlCommand(ctx: CliContext): Command {
  const cmd = new Command("crl")
    .description(
      "regenerate one CRL per CA (root included) as crl.pem (ssl_crl) and the hashed crl.d/ (ssl_crlpath)",
    )
    .option("--days <n>", "CRL lifetime: nextUpdate = now + N days", "30")
    .option("--if-due", "only regenerate CRLs whose remaining life is inside the window (for cron)")
    .option(
      "--within <duration>",
      "with --if-due: the window, e.g. 10d or 36h (default: a third of the lifetime)",
    )
    .option("--prune", "drop older CRL generations from crl.d (servers reading crl.d must reload TLS)");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki crl",
    "repl-pki crl --if-due --within 10d      # daily from cron: regenerates only when due",
    "repl-pki crl show",
  ]);
  cmd.enablePositionalOptions(); // options after "show" belong to show, not to crl
  cmd.addCommand(crlShowCommand(ctx));
  return cmd.action(async (o) => {
    const { refreshCrls } = await import("../../api/crl.js");
    if (o.within !== undefined && !o.ifDue) {
      throw new UsageError("CONFLICTING_OPTIONS", "--within only makes sense with --if-due", {
        hint: "add --if-due",
      });
    }
    const r = refreshCrls(
      {
        dir: caDir(ctx, o.dir),
        days: parseDays(o.days, "--days"),
        ifDue: Boolean(o.ifDue),
        withinMs: o.within === undefined ? undefined : parseDuration(o.within),
        prune: Boolean(o.prune),
      },
      ctx.deps,
    );
    if (o.json) return printJson(ctx, r);
    printCrlReport(ctx, r);
  });
}
