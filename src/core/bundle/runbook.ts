// RUNBOOK.md of a bundle: this server's steps in order, with the statements of its exact version (spec
// §4, §5) and what MariaDB 10.11 was seen to need after a revocation (spec §10).
import { revocationSteps } from "../runbook/revocation-steps.js";
import { type BundleModel, BUNDLE_FILES as F } from "./model.js";
import { alignTables, errorsStep } from "./runbook-parts.js";
import { REPLICA_SQL_VAR } from "./sql.js";
import { type ServerProfile, serverProfile } from "./versions.js";

const code = (lang: string, body: string[]) => ["```" + lang, ...body, "```"];

/** The shell line that feeds passwords from environment variables into a SQL file, never via a file. */
export function passwordPipe(
  client: string,
  vars: { sqlVar: string; env: string }[],
  file: string,
): string[] {
  const set = (v: { sqlVar: string; env: string }) =>
    `  printf "SET @${v.sqlVar} = CONVERT(FROM_BASE64('%s') USING utf8mb4);\\n" "$(printf %s "$${v.env}" | base64 -w0)"`;
  return ["{", ...vars.map(set), `  cat ${file}`, `} | ${client}`];
}

function roleLine(m: BundleModel): string {
  const reps = m.accounts.map((a) => a.replica).join(", ");
  if (m.role === "source") return reps ? `source for ${reps}` : "source";
  const of = `replica of ${m.channel?.source ?? "?"}`;
  return m.role === "relay" ? `relay: ${of}${reps ? `, source for ${reps}` : ""}` : of;
}

function filesTable(m: BundleModel, p: ServerProfile): string[] {
  const rows = [
    `| \`${F.ca}\` | trust bundle: intermediates and root | \`ssl_ca\`${m.channel ? `, \`${p.opt}_SSL_CA\`` : ""} |`,
  ];
  const cert = (c: BundleModel["own"]) =>
    c ? `\`${c.name}\` (serial ${c.serial}, \`${c.subject}\`, until ${c.notAfter})` : "";
  const channelUse = m.channel ? `\`${p.opt}_SSL_CERT\`` : "";
  const combined = m.paths.cert && !m.paths.clientCert && m.channel;
  if (m.paths.cert) {
    rows.push(
      `| \`${F.cert}\` | certificate ${cert(m.own)}, then the intermediates | \`ssl_cert\`${combined ? `, ${channelUse}` : ""} |`,
    );
    rows.push(
      `| \`${F.key}\` | its private key (mode 0600) | \`ssl_key\`${combined ? `, \`${p.opt}_SSL_KEY\`` : ""} |`,
    );
  }
  if (m.paths.clientCert) {
    rows.push(
      `| \`${F.clientCert}\` | replication client certificate ${cert(m.channelCert)} | ${channelUse} |`,
    );
    rows.push(`| \`${F.clientKey}\` | its private key (mode 0600) | \`${p.opt}_SSL_KEY\` |`);
  }
  const crlUse = (v: string, o: string) =>
    [m.paths.cert && `\`${v}\``, m.channel && `\`${p.opt}_SSL_${o}\``].filter(Boolean).join(", ");
  const until = m.crlNextUpdate ? `; next update ${m.crlNextUpdate}` : "";
  if (m.paths.crlFile)
    rows.push(`| \`${F.crlFile}\` | one CRL per CA, root included${until} | ${crlUse("ssl_crl", "CRL")} |`);
  if (m.paths.crlDir)
    rows.push(
      `| \`${F.crlDir}/\` | hashed CRL directory (\`<hash>.rN\`)${until} | ${crlUse("ssl_crlpath", "CRLPATH")} |`,
    );
  if (m.paths.cert)
    rows.push(`| \`${F.myCnf}\` | \`[mysqld]\` TLS settings (managed block) | the server's option file |`);
  if (m.accounts.length)
    rows.push(`| \`${F.sourceSql}\` | one replication account per replica | run on ${m.name} |`);
  if (m.channel) rows.push(`| \`${F.replicaSql}\` | the replication channel | run on ${m.name} |`);
  return ["| file | what | used as |", "|---|---|---|", ...rows];
}

function installStep(m: BundleModel): string[] {
  const d = m.tlsDir;
  const pub = [
    F.ca,
    m.paths.cert && F.cert,
    m.paths.clientCert && F.clientCert,
    m.paths.crlFile && F.crlFile,
  ];
  const keys = [m.paths.key && F.key, m.paths.clientKey && F.clientKey].filter(Boolean);
  const cmds = [`install -d -m 0750 ${d}`, `install -m 0644 ${pub.filter(Boolean).join(" ")} ${d}/`];
  if (keys.length) cmds.push(`install -m 0600 ${keys.join(" ")} ${d}/`);
  if (m.paths.crlDir)
    cmds.push(`install -d -m 0750 ${d}/${F.crlDir}`, `install -m 0644 ${F.crlDir}/* ${d}/${F.crlDir}/`);
  cmds.push(`chown -R mysql:mysql ${d}`);
  const out = [`From this directory, on ${m.name}:`, "", ...code("sh", cmds)];
  if (m.paths.crlDir) {
    out.push(
      "",
      `Keep older \`${F.crlDir}/*.rN\` files on the server: a running server picks up a new suffix at its next handshake, even before a reload (OpenSSL's hashed-directory lookup).`,
    );
  }
  return out;
}

function settingsStep(m: BundleModel, p: ServerProfile): string[] {
  if (!m.paths.cert) {
    return [
      `This bundle has no server certificate for ${m.name}, so no \`[mysqld]\` settings: its own clients cannot use TLS. Issue one (\`repl-pki issue server …\`) or describe ${m.name} in a topology and run \`repl-pki up\`.`,
    ];
  }
  const reload = p.reload
    ? `\`${p.reload};\``
    : `a restart (\`systemctl restart ${p.service}\`): ${p.label} cannot reload TLS`;
  return [
    `Put the block of \`${F.myCnf}\` into the server's option file (e.g. \`/etc/mysql/${p.service === "mariadb" ? "mariadb.conf.d" : "mysql.conf.d"}/90-repl-pki.cnf\`); a later run of repl-pki replaces only the text between its markers.`,
    "",
    `- First time, or when a line of the block changed: restart the server (\`systemctl restart ${p.service}\`).`,
    `- When only the files changed (renewed certificate, refreshed CRL): ${reload}.${p.reload === "FLUSH SSL" ? " If a file is unreadable it fails with ERROR 1105 and keeps the old TLS context." : ""}`,
  ];
}

function accountsStep(m: BundleModel, p: ServerProfile): string[] {
  const vars = m.accounts.map((a) => ({ sqlVar: a.sqlVar, env: a.passwordEnv }));
  return [
    `Passwords never go into a file. Export ${m.accounts.map((a) => `\`${a.passwordEnv}\` (account \`${a.account}\` of ${a.replica})`).join(", ")} (e.g. \`read -rs VAR && export VAR\`), then on ${m.name}:`,
    "",
    ...code("sh", passwordPipe(p.client, vars, F.sourceSql)),
    "",
    `Or in a client session: ${vars.map((v) => `\`SET @${v.sqlVar} = '…';\``).join(" ")} then \`SOURCE ${F.sourceSql};\`.`,
  ];
}

function channelStep(m: BundleModel, p: ServerProfile): string[] {
  const c = m.channel!;
  return [
    `The password of \`${c.account}\` (the one ${c.source}'s source.sql was given) never goes into a file. Export \`${c.passwordEnv}\`, then on ${m.name}:`,
    "",
    ...code("sh", passwordPipe(p.client, [{ sqlVar: REPLICA_SQL_VAR, env: c.passwordEnv }], F.replicaSql)),
    "",
    `Or in a client session: \`SET @${REPLICA_SQL_VAR} = '…';\` then \`SOURCE ${F.replicaSql};\`.`,
    "",
    `Start position: ${p.position} Re-running ${F.replicaSql} later: naming ${p.opt}_HOST/${p.opt}_PORT again discards a file/position coordinate (GTID positions are kept); after a certificate renewal at the same paths it is not needed (see "Renewals").`,
  ];
}

function confirmStep(m: BundleModel, p: ServerProfile): string[] {
  const out: string[] = [];
  if (m.channel) {
    const f = p.fields;
    out.push(
      ...code("sql", [`${p.status}\\G`]),
      "",
      `Expect \`${f.io}: Yes\`, \`${f.sql}: Yes\`, \`${f.sslAllowed}: Yes\`, \`${f.verify}: Yes\` and \`Last_IO_Errno: 0\`.`,
    );
  }
  if (m.accounts.length) {
    if (out.length) out.push("");
    out.push(
      `On ${m.name}, one \`Binlog Dump\` thread per connected replica:`,
      "",
      ...code("sql", [
        "SELECT ID, USER, HOST FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%';",
      ]),
    );
  }
  return out.length ? out : ["`SHOW STATUS LIKE 'Ssl_cipher';` over a TCP connection shows a cipher."];
}

function renewStep(m: BundleModel, p: ServerProfile): string[] {
  const io = `${p.stop} IO_THREAD; ${p.start} IO_THREAD;`;
  const out = [
    `The CRLs of this bundle are valid until ${m.crlNextUpdate ?? "(unknown)"}; repl-pki refuses to ship a CRL with less than ${m.crlSafetyDays} day(s) left. Before then run \`repl-pki up\` (it refreshes CRLs that are due), install the new files (step "Install the files"), then:`,
    "",
    `- ${m.name} as a server: ${p.reload ? `\`${p.reload};\`` : `restart it (\`systemctl restart ${p.service}\`)`} (a new \`crl.d\` suffix is used at the next handshake anyway; \`crl.pem\` only after this).`,
  ];
  if (m.channel)
    out.push(
      `- ${m.name} as a replica: its channel re-reads every ${p.opt}_SSL_* file at each connection; to use them now: \`${io}\``,
    );
  out.push(
    `- A renewed certificate keeps its paths: reload for \`${F.cert}\`${m.channel ? `, the IO-thread restart for the channel certificate` : ""}.`,
  );
  out.push(
    "",
    "A source whose CRL has expired refuses every replica that presents a certificate (OpenSSL error 12), and a replica whose CRL has expired refuses its source.",
  );
  return out;
}

function revocationStep(m: BundleModel, p: ServerProfile): string[] {
  const out: string[] = [];
  const steps = (name: string, role: "replica" | "server" | "relay") =>
    revocationSteps({ name, role }).map((s, i) => `${i + 1}. ${s}`);
  if (m.accounts.length) {
    out.push(
      `When a replica of ${m.name} is revoked (\`repl-pki revoke NAME\`):`,
      "",
      ...steps("the revoked replica", "replica"),
      "",
    );
    out.push(
      `On ${m.name}${p.reload ? "" : ` (after the restart that ${p.label} needs instead of a reload)`}, for example for ${m.accounts[0]!.replica}:`,
      "",
    );
    const a = m.accounts[0]!;
    out.push(
      ...code("sql", [
        ...(p.reload ? [`${p.reload};`] : []),
        `SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' AND USER = '${a.account}';`,
        "KILL CONNECTION <ID>;",
      ]),
      "",
    );
  }
  if (m.own)
    out.push(
      `When ${m.own.name} (this server's certificate) is revoked: \`repl-pki up\` issues its successor; install it as in "Renewals", then:`,
      "",
      ...steps(m.own.name, m.channel && !m.paths.clientCert ? "relay" : "server"),
      "",
    );
  if (m.channel && m.paths.clientCert && m.channelCert)
    out.push(
      `When ${m.channelCert.name} (this replica's channel certificate) is revoked:`,
      "",
      ...steps(m.channelCert.name, "replica"),
      "",
      `Then \`repl-pki up\` issues its successor with the same subject (the account on ${m.channel.source} still matches): install it as in "Renewals" and restart the IO thread.`,
      "",
    );
  while (out.at(-1) === "") out.pop();
  return out;
}

export function renderRunbook(m: BundleModel): string {
  const p = serverProfile(m.version);
  const sections: [string, string[]][] = [
    [
      "Check the server",
      [
        ...code("sql", [
          m.version.flavour === "mariadb" ? "SELECT @@version, @@version_ssl_library;" : "SELECT @@version;",
        ]),
        "",
        p.crlCaveat,
      ],
    ],
    ["Install the files", installStep(m)],
    ["Server settings", settingsStep(m, p)],
  ];
  if (m.accounts.length) sections.push(["Replication accounts", accountsStep(m, p)]);
  if (m.channel) sections.push(["Replication channel", channelStep(m, p)]);
  sections.push(["Confirm", confirmStep(m, p)], ["Renewals and CRL refresh", renewStep(m, p)]);
  sections.push(["After a revocation", revocationStep(m, p)], ["What the errors mean", errorsStep(m, p)]);
  const out = [
    `# ${m.name}: ${roleLine(m)} (${p.label})`,
    "",
    `Written by repl-pki. Do the steps in order; the files go to \`${m.tlsDir}\` on ${m.name}.`,
    "",
    ...filesTable(m, p),
  ];
  sections.forEach(([title, body], i) => {
    if (body.length) out.push("", `## ${i + 1}. ${title}`, "", ...body);
  });
  return `${alignTables(out).join("\n")}\n`;
}
