import { Command } from "commander";
import { listCertificates } from "../../api/list.js";
import { type CliContext, caDir, printJson, table } from "../io.js";
import { dirOption, helpSections, jsonOption } from "../options.js";

export function listCommand(ctx: CliContext): Command {
  const cmd = new Command("list").description("list every certificate the CA issued, with its status");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, ["repl-pki list", "repl-pki list --json | jq '.[] | select(.status==\"revoked\")'"]);
  return cmd.action((o) => {
    const certs = listCertificates({ dir: caDir(ctx, o.dir), now: ctx.deps.clock() });
    if (o.json) return printJson(ctx, certs);
    const rows = [["NAME", "ROLE", "SERIAL", "STATUS", "NOT AFTER", "SUBJECT", "SANS"]];
    for (const c of certs) rows.push([c.name, c.role, c.serial, c.status, c.notAfter, c.subject, c.sans]);
    ctx.stdout(table(rows));
  });
}
