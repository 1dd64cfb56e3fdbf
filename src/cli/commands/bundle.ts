import { Command } from "commander";
import { CRL_FORMS, type CrlForm, DEFAULT_CRL_SAFETY_DAYS } from "../../core/bundle/topology.js";
import { parseServerVersion } from "../../core/bundle/versions.js";
import { UsageError } from "../../errors.js";
import { type CliContext, caDir, printJson } from "../io.js";
import { collect, dirOption, helpSections, jsonOption } from "../options.js";

const DEFAULT_VERSION = { mariadb: "10.11", mysql: undefined } as const;

function serverText(flavour: string, version: string | undefined): string {
  if (flavour !== "mariadb" && flavour !== "mysql") {
    throw new UsageError("INVALID_OPTION_VALUE", `unknown --flavour "${flavour}"`, {
      hint: "use mariadb or mysql",
    });
  }
  const v = version ?? DEFAULT_VERSION[flavour];
  if (v === undefined) {
    throw new UsageError("MISSING_ARGUMENT", "--flavour mysql needs --version", {
      hint: "give the exact version, e.g. --version 8.0.36, 8.4.3 or 5.7.44: statement names depend on it",
    });
  }
  const text = `${flavour} ${v}`;
  parseServerVersion(text);
  return text;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) {
    throw new UsageError("INVALID_OPTION_VALUE", `--port must be 1-65535, not "${text}"`, {
      hint: "the TCP port the replica dials, e.g. --port 3306",
    });
  }
  return n;
}

function parseCrlForm(text: string): CrlForm {
  if (!(CRL_FORMS as readonly string[]).includes(text)) {
    throw new UsageError("INVALID_OPTION_VALUE", `--crl must be file, dir or both, not "${text}"`, {
      hint: "file: ssl_crl = crl.pem; dir: ssl_crlpath = crl.d (hashed); both: both",
    });
  }
  return text as CrlForm;
}

export function bundleCommand(ctx: CliContext): Command {
  const cmd = new Command("bundle")
    .description("write one server's bundle (certificates, CRLs, my.cnf, SQL, RUNBOOK.md) to OUT/NAME/")
    .argument("<name>", "the server's certificate NAME: server = a source, replica, or relay")
    .requiredOption("--out <dir>", "bundle directory; the files go to OUT/NAME/")
    .option("--flavour <flavour>", "mariadb or mysql", "mariadb")
    .option("--version <version>", "server version, e.g. 10.11, 11.4, 5.7.44, 8.0.36, 8.4.3 (mariadb: 10.11)")
    .option(
      "--source-host <host>",
      "replica: the host it dials (MASTER_HOST); must match the source certificate",
    )
    .option(
      "--source <name>",
      "replica: the source's certificate NAME (default: the one matching --source-host)",
    )
    .option(
      "--replica <name>",
      "source: a replica's certificate NAME; repeatable (default: every one)",
      collect,
    )
    .option("--port <port>", "replica: the source's port (MASTER_PORT)", "3306")
    .option("--crl <form>", "file (crl.pem), dir (hashed crl.d) or both", "both")
    .option("--tls-dir <dir>", "where the files live on the server", "/etc/mysql/tls")
    .option("--crl-safety-days <n>", "refuse a CRL with fewer days left", String(DEFAULT_CRL_SAFETY_DAYS))
    .option("--no-crl-refresh", "do not regenerate due CRLs first (e.g. the CA keys are offline)")
    .option("--dry-run", "print which files would change; write nothing");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki bundle source1 --out ./bundles",
    "repl-pki bundle replica1 --out ./bundles --source-host source1.example.com",
    "repl-pki bundle replica2 --out ./bundles --flavour mysql --version 8.0.36 --source source1 --crl file",
  ]);
  return cmd.action(async (name: string, o) => {
    const { bundle } = await import("../../api/bundle.js");
    const safety = Number(o.crlSafetyDays);
    if (!Number.isInteger(safety) || safety < 0) {
      throw new UsageError(
        "INVALID_OPTION_VALUE",
        `--crl-safety-days must be a whole number, not "${o.crlSafetyDays}"`,
      );
    }
    const r = bundle(
      {
        dir: caDir(ctx, o.dir),
        out: o.out,
        name,
        server: serverText(o.flavour, o.version),
        sourceHost: o.sourceHost,
        source: o.source,
        replicas: o.replica,
        port: parsePort(o.port),
        crl: parseCrlForm(o.crl),
        tlsDir: o.tlsDir,
        crlSafetyDays: safety,
        crlRefresh: o.crlRefresh !== false,
        dryRun: Boolean(o.dryRun),
      },
      ctx.deps,
    );
    if (o.json) return printJson(ctx, r);
    const b = r.bundle;
    const verb = o.dryRun ? "would write" : "wrote";
    const changes = [
      ...b.written.map((f) => `${verb} ${f}`),
      ...b.removed.map((f) => `${o.dryRun ? "would remove" : "removed"} ${f}`),
    ];
    ctx.stdout(`Bundle of ${name} in ${b.dir}: ${changes.length ? changes.join(", ") : "unchanged"}\n`);
    for (const e of r.edges) ctx.stdout(`Identity: ${e.replica} dials "${e.host}": ${e.reason}\n`);
    if (r.crl?.written) ctx.stdout("CRLs: regenerated (they were due)\n");
    if (r.crlNextUpdate) ctx.stdout(`CRLs valid until ${r.crlNextUpdate}\n`);
    if (!o.dryRun) ctx.stdout(`Next: follow ${b.dir}/RUNBOOK.md on ${name}\n`);
  });
}
