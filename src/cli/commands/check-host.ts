import { Command } from "commander";
import { AnsweredNo, CheckFailure } from "../../errors.js";
import { type CliContext, printJson } from "../io.js";
import { helpSections, jsonOption } from "../options.js";

export function checkHostCommand(ctx: CliContext): Command {
  const cmd = new Command("check-host")
    .description(
      "does a server certificate match the host a replica dials? (the VERIFY_IDENTITY check alone)",
    )
    .argument("<cert>", "server certificate file (PEM; the first certificate is checked)")
    .argument("<host>", "host name or IP literal as in MASTER_HOST / SOURCE_HOST")
    .option("--flavour <flavour>", "mysql-8, mariadb or mysql-5.7: how the replica matches names", "mysql-8");
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki check-host pki/certs/db1.pem db1.example.com",
    "repl-pki check-host pki/certs/db1.pem 10.0.0.5 --flavour mariadb",
    "repl-pki check-host server-cert.pem db1 --flavour mysql-5.7 --json",
  ]);
  return cmd.action(async (cert: string, host: string, o) => {
    const { checkHost } = await import("../../api/check-host.js");
    const { parseFlavour } = await import("../../api/verify.js");
    const r = checkHost({ cert, host, flavour: parseFlavour(o.flavour) });
    const fail = () =>
      new CheckFailure("HOST_MISMATCH", `${host} does not match ${cert} (${r.flavour})`, {
        hint: r.nameMatch
          ? "issue the server certificate from the repl-pki CA: repl-pki issue server NAME --host HOST"
          : "re-issue the certificate with every name replicas dial (--host / --ip), or dial a name it has",
      });
    if (o.json) {
      printJson(ctx, r);
      if (!r.match) throw new AnsweredNo("HOST_MISMATCH", r.reason);
      return;
    }
    ctx.stdout(
      `${r.match ? "MATCH" : "NO MATCH"}  ${host} (${r.flavour}) against ${r.subject || "(empty subject)"}\n`,
    );
    ctx.stdout(`  ${r.reason}\n`);
    for (const n of r.notes) ctx.stdout(`  note: ${n}\n`);
    if (!r.match) throw fail();
  });
}
