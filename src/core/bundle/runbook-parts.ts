// Parts of a runbook: the "What the errors mean" section (MariaDB: the texts observed on 10.11 with
// OpenSSL 3.0, spec §10 and test/e2e/bundle.e2e.test.ts; MySQL: the mapping of spec §9), and the table
// layout (columns padded, as Markdown formatters print them, so the file reads well in a terminal).
import type { BundleModel } from "./model.js";
import type { ServerProfile } from "./versions.js";

export function errorsStep(m: BundleModel, p: ServerProfile): string[] {
  if (m.version.flavour === "mariadb") {
    return [
      "As seen on MariaDB 10.11 with OpenSSL 3.0 (the server does not say why; `openssl s_client -starttls mysql` with the same files does):",
      "",
      "| replica shows | cause |",
      "|---|---|",
      "| `Last_IO_Errno 2026` `SSL connection error: SSL certificate validation failure` | the dialled host is not in the source certificate |",
      "| `Last_IO_Errno 2026` `SSL connection error: error:00000000:lib(0)::reason(0)` | the replica refused the source's chain: revoked, unknown CA, missing CRL, or the replica's CRL expired |",
      "| `Last_IO_Errno 2013` `Lost connection to server at 'reading authorization packet'` or `… 'sending authentication information'` | the source refused this replica's certificate: revoked, expired, or the source's CRL expired |",
      "| `ERROR 1105 … Failed to refresh SSL, error: SSL_CTX_set_default_verify_paths failed` on `FLUSH SSL` | a CA or CRL file is missing or unreadable; the old context stays |",
    ];
  }
  return [
    "| message | cause |",
    "|---|---|",
    "| `SSL_CTX_set_default_verify_paths failed` | a CA or CRL path is wrong, or the file is empty or unparsable |",
    "| `unable to get certificate CRL` | a CA in the chain has no CRL (every CA needs one, root included) |",
    "| `CRL has expired` | a CRL is past its nextUpdate |",
    `| \`certificate verify failed\` with ${p.opt}_SSL_VERIFY_SERVER_CERT = 1 | the dialled host is not in the source certificate${p.identity === "mysql-5.7" ? " (MySQL 5.7 compares only the first CN)" : ""} |`,
  ];
}

/** Pads the cells of every Markdown table in `lines` to the width of their column. */
export function alignTables(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!lines[i]!.startsWith("|")) {
      out.push(lines[i++]!);
      continue;
    }
    const block: string[][] = [];
    for (; i < lines.length && lines[i]!.startsWith("|"); i++) {
      block.push(lines[i]!.replace(/^\| ?| ?\|$/g, "").split(" | "));
    }
    const isRule = (row: string[]) => row.every((c) => /^-+$/.test(c.replace(/\|/g, "")));
    const rows = block.map((r) => (r.length === 1 && /^(-+\|)+-+$/.test(r[0]!) ? r[0]!.split("|") : r));
    const widths = rows[0]!.map((_, c) =>
      Math.max(3, ...rows.filter((r) => !isRule(r)).map((r) => r[c]!.length)),
    );
    for (const r of rows) {
      const cells = isRule(r)
        ? widths.map((w) => "-".repeat(w))
        : r.map((cell, c) => cell.padEnd(widths[c]!));
      out.push(`| ${cells.join(" | ")} |`);
    }
  }
  return out;
}
