import { Command } from "commander";
import { showCertificate } from "../../api/show.js";

import { type CliContext, caDir, printJson } from "../io.js";
import { dirOption, helpSections, jsonOption, serialSelector } from "../options.js";

export function showCommand(ctx: CliContext): Command {
  const cmd = new Command("show")
    .description("show one certificate in detail, with the REQUIRE SUBJECT / ISSUER strings mysqld compares")
    .argument("[name]", "certificate NAME (root and intermediate name the CA certificates)")
    .option("--serial <hex>", "select by serial in hex (colons and 0x allowed)")
    .option("--serial-decimal <n>", "select by serial in decimal");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, ["repl-pki show replica1", "repl-pki show --serial 4A:3F:…  --json"]);
  return cmd.action((name: string | undefined, o) => {
    const sel = serialSelector(name, o);
    const d = showCertificate({ dir: caDir(ctx, o.dir), ...sel, now: ctx.deps.clock() });
    if (o.json) return printJson(ctx, d);
    const lines = [
      ["name", d.name],
      ["role", d.role],
      ["serial", d.serial],
      ["status", d.status + (d.revokedAt ? ` at ${d.revokedAt} (${d.reason})` : "")],
      ["subject", d.subject],
      ["issuer", d.issuer],
      ["valid", `${d.notBefore} .. ${d.notAfter}`],
      ["DNS names", d.dnsNames.join(", ") || "-"],
      ["IP addresses", d.ipAddresses.join(", ") || "-"],
      ["key", d.keyType],
      ["key usage", d.keyUsage.join(", ") || "-"],
      ["ext key usage", d.extendedKeyUsage.join(", ") || "-"],
      ["SHA-256", d.sha256Fingerprint],
      ["certificate", d.certPath],
      ["private key", d.keyPath ?? "(CA key)"],
    ];
    for (const [k, v] of lines) ctx.stdout(`${k!.padEnd(14)}${v}\n`);
    ctx.stdout(
      `\nFor the replication account (servers linked with OpenSSL 3; OpenSSL 1.x differs only for '/' '+' and multi-valued RDNs):\n`,
    );
    ctx.stdout(
      `  REQUIRE SUBJECT '${d.require.subject.openssl3}' AND ISSUER '${d.require.issuer.openssl3}'\n`,
    );
  });
}
