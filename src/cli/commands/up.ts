import { Command } from "commander";
import type { UpResult } from "../../api/up.js";
import { type CliContext, caDir, printJson, printTable } from "../io.js";
import { dirOption, helpSections, jsonOption } from "../options.js";

export const DEFAULT_OUT = "./bundles";

const TOPOLOGY_HELP = `
Topology file (JSON; every field but servers.*.role/hosts/follows is optional):
  {
    "ca": { "keyType": "ec-p256", "intermediate": false, "leafDays": 825, "renewBeforeDays": 30,
            "crlDays": 30, "crlSafetyDays": 7 },
    "defaults": { "server": "mariadb 10.11", "port": 3306, "crl": "both", "tlsDir": "/etc/mysql/tls" },
    "servers": {
      "db1": { "role": "source", "hosts": ["db1.example.com", "10.0.0.1"] },
      "db2": { "role": "replica", "hosts": ["db2.example.com"], "follows": "db1",
               "sourceHost": "db1.example.com", "server": "mysql 8.0.36", "crl": "dir" }
    }
  }
  server: "mariadb 10.4".."mariadb 12.x", "mysql 5.7.x", "mysql 8.0.x", "mysql 8.4", "mysql 9.x"
  per server also: account, accountHost, passwordEnv, openssl (1|3), certificate (separate|combined)
  Certificate NAMEs: SERVER (its ssl_cert), SERVER.client (a replica's channel), then .2, .3 on reissue.`;

export function printUp(ctx: CliContext, r: UpResult, out: string): void {
  const w = (s: string) => ctx.stdout(`${s}\n`);
  const verb = (s: string) => (r.dryRun ? `would ${s}` : s);
  if (r.caCreated) w(r.dryRun ? "CA: would be created" : "CA: created");
  const certs = r.certificates;
  w("Certificates:");
  printTable(
    ctx,
    ["  SERVER", "KIND", "NAME", "ACTION", "SERIAL", "NOT AFTER", "WHY"],
    certs.length,
    (i, c) => {
      const x = certs[i]!;
      const action = x.action === "keep" ? "current" : r.dryRun ? `would ${x.action}` : `${x.action}d`;
      return [`  ${x.server}`, x.kind, x.name, action, x.serial || "-", x.notAfter || "-", x.reason][c] ?? "";
    },
  );
  const crl = r.crl.action === "due" ? "due (would be regenerated)" : r.crl.action;
  w(`CRLs: ${crl}${r.crlNextUpdate ? `; the bundles' CRLs are valid until ${r.crlNextUpdate}` : ""}`);
  for (const e of r.edges) w(`Identity: ${e.replica} dials "${e.host}": ${e.reason}`);
  if (r.bundles.length) w(`Bundles in ${out}:`);
  for (const b of r.bundles) {
    const what = [
      ...b.written.map((f) => `${verb("write")} ${f}`),
      ...b.removed.map((f) => `${verb("remove")} ${f}`),
    ];
    w(`  ${b.server}: ${what.length ? what.join(", ") : "unchanged"}`);
  }
  for (const p of r.pending) w(`  ${p}: ${verb("be written")} once its certificates and CRLs are made`);
  for (const s of r.superseded) {
    w(
      `Superseded: ${s.name} (serial ${s.serial}); once every server runs its new bundle: repl-pki revoke ${s.name} --reason superseded`,
    );
  }
  if (!r.changed) w("Nothing changed: every certificate, CRL and bundle is current.");
  else if (!r.dryRun) w("Next: on each server, follow RUNBOOK.md in its bundle directory.");
}

export function upCommand(ctx: CliContext): Command {
  const cmd = new Command("up")
    .description(
      "make the CA, certificates, CRLs and every server's bundle match a topology file (idempotent)",
    )
    .argument("<topology>", "topology file (JSON)")
    .option("--out <dir>", "bundle directory: one OUT/SERVER/ per server", DEFAULT_OUT)
    .option("--dry-run", "print the plan; issue, refresh and write nothing")
    .option(
      "--no-crl-refresh",
      "do not regenerate due CRLs (e.g. the CA keys are offline); still refuses expiring ones",
    );
  dirOption(cmd);
  jsonOption(cmd);
  cmd.addHelpText("after", TOPOLOGY_HELP);
  helpSections(cmd, [
    "repl-pki up topology.json --out ./bundles",
    "repl-pki up topology.json --dry-run",
    "repl-pki up topology.json --json | jq '.bundles[] | select(.written | length > 0) | .server'",
  ]);
  return cmd.action(async (file: string, o) => {
    const { loadTopology } = await import("../../api/topology.js");
    const { up } = await import("../../api/up.js");
    const r = up(
      {
        dir: caDir(ctx, o.dir),
        topology: loadTopology(file),
        out: o.out,
        dryRun: Boolean(o.dryRun),
        crlRefresh: o.crlRefresh !== false,
      },
      ctx.deps,
    );
    if (o.json) return printJson(ctx, r);
    printUp(ctx, r, o.out);
  });
}
