import { Command } from "commander";
import type { DoctorReport } from "../../api/doctor.js";
import { AnsweredNo, CheckFailure } from "../../errors.js";
import { type CliContext, caDir, printJson, printTable } from "../io.js";
import { dirOption, helpSections, jsonOption } from "../options.js";

function verdict(r: DoctorReport, strict: boolean): CheckFailure | undefined {
  const { critical, warning } = r.summary;
  if (critical > 0) {
    return new CheckFailure("DOCTOR_CRITICAL", `${critical} critical problem(s) in ${r.dir}`, {
      hint: "fix the CRITICAL rows first: each one breaks, or is about to break, a TLS handshake",
    });
  }
  if (strict && warning > 0) {
    return new CheckFailure("DOCTOR_WARNINGS", `${warning} warning(s) in ${r.dir} (--strict)`, {
      hint: "fix the WARNING rows, or run without --strict to accept them",
    });
  }
  return undefined;
}

export function doctorCommand(ctx: CliContext): Command {
  const cmd = new Command("doctor")
    .description(
      "health report of the CA directory: CA, certificate and CRL expiry windows, identity problems, per-flavour limits",
    )
    .option("--strict", "exit 1 on warnings too, not only on critical problems");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki doctor",
    "repl-pki doctor --dir /srv/pki --strict      # from cron: non-zero on any warning",
    "repl-pki doctor --json",
  ]);
  return cmd.action(async (o) => {
    const { doctor } = await import("../../api/doctor.js");
    const r = doctor({ dir: caDir(ctx, o.dir), now: ctx.deps.clock() });
    const failure = verdict(r, Boolean(o.strict));
    if (o.json) {
      printJson(ctx, r);
      if (failure) throw new AnsweredNo(failure.code, failure.message);
      return;
    }
    const cells = (f: (typeof r.findings)[number]) => [f.severity.toUpperCase(), f.item, f.check, f.detail];
    printTable(
      ctx,
      ["SEVERITY", "ITEM", "CHECK", "DETAIL"],
      r.findings.length,
      (i, c) => cells(r.findings[i]!)[c]!,
    );
    const { ok, warning, critical } = r.summary;
    ctx.stdout(`\n${critical} critical, ${warning} warning(s), ${ok} ok (at ${r.at})\n`);
    if (failure) throw failure;
  });
}
