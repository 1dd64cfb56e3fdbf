// Golden files of the rendered bundle texts (my.cnf, replica.sql, source.sql, RUNBOOK.md) for every
// supported flavour and the versions where statements, status fields, reloads or settings change.
// Review a change with `git diff test/golden`; regenerate with `npx vitest run test/unit/bundle-golden -u`.
import { describe, expect, it } from "vitest";
import { buildBundleModel, type CertInfo, type ServerCerts } from "../../src/core/bundle/model.js";
import { renderMyCnf } from "../../src/core/bundle/my-cnf.js";
import { renderRunbook } from "../../src/core/bundle/runbook.js";
import { renderReplicaSql, renderSourceSql } from "../../src/core/bundle/sql.js";
import { parseTopology, type TopologyServer } from "../../src/core/bundle/topology.js";
import { commonNameDer } from "../../src/core/x509/name.js";

const ISSUER = commonNameDer("repl-pki Intermediate CA");
const cert = (name: string, cn: string, serial: string): CertInfo => ({
  name,
  serial,
  notAfter: "2029-02-27T12:00:00Z",
  subject: commonNameDer(cn),
  issuer: ISSUER,
});

const CERTS: Record<string, ServerCerts> = {
  db1: { own: cert("db1", "db1.example.com", "11") },
  db2: { own: cert("db2", "db2.example.com", "21"), channel: cert("db2.client", "db2.client", "22") },
  db3: { own: cert("db3", "db3.example.com", "31"), channel: cert("db3.client", "db3.client", "32") },
  db4: { channel: cert("db4", "db4.example.com", "41") },
};
CERTS.db4!.own = CERTS.db4!.channel;

function servers(
  version: string,
  over: Record<string, Record<string, unknown>> = {},
): Map<string, TopologyServer> {
  const t = parseTopology(
    JSON.stringify({
      defaults: { server: version },
      servers: {
        db1: { role: "source", hosts: ["db1.example.com", "10.0.0.1"], ...over.db1 },
        db2: { role: "relay", hosts: ["db2.example.com"], follows: "db1", ...over.db2 },
        db3: { role: "replica", hosts: ["db3.example.com"], follows: "db2", ...over.db3 },
        db4: {
          role: "replica",
          hosts: ["db4.example.com"],
          follows: "db1",
          certificate: "combined",
          ...over.db4,
        },
      },
    }),
  );
  return new Map(t.servers.map((s) => [s.name, s]));
}

function render(dir: string, name: string, s: Map<string, TopologyServer>, certs = CERTS) {
  const server = s.get(name)!;
  const model = buildBundleModel({
    server,
    source: server.follows ? s.get(server.follows) : undefined,
    replicas: [...s.values()].filter((r) => r.follows === name),
    certs: (n) => certs[n] ?? {},
    crlNextUpdate: "2026-12-25T12:00:00Z",
    crlSafetyDays: 7,
  });
  const files: [string, string | undefined][] = [
    ["my.cnf", renderMyCnf(model)],
    ["replica.sql", renderReplicaSql(model)],
    ["source.sql", renderSourceSql(model)],
    ["RUNBOOK.md", renderRunbook(model)],
  ];
  return Promise.all(
    files
      .filter(([, text]) => text !== undefined)
      .map(([file, text]) => expect(text).toMatchFileSnapshot(`../golden/${dir}/${file}`)),
  );
}

const VERSIONS = [
  "mariadb 10.4",
  "mariadb 10.6",
  "mariadb 10.11",
  "mariadb 11.4",
  "mysql 5.7.44",
  "mysql 8.0.15",
  "mysql 8.0.21",
  "mysql 8.0.22",
  "mysql 8.0.36",
  "mysql 8.4.3",
  "mysql 9.1",
];

describe("golden bundle texts", () => {
  it.each(VERSIONS)(
    "%s: a relay (source.sql + replica.sql, both CRL forms, separate channel cert)",
    async (version) => {
      await render(`${version.replace(" ", "-")}-relay`, "db2", servers(version));
    },
  );

  it("mariadb 10.11: a source with the CRL as a file and two replicas", async () => {
    await render("mariadb-10.11-source-crl-file", "db1", servers("mariadb 10.11", { db1: { crl: "file" } }));
  });

  it("mysql 8.4.3: a replica with one certificate for both uses, the CRL as a directory, its own tlsDir", async () => {
    const s = servers("mysql 8.4.3", { db4: { crl: "dir", tlsDir: "/var/lib/mysql-tls", port: 3307 } });
    await render("mysql-8.4.3-replica-combined-crl-dir", "db4", s);
  });

  it("mariadb 10.11: a replica bundle without a server certificate (repl-pki bundle of a replica cert)", async () => {
    const certs = { ...CERTS, db3: { channel: CERTS.db3!.channel } };
    await render("mariadb-10.11-replica-channel-only", "db3", servers("mariadb 10.11"), certs);
  });
});
