// The topology schema: defaults, and errors that name the field path and its line.
import { describe, expect, it } from "vitest";
import { parseTopology } from "../../src/core/bundle/topology.js";
import { InputError } from "../../src/errors.js";

const text = (o: unknown) => JSON.stringify(o, null, 2);

const BASE = {
  servers: {
    db1: { role: "source", hosts: ["db1.example.com", "10.0.0.1"] },
    db2: { role: "replica", hosts: ["db2.example.com"], follows: "db1" },
  },
};

function problems(o: unknown): string[] {
  try {
    parseTopology(typeof o === "string" ? o : text(o), "t.json");
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe("TOPOLOGY_INVALID");
    return ((e as InputError).details!.problems as { path: string; message: string }[]).map(
      (p) => `${p.path}: ${p.message}`,
    );
  }
  throw new Error("expected TOPOLOGY_INVALID");
}

describe("parseTopology", () => {
  it("fills every default", () => {
    const t = parseTopology(text(BASE));
    expect(t.ca).toEqual({
      cn: undefined,
      keyType: undefined,
      intermediate: false,
      leafDays: 825,
      renewBeforeDays: 30,
      crlDays: 30,
      crlSafetyDays: 7,
    });
    const [db1, db2] = t.servers;
    expect(db1).toMatchObject({
      role: "source",
      port: 3306,
      crl: "both",
      tlsDir: "/etc/mysql/tls",
      opensslMajor: 3,
    });
    expect(db1!.version).toEqual({ flavour: "mariadb", major: 10, minor: 11, patch: undefined });
    expect(db2).toMatchObject({
      follows: "db1",
      sourceHost: "db1.example.com",
      account: "repl_db2",
      accountHost: "%",
      passwordEnv: "REPL_PASSWORD_DB2",
      certificate: "separate",
    });
  });

  it("takes defaults from the defaults object and lets a server override them", () => {
    const t = parseTopology(
      text({
        defaults: { server: "mysql 8.0.36", crl: "dir", tlsDir: "/srv/tls/", port: 3307 },
        servers: {
          a: { role: "source", hosts: ["a.test"] },
          b: { role: "replica", hosts: ["b.test"], follows: "a", server: "mysql 5.7.44", crl: "file" },
        },
      }),
    );
    expect(t.servers[0]).toMatchObject({ crl: "dir", tlsDir: "/srv/tls", port: 3307 });
    expect(t.servers[1]).toMatchObject({ crl: "file", opensslMajor: 1 });
    expect(t.servers[1]!.version.major).toBe(5);
  });

  it("skips a wildcard host when choosing the default sourceHost, and needs one when all are wildcards", () => {
    const t = parseTopology(
      text({
        servers: {
          a: { role: "source", hosts: ["*.db.example.com", "a.db.example.com"] },
          b: { role: "replica", hosts: ["b.test"], follows: "a" },
        },
      }),
    );
    expect(t.servers[1]!.sourceHost).toBe("a.db.example.com");
    expect(
      problems({
        servers: {
          a: { role: "source", hosts: ["*.db.example.com"] },
          b: { role: "replica", hosts: ["b.test"], follows: "a" },
        },
      }),
    ).toEqual(['servers.b.sourceHost: every host of "a" is a wildcard: name the one to dial']);
  });

  it.each([
    [{ servers: {} }, "servers: must name at least one server"],
    [{}, "servers: is required"],
    [
      { servers: { db1: { role: "primary", hosts: ["a"] } } },
      'servers.db1.role: must be one of "source", "replica", "relay"',
    ],
    [{ servers: { db1: { role: "source" } } }, "servers.db1.hosts: must be a non-empty list of strings"],
    [{ servers: { db1: { role: "source", hosts: ["a b"] } } }, 'servers.db1.hosts: invalid host name "a b"'],
    [{ servers: { "DB.1": { role: "source", hosts: ["a"] } } }, "servers.DB.1: a server name is 1-48"],
    [
      { servers: { db1: { role: "source", hosts: ["a"], folows: "x" } } },
      'servers.db1.folows: unknown field (did you mean "follows"?)',
    ],
    [
      { servers: { db1: { role: "source", hosts: ["a"], follows: "x" } } },
      "servers.db1.follows: a source follows no server",
    ],
    [
      { servers: { db1: { role: "replica", hosts: ["a"] } } },
      "servers.db1.follows: a replica needs the name of the server it follows",
    ],
    [
      { servers: { db1: { role: "source", hosts: ["a"], server: "mysql 8.0" } } },
      'servers.db1.server: unsupported server version "mysql 8.0"',
    ],
    [
      { servers: { db1: { role: "source", hosts: ["a"], server: "postgres 16" } } },
      "servers.db1.server: unsupported",
    ],
    [
      { servers: { db1: { role: "source", hosts: ["a"], port: 0 } } },
      "servers.db1.port: must be a whole number from 1 to 65535",
    ],
    [
      { servers: { db1: { role: "source", hosts: ["a"], tlsDir: "tls" } } },
      'servers.db1.tlsDir: "tls" is not an absolute path',
    ],
    [
      { servers: { db1: { role: "source", hosts: ["a"], crl: "both!" } } },
      'servers.db1.crl: must be one of "file", "dir", "both"',
    ],
    [
      { defaults: { crl: "x" }, servers: { db1: { role: "source", hosts: ["a"] } } },
      "defaults.crl: must be one of",
    ],
    [
      { ca: { crlDays: 5, crlSafetyDays: 5 }, servers: { db1: { role: "source", hosts: ["a"] } } },
      "ca.crlSafetyDays: must be smaller than ca.crlDays",
    ],
    [
      { ca: { keyType: "dsa" }, servers: { db1: { role: "source", hosts: ["a"] } } },
      "ca.keyType: must be one of",
    ],
  ])("refuses %j: %s", (o, want) => {
    expect(problems(o).join("\n")).toContain(want);
  });

  it("checks the replication graph", () => {
    expect(
      problems({
        servers: {
          a: { role: "relay", hosts: ["a"], follows: "b" },
          b: { role: "relay", hosts: ["b"], follows: "a" },
          c: { role: "replica", hosts: ["c"], follows: "nowhere" },
          d: { role: "replica", hosts: ["d"], follows: "c" },
          e: { role: "replica", hosts: ["e"], follows: "a", account: "shared" },
          f: { role: "replica", hosts: ["f"], follows: "a", account: "shared" },
        },
      }),
    ).toEqual([
      'servers.a.follows: replication loop through "a"',
      'servers.b.follows: replication loop through "b"',
      'servers.c.follows: no server named "nowhere" in the topology',
      'servers.d.follows: "c" is a replica; a replica can follow a source or a relay',
      'servers.f.account: "shared" is already the account of e on a',
    ]);
  });

  it("names the line of a bad field and of a JSON syntax error", () => {
    const bad = text({ servers: { db1: { role: "source", hosts: ["a"], port: "x" } } });
    try {
      parseTopology(bad, "t.json");
      throw new Error("no error");
    } catch (e) {
      expect((e as Error).message).toMatch(/t\.json:8: servers\.db1\.port: must be a whole number/);
    }
    expect(() =>
      parseTopology('{\n  "servers": {\n    "db1": { "role": "source", }\n  }\n}', "t.json"),
    ).toThrow(/t\.json:3:\d+: not valid JSON/);
  });
});
