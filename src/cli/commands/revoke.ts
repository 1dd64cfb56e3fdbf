import { Command } from "commander";
import { parseReason, REVOCATION_REASONS } from "../../core/revocation.js";
import { parseDays, parseIsoTime } from "../../core/time.js";
import { type CliContext, caDir, printJson } from "../io.js";
import { dirOption, helpSections, jsonOption, serialSelector } from "../options.js";
import { printCrlReport } from "./crl.js";

export function revokeCommand(ctx: CliContext): Command {
  const cmd = new Command("revoke")
    .description("revoke a certificate, regenerate every CRL, and print what each server must do now")
    .argument("[name]", "certificate NAME (or use --serial)")
    .option("--serial <hex>", "select by serial in hex (colons and 0x allowed)")
    .option("--serial-decimal <n>", "select by serial in decimal")
    .option("--reason <reason>", REVOCATION_REASONS.join(" | "), "unspecified")
    .option("--at <time>", "revocation time, ISO 8601 UTC (default: now)")
    .option("--crl-days <n>", "lifetime of the regenerated CRLs in days", "30");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki revoke replica1 --reason keyCompromise",
    "repl-pki revoke --serial 4A:3F:… --reason superseded --at 2026-11-20T10:00:00Z",
  ]);
  return cmd.action(async (name: string | undefined, o) => {
    const { revoke } = await import("../../api/revoke.js");
    const sel = serialSelector(name, o);
    const r = revoke(
      {
        dir: caDir(ctx, o.dir),
        ...sel,
        reason: parseReason(o.reason),
        at: o.at === undefined ? undefined : parseIsoTime(o.at),
        crlDays: parseDays(o.crlDays, "--crl-days"),
      },
      ctx.deps,
    );
    if (o.json) return printJson(ctx, r);
    ctx.stdout(
      `Revoked ${r.entry.role} "${r.entry.name}" (serial ${r.entry.serial}) at ${r.entry.revokedAt}, reason ${r.entry.reason}\n\n`,
    );
    printCrlReport(ctx, r.crl);
    ctx.stdout("\nNow, on the servers:\n");
    r.steps.forEach((s, i) => {
      ctx.stdout(`  ${i + 1}. ${s}\n`);
    });
  });
}
