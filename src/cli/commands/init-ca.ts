import { Command } from "commander";
import { initCa } from "../../api/init-ca.js";
import { parseKeyType } from "../../api/issue.js";
import { parseDays } from "../../core/time.js";
import { type CliContext, caDir, printJson } from "../io.js";
import { dirOption, helpSections, jsonOption } from "../options.js";

export function initCaCommand(ctx: CliContext): Command {
  const cmd = new Command("init-ca")
    .description("create a certificate authority (self-signed root, optionally an intermediate)")
    .option("--cn <name>", "common name of the root CA", "repl-pki Root CA")
    .option("--key-type <type>", "rsa-2048 | rsa-3072 | rsa-4096 | ec-p256 | ec-p384", "rsa-2048")
    .option("--days <n>", "root lifetime in days", "3650")
    .option("--intermediate", "also create an intermediate CA (5 years) that signs every leaf");
  dirOption(cmd);
  jsonOption(cmd);
  helpSections(cmd, [
    "repl-pki init-ca                                  # RSA-2048 root in ./pki",
    "repl-pki init-ca --dir /srv/pki --cn 'Repl CA' --key-type ec-p256 --intermediate",
  ]);
  return cmd.action((o) => {
    const r = initCa(
      {
        dir: caDir(ctx, o.dir),
        cn: o.cn,
        keyType: parseKeyType(o.keyType),
        days: parseDays(o.days, "--days"),
        intermediate: Boolean(o.intermediate),
      },
      ctx.deps,
    );
    if (o.json) return printJson(ctx, r);
    ctx.stdout(`Created CA in ${r.dir}\n`);
    ctx.stdout(`  root          ${r.root.subject}  serial ${r.root.serial}  until ${r.root.notAfter}\n`);
    if (r.intermediate) {
      ctx.stdout(
        `  intermediate  ${r.intermediate.subject}  serial ${r.intermediate.serial}  until ${r.intermediate.notAfter}\n`,
      );
    }
    ctx.stdout(`  trust bundle  ${r.files.chain}  (ssl_ca / MASTER_SSL_CA)\n`);
    if (r.intermediate)
      ctx.stderr(
        `The root key ${r.files.rootKey} only signs the root CRL and new intermediates: it may live offline, but bring it back before the root CRL is due (repl-pki crl --if-due).\n`,
      );
  });
}
