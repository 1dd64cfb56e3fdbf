// A real TLS handshake over 127.0.0.1 with node:tls (node's TLS is OpenSSL, as in mysqld): a server
// with requestCert + rejectUnauthorized and a client, both given our CA (ca/chain.pem) and CRLs
// (crl.pem). The server plays a replication source checking replica certificates (ssl_ca + ssl_crl),
// the client a replica checking its source (MASTER_SSL_CA + MASTER_SSL_CRL). Node sets
// X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL when a CRL is given, like mysqld (spec §1).
//
// Node reads ONE CRL per `crl` element (PEM_read_bio_X509_CRL once per buffer), so crl.pem, which
// holds one CRL per CA, is passed split into its blocks; a single buffer would give the client
// UNABLE_TO_GET_CRL for the intermediate. mysqld reads every CRL in the file
// (X509_load_cert_crl_file).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refreshCrls } from "../../src/api/crl.js";
import { systemDeps } from "../../src/api/deps.js";
import { initCa } from "../../src/api/init-ca.js";
import { type IssueResult, issue } from "../../src/api/issue.js";
import { revoke } from "../../src/api/revoke.js";

interface Party {
  key: Buffer;
  cert: Buffer;
}

interface Trust {
  ca: Buffer;
  crl: string[] | undefined;
}

interface Outcome {
  /** "ok" when the server accepted the client, else why (authorizationError / error code). */
  server: string;
  /** "ok" when the client accepted the server and read the reply, else its error code. */
  client: string;
}

const servers: tls.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function crlList(dir: string): string[] {
  return readFileSync(join(dir, "crl.pem"), "latin1").match(
    /-----BEGIN X509 CRL-----[\s\S]+?-----END X509 CRL-----\n/g,
  )!;
}

function party(r: IssueResult): Party {
  return { key: readFileSync(r.keyPath), cert: readFileSync(r.certPath) };
}

/**
 * One handshake. With `reject` false the server still verifies (requestCert) but lets the connection
 * through, so its socket.authorizationError names the reason (with rejectUnauthorized node destroys
 * the socket silently).
 */
async function handshake(server: Party & Trust, client: Party & Trust, reject = true): Promise<Outcome> {
  let serverResult = "no connection";
  const srv = tls.createServer(
    {
      key: server.key,
      cert: server.cert,
      ca: server.ca,
      crl: server.crl,
      requestCert: true,
      rejectUnauthorized: reject,
    },
    (socket) => {
      serverResult = socket.authorized ? "ok" : String(socket.authorizationError);
      socket.end("pong\n");
    },
  );
  srv.on("tlsClientError", (e: NodeJS.ErrnoException) => {
    if (serverResult === "no connection") serverResult = `refused (${e.code ?? e.message})`;
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  const clientResult = await new Promise<string>((resolve) => {
    let data = "";
    const c = tls.connect({
      host: "127.0.0.1",
      port,
      ca: client.ca,
      crl: client.crl,
      key: client.key,
      cert: client.cert,
    });
    const timer = setTimeout(() => {
      c.destroy();
      resolve("timeout");
    }, 10_000);
    c.setEncoding("utf8");
    c.on("data", (d) => {
      data += d;
    });
    c.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(e.code ?? e.message);
    });
    c.on("close", () => {
      clearTimeout(timer);
      resolve(data === "pong\n" ? "ok" : `closed (${JSON.stringify(data)})`);
    });
  });
  // the server's callbacks may run after the client saw the close
  await new Promise((r) => setTimeout(r, 20));
  return { server: serverResult, client: clientResult };
}

describe.each([false, true])("node:tls with our CA and CRLs (intermediate: %s)", (intermediate) => {
  let base: string;
  let dir: string;
  let source: IssueResult;
  let replicas: Record<string, IssueResult>;
  let trust: () => Trust;

  beforeAll(() => {
    // not tempDir(): that is removed after each test, and these files serve the whole describe
    base = mkdtempSync(join(tmpdir(), "repl-pki-crl-tls-"));
    dir = join(base, "pki");
    const deps = systemDeps();
    initCa({ dir, keyType: "ec-p256", intermediate, cn: "TLS Interop CA" }, deps);
    source = issue({ dir, name: "source1", role: "server", hosts: ["localhost"], ips: ["127.0.0.1"] }, deps);
    replicas = {
      good: issue({ dir, name: "replica-good", role: "replica" }, deps),
      revoked: issue({ dir, name: "replica-revoked", role: "replica" }, deps),
      relay: issue({ dir, name: "relay1", role: "relay", hosts: ["relay1.example.com"] }, deps),
    };
    refreshCrls({ dir }, deps);
    revoke({ dir, name: "replica-revoked", reason: "keyCompromise" }, deps);
    trust = () => ({ ca: readFileSync(join(dir, "ca", "chain.pem")), crl: crlList(dir) });
  });

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("accepts a good replica and a relay (client certificate), both sides verifying with the CRLs", async () => {
    const t = trust();
    expect(t.crl).toHaveLength(intermediate ? 2 : 1);
    for (const r of [replicas.good!, replicas.relay!]) {
      expect(await handshake({ ...party(source), ...t }, { ...party(r), ...t })).toEqual({
        server: "ok",
        client: "ok",
      });
    }
  });

  it("refuses a revoked replica certificate (and says CERT_REVOKED when asked not to reject)", async () => {
    const t = trust();
    const refused = await handshake({ ...party(source), ...t }, { ...party(replicas.revoked!), ...t });
    // node destroys a rejected client's socket without a secureConnection: the client reads nothing
    expect(refused.server).toMatch(/^(refused|no connection)/);
    expect(refused.client).not.toBe("ok");
    const why = await handshake({ ...party(source), ...t }, { ...party(replicas.revoked!), ...t }, false);
    expect(why.server).toBe("CERT_REVOKED");
    // the same server without the CRL lets it in: the refusal comes from the CRL
    const noCrl = await handshake(
      { ...party(source), ca: t.ca, crl: undefined },
      { ...party(replicas.revoked!), ...t },
    );
    expect(noCrl).toEqual({ server: "ok", client: "ok" });
  });

  it("a client given the CRL refuses a revoked server certificate (CERT_REVOKED)", async () => {
    const deps = systemDeps();
    const revokedSource = issue(
      { dir, name: "source-revoked", role: "server", hosts: ["localhost"], ips: ["127.0.0.1"] },
      deps,
    );
    const before = trust();
    expect(
      await handshake({ ...party(revokedSource), ...before }, { ...party(replicas.good!), ...before }),
    ).toEqual({ server: "ok", client: "ok" });
    revoke({ dir, name: "source-revoked", reason: "superseded" }, deps);
    const after = trust();
    const r = await handshake({ ...party(revokedSource), ...after }, { ...party(replicas.good!), ...after });
    expect(r.client).toBe("CERT_REVOKED");
    expect(r.server).toMatch(/^(refused|no connection)/);
    // the good source is still accepted with the new CRLs
    expect(await handshake({ ...party(source), ...after }, { ...party(replicas.good!), ...after })).toEqual({
      server: "ok",
      client: "ok",
    });
  });
});
