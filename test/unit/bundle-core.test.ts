// Pure parts of bundles: version profiles, certificate planning, the managed my.cnf block, identity edges
// and the single-server plan.
import { describe, expect, it } from "vitest";
import {
  certificateNeeds,
  desiredIdentity,
  planCertificates,
  prospectiveCertificate,
} from "../../src/core/bundle/certs.js";
import { checkEdges } from "../../src/core/bundle/identity.js";
import {
  BLOCK_BEGIN,
  BLOCK_END,
  extractManagedBlock,
  spliceManagedBlock,
} from "../../src/core/bundle/my-cnf.js";
import { planSingleBundle } from "../../src/core/bundle/single.js";
import { sqlString } from "../../src/core/bundle/sql.js";
import { parseTopology } from "../../src/core/bundle/topology.js";
import { atLeast, parseServerVersion, serverProfile } from "../../src/core/bundle/versions.js";
import type { IndexEntry } from "../../src/core/index/records.js";
import { CheckFailure, InputError, UsageError } from "../../src/errors.js";

const v = (s: string) => parseServerVersion(s);

describe("server versions", () => {
  it.each([
    [
      "mariadb 10.11",
      "CHANGE MASTER TO",
      "START SLAVE",
      "SHOW SLAVE STATUS",
      "Master_SSL_Allowed",
      "FLUSH SSL",
      "mariadb",
    ],
    [
      "mariadb 11.4",
      "CHANGE MASTER TO",
      "START SLAVE",
      "SHOW SLAVE STATUS",
      "Master_SSL_Allowed",
      "FLUSH SSL",
      "mariadb",
    ],
    [
      "mysql 5.7.44",
      "CHANGE MASTER TO",
      "START SLAVE",
      "SHOW SLAVE STATUS",
      "Master_SSL_Allowed",
      undefined,
      "mysql-5.7",
    ],
    [
      "mysql 8.0.15",
      "CHANGE MASTER TO",
      "START SLAVE",
      "SHOW SLAVE STATUS",
      "Master_SSL_Allowed",
      undefined,
      "mysql-8",
    ],
    [
      "mysql 8.0.21",
      "CHANGE MASTER TO",
      "START SLAVE",
      "SHOW SLAVE STATUS",
      "Master_SSL_Allowed",
      "ALTER INSTANCE RELOAD TLS",
      "mysql-8",
    ],
    [
      "mysql 8.0.22",
      "CHANGE MASTER TO",
      "START REPLICA",
      "SHOW REPLICA STATUS",
      "Source_SSL_Allowed",
      "ALTER INSTANCE RELOAD TLS",
      "mysql-8",
    ],
    [
      "mysql 8.0.23",
      "CHANGE REPLICATION SOURCE TO",
      "START REPLICA",
      "SHOW REPLICA STATUS",
      "Source_SSL_Allowed",
      "ALTER INSTANCE RELOAD TLS",
      "mysql-8",
    ],
    [
      "mysql 8.4.3",
      "CHANGE REPLICATION SOURCE TO",
      "START REPLICA",
      "SHOW REPLICA STATUS",
      "Source_SSL_Allowed",
      "ALTER INSTANCE RELOAD TLS",
      "mysql-8",
    ],
    [
      "mysql 9.1",
      "CHANGE REPLICATION SOURCE TO",
      "START REPLICA",
      "SHOW REPLICA STATUS",
      "Source_SSL_Allowed",
      "ALTER INSTANCE RELOAD TLS",
      "mysql-8",
    ],
  ])(
    "%s: %s / %s / %s %s, reload %s, identity %s",
    (text, change, start, status, allowed, reload, identity) => {
      const p = serverProfile(v(text));
      expect([p.change, p.start, p.status, p.fields.sslAllowed, p.reload, p.identity]).toEqual([
        change,
        start,
        status,
        allowed,
        reload,
        identity,
      ]);
    },
  );

  it("has no channel TLS version on MariaDB, and tls_version / require_secure_transport where they exist", () => {
    expect(serverProfile(v("mariadb 10.11")).channelTlsVersion).toBeUndefined();
    expect(serverProfile(v("mysql 5.7.44")).channelTlsVersion).toBe("TLSv1.2");
    expect(serverProfile(v("mysql 8.0.36")).channelTlsVersion).toBe("TLSv1.2,TLSv1.3");
    expect(serverProfile(v("mariadb 10.4")).requireSecureTransport).toBe(false);
    expect(serverProfile(v("mariadb 10.5.2")).requireSecureTransport).toBe(true);
    expect(atLeast(v("mysql 8.0.23"), 8, 0, 23)).toBe(true);
    expect(atLeast(v("mysql 8.0.22"), 8, 0, 23)).toBe(false);
  });

  it.each([
    "mysql 5.6.51",
    "mysql 8.0",
    "mysql 5.7",
    "mariadb 10.3",
    "mariadb",
    "percona 8.0.36",
    "mysql 5.8.1",
  ])("refuses %s", (text) => {
    expect(() => v(text)).toThrow(UsageError);
  });
});

const topology = parseTopology(
  JSON.stringify({
    servers: {
      db1: { role: "source", hosts: ["db1.example.com", "10.0.0.1"] },
      db2: { role: "replica", hosts: ["db2.example.com"], follows: "db1" },
      db3: { role: "relay", hosts: ["db3.example.com"], follows: "db1", certificate: "combined" },
    },
  }),
);

const NOW = new Date("2026-11-25T12:00:00Z");
const entry = (name: string, role: IndexEntry["role"], over: Partial<IndexEntry> = {}): IndexEntry => ({
  serial: name.toUpperCase(),
  name,
  role,
  notBefore: "2026-01-01T00:00:00Z",
  notAfter: "2028-01-01T00:00:00Z",
  subject: "",
  sans: "",
  issuer: "root",
  status: "V",
  revokedAt: "",
  reason: "",
  ...over,
});

describe("certificate planning", () => {
  const needs = certificateNeeds(topology);
  const current = needs.map((n) => entry(n.base, n.role, desiredIdentity(n)));

  it("needs a server certificate per server and a .client one per separate replica", () => {
    expect(needs.map((n) => `${n.base}:${n.role}`)).toEqual([
      "db1:server",
      "db2:server",
      "db2.client:replica",
      "db3:relay",
    ]);
    expect(desiredIdentity(needs[0]!)).toEqual({
      subject: "CN=db1.example.com",
      sans: "DNS:db1.example.com,IP:10.0.0.1",
      cn: "db1.example.com",
    });
    expect(desiredIdentity(needs[2]!).subject).toBe("CN=db2.client");
  });

  it("issues what is missing and keeps what is current", () => {
    expect(planCertificates(needs, [], NOW, 30 * 86_400_000).map((a) => `${a.action} ${a.name}`)).toEqual([
      "issue db1",
      "issue db2",
      "issue db2.client",
      "issue db3",
    ]);
    expect(planCertificates(needs, current, NOW, 0).every((a) => a.action === "keep")).toBe(true);
  });

  it("reissues under the next generation name: hosts changed, revoked, renewal window, wrong role", () => {
    const changed = current.map((e) => {
      if (e.name === "db1") return { ...e, sans: "DNS:db1.example.com" };
      if (e.name === "db2")
        return {
          ...e,
          status: "R" as const,
          revokedAt: "2026-11-01T00:00:00Z",
          reason: "keyCompromise" as const,
        };
      if (e.name === "db2.client") return { ...e, notAfter: "2026-12-01T00:00:00Z" };
      return { ...e, role: "server" as const };
    });
    changed.push(entry("db2.client.2", "replica", { ...desiredIdentity(needs[2]!), status: "R" }));
    const plan = planCertificates(needs, changed, NOW, 30 * 86_400_000);
    expect(plan.map((a) => `${a.action} ${a.name}`)).toEqual([
      "reissue db1.2",
      "reissue db2.2",
      "reissue db2.client.3",
      "reissue db3.2",
    ]);
    expect(plan[0]!.reason).toMatch(/hosts changed/);
    expect(plan[1]!.reason).toMatch(/revoked \(keyCompromise\)/);
    expect(plan[2]!.reason).toMatch(/was revoked/); // the latest generation (.2) decides
    expect(plan[3]!.reason).toMatch(/a relay certificate is needed/);
    const soon = { ...current[2]!, notAfter: "2026-12-01T00:00:00Z" };
    const renew = planCertificates([needs[2]!], [soon], NOW, 30 * 86_400_000);
    expect(renew[0]!.reason).toMatch(/inside the renewal window/);
  });

  it("checks identities before issuing with a prospective certificate", () => {
    const cert = prospectiveCertificate(needs[0]!);
    const edge = { replica: "db2", replicaVersion: v("mysql 8.0.36"), source: "db1", cert, certName: "db1" };
    expect(checkEdges([{ ...edge, host: "10.0.0.1" }])[0]!.match).toBe(true);
    expect(() => checkEdges([{ ...edge, host: "db1" }])).toThrow(CheckFailure);
    try {
      checkEdges([{ ...edge, host: "10.0.0.2" }]);
    } catch (e) {
      expect((e as CheckFailure).code).toBe("IDENTITY_MISMATCH");
      expect((e as Error).message).toMatch(
        /db2 \(MySQL 8\.0\.36\) dials "10\.0\.0\.2", which db1's certificate db1/,
      );
    }
  });
});

describe("the managed my.cnf block", () => {
  const block = `${BLOCK_BEGIN}: x\n[mysqld]\nssl_ca = /a\n${BLOCK_END}\n`;
  const newer = block.replace("/a", "/b");

  it("appends to a file without a block and replaces only the block later", () => {
    expect(spliceManagedBlock("", block)).toBe(block);
    const mine = "[client]\nuser = me\n";
    const once = spliceManagedBlock(mine, block);
    expect(once).toBe(`${mine}\n${block}`);
    const edited = `${once}[mysqld]\nmax_connections = 10\n`;
    expect(spliceManagedBlock(edited, newer)).toBe(`${mine}\n${newer}[mysqld]\nmax_connections = 10\n`);
    expect(spliceManagedBlock(spliceManagedBlock(edited, newer), newer)).toBe(
      spliceManagedBlock(edited, newer),
    );
    expect(extractManagedBlock(edited)).toBe(block);
  });

  it("refuses a damaged block", () => {
    expect(() => spliceManagedBlock(`${BLOCK_BEGIN}\nssl_ca=/a\n`, block)).toThrow(InputError);
    expect(() => spliceManagedBlock(`x\n${BLOCK_END}\n`, block)).toThrow(/end marker without a begin/);
  });

  it("quotes SQL strings", () => {
    expect(sqlString("a'b\\c")).toBe("'a''b\\\\c'");
  });
});

describe("planSingleBundle", () => {
  const src = entry("source1", "server", {
    subject: "CN=source1.example.com",
    sans: "DNS:source1.example.com",
  });
  const src2 = entry("source2", "server", {
    subject: "CN=source2.example.com",
    sans: "DNS:source2.example.com,IP:10.0.0.2",
  });
  const rep = entry("replica1", "replica", { subject: "CN=replica1", sans: "DNS:replica1" });
  const certs = new Map([
    [
      "source1",
      prospectiveCertificate({
        server: "s",
        kind: "server",
        role: "server",
        base: "source1",
        hosts: ["source1.example.com"],
      }),
    ],
    [
      "source2",
      prospectiveCertificate({
        server: "s",
        kind: "server",
        role: "server",
        base: "source2",
        hosts: ["source2.example.com", "10.0.0.2"],
      }),
    ],
  ]);
  const parse = (n: string) => certs.get(n)!;

  it("makes a source bundle with an account per replica certificate", () => {
    const { target, certs: names } = planSingleBundle({ name: "source1" }, [src, rep], NOW, parse);
    expect(target.server).toMatchObject({ role: "source", hosts: ["source1.example.com"], crl: "both" });
    expect(target.replicas.map((r) => [r.name, r.account])).toEqual([["replica1", "repl_replica1"]]);
    expect(names.get("replica1")).toEqual({ channel: "replica1" });
  });

  it("finds the source of a replica by the host it dials, or refuses", () => {
    const a = planSingleBundle({ name: "replica1", sourceHost: "10.0.0.2" }, [src, src2, rep], NOW, parse);
    expect(a.target.source?.name).toBe("source2");
    expect(a.target.server.sourceHost).toBe("10.0.0.2");
    const only = planSingleBundle({ name: "replica1" }, [src, rep], NOW, parse);
    expect(only.target.server.sourceHost).toBe("source1.example.com");
    expect(() => planSingleBundle({ name: "replica1" }, [src, src2, rep], NOW, parse)).toThrow(
      /which source/,
    );
    expect(() => planSingleBundle({ name: "replica1", sourceHost: "db9" }, [src, rep], NOW, parse)).toThrow(
      CheckFailure,
    );
    const revoked = { ...rep, status: "R" as const };
    expect(() => planSingleBundle({ name: "replica1" }, [src, revoked], NOW, parse)).toThrow(/it is revoked/);
    expect(() => planSingleBundle({ name: "nope" }, [src], NOW, parse)).toThrow(
      /no certificate named "nope"/,
    );
  });
});
