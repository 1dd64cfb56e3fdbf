import { Command } from "commander";
import { openListing } from "../../api/list.js";
import type { FieldName } from "../../core/index/index-view.js";
import { type CliContext, caDir, printJson, printTable } from "../io.js";
import { dirOption, helpSections, jsonOption } from "../options.js";

export function listCommand(ctx: CliContext): Command {
  const cmd = new Command("list").description("list every certificate the CA issued, with its status");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, ["repl-pki list", "repl-pki list --json | jq '.[] | select(.status==\"revoked\")'"]);
  return cmd.action((o) => {
    const listing = openListing({ dir: caDir(ctx, o.dir), now: ctx.deps.clock() });
    if (o.json)
      return printJson(
        ctx,
        Array.from({ length: listing.count }, (_, i) => listing.row(i)),
      );
    const cols: FieldName[] = ["name", "role", "serial", "status", "notAfter", "subject", "sans"];
    const header = ["NAME", "ROLE", "SERIAL", "STATUS", "NOT AFTER", "SUBJECT", "SANS"];
    printTable(ctx, header, listing.count, (r, c) => listing.cell(r, cols[c]!));
  });
}
