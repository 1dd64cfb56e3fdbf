import { Command } from "commander";
import { issue, parseKeyFormat, parseKeyType } from "../../api/issue.js";
import type { Role } from "../../core/profiles.js";
import { parseDays } from "../../core/time.js";
import { type CliContext, caDir, printJson } from "../io.js";
import { collect, dirOption, helpSections, jsonOption } from "../options.js";

const ROLE_HELP: Record<Role, string> = {
  server: "a server certificate (EKU serverAuth) for a source's ssl_cert",
  replica: "a replica's client certificate (EKU clientAuth) for MASTER_SSL_CERT",
  relay: "a relay (chained replication: source and replica) certificate, EKU serverAuth + clientAuth",
};

function roleCommand(ctx: CliContext, role: Role): Command {
  const cmd = new Command(role)
    .description(ROLE_HELP[role])
    .argument("<name>", "certificate name: lowercase [a-z0-9][a-z0-9._-]*")
    .option("--host <host>", "DNS name (or IP) replicas dial; repeatable; the first is the CN", collect, [])
    .option("--ip <ip>", "IP address replicas dial (IPv4 or IPv6); repeatable", collect, [])
    .option("--days <n>", "lifetime in days", "825")
    .option("--key-type <type>", "key type (default: the CA's)")
    .option(
      "--key-format <format>",
      "pkcs1/sec1 (default, read by every MySQL build) or pkcs8",
      "traditional",
    );
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, [
    role === "replica"
      ? "repl-pki issue replica replica1"
      : `repl-pki issue ${role} db1 --host db1.example.com --ip 10.0.0.5`,
    `repl-pki issue ${role} db2 --host db2.example.com --key-type ec-p256 --dir /srv/pki`,
  ]);
  return cmd.action((name: string, o) => {
    const r = issue(
      {
        dir: caDir(ctx, o.dir),
        name,
        role,
        hosts: o.host,
        ips: o.ip,
        days: parseDays(o.days, "--days"),
        keyType: o.keyType === undefined ? undefined : parseKeyType(o.keyType),
        keyFormat: parseKeyFormat(o.keyFormat),
      },
      ctx.deps,
    );
    for (const w of r.warnings) ctx.stderr(`warning: ${w}\n`);
    if (o.json) return printJson(ctx, r);
    ctx.stdout(`Issued ${role} certificate "${name}"\n`);
    ctx.stdout(`  serial   ${r.entry.serial}\n  subject  ${r.entry.subject}\n  SAN      ${r.entry.sans}\n`);
    ctx.stdout(`  valid    ${r.entry.notBefore} .. ${r.entry.notAfter}\n`);
    ctx.stdout(`  cert     ${r.certPath}\n  key      ${r.keyPath} (0600)\n  CA       ${r.chainPath}\n`);
  });
}

export function issueCommand(ctx: CliContext): Command {
  const cmd = new Command("issue").description("issue a server, replica or relay certificate from the CA");
  for (const role of ["server", "replica", "relay"] as const) cmd.addCommand(roleCommand(ctx, role));
  return helpSections(cmd, [
    "repl-pki issue server source1 --host source1.example.com --ip 10.0.0.5",
    "repl-pki issue replica replica1",
  ]);
}
