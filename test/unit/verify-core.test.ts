// The pure parts of the verifier that the openssl interop matrix does not isolate: the look-alike
// rules, the hashed-directory walk of the store, and the validity-window boundaries.
import { describe, expect, it } from "vitest";
import { OID } from "../../src/core/der/oids.js";
import { certInfo, timeState } from "../../src/core/verify/cert-info.js";
import { lintAgainstCas, lintCertificate } from "../../src/core/verify/lint.js";
import { VerifyStore } from "../../src/core/verify/store.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { opensslNameHash } from "../../src/core/x509/name-hash.js";
import { DAY, EXT, makeCert } from "../helpers/pki-builder.js";

const T = Date.parse("2026-11-25T12:00:00Z");
const t = { notBefore: new Date(T - DAY), notAfter: new Date(T + DAY) };
const root = makeCert({ cn: "Unit Root", ...t, ext: EXT.ca() });
const parsed = (p: { der: Buffer }) => parseCertificateDer(p.der);
const failing = (results: { id: string; ok: boolean }[]) => results.filter((r) => !r.ok).map((r) => r.id);

describe("look-alike rules", () => {
  it("passes an ordinary server certificate", () => {
    const leaf = makeCert({ cn: "db1.example.com", issuer: root, ...t, ext: EXT.leaf() });
    expect(failing(lintCertificate(parsed(leaf), ["server"]))).toEqual([]);
    expect(failing(lintAgainstCas(parsed(leaf), [parsed(root)]))).toEqual([]);
  });
  it.each([
    ["MySQL_Server_8.0.26_Auto_Generated_Server_Certificate"],
    ["MySQL_Server_10.11.6-MariaDB_Auto_Generated_Server_Certificate"],
    ["ProxySQL_Auto_Generated_Server_Certificate"],
  ])("flags the auto-generated CN %s", (cn) => {
    const leaf = makeCert({ cn, issuer: root, ...t });
    expect(failing(lintCertificate(parsed(leaf), ["server"]))).toEqual(["auto-generated"]);
  });
  it("flags a CA certificate, a self-signed one, v1, and a missing EKU per role", () => {
    expect(failing(lintCertificate(parsed(root), ["server"]))).toEqual(["self-signed", "ca-as-leaf"]);
    const v1 = makeCert({ cn: "db1", issuer: root, ...t, v1: true });
    expect(failing(lintCertificate(parsed(v1), ["server"]))).toEqual(["x509-v1"]);
    const client = makeCert({ cn: "r1", issuer: root, ...t, ext: EXT.leaf([OID.clientAuth]) });
    expect(failing(lintCertificate(parsed(client), ["server"]))).toEqual(["eku"]);
    expect(failing(lintCertificate(parsed(client), ["client"]))).toEqual([]);
    expect(failing(lintCertificate(parsed(client), ["server", "client"]))).toEqual(["eku"]);
    const noEku = makeCert({ cn: "r2", issuer: root, ...t, ext: EXT.leaf(null) });
    expect(failing(lintCertificate(parsed(noEku), ["server", "client"]))).toEqual([]);
  });
  it("flags a leaf with a CA's CN or a CA's key", () => {
    const sameCn = makeCert({ cn: "Unit Root", issuer: root, ...t, ext: EXT.leaf() });
    expect(failing(lintAgainstCas(parsed(sameCn), [parsed(root)]))).toEqual(["cn-equals-ca"]);
    const sameKey = makeCert({ cn: "db1", key: root.key, issuer: root, ...t, ext: EXT.leaf() });
    expect(failing(lintAgainstCas(parsed(sameKey), [parsed(root)]))).toEqual(["shared-key"]);
  });
});

describe("hashed directory walk", () => {
  const int = makeCert({ cn: "Unit Int", issuer: root, ...t, ext: EXT.ca() });
  const h = opensslNameHash(root.subject);
  const store = (files: Record<string, string>) => {
    const read: string[] = [];
    const s = new VerifyStore(
      [],
      [],
      [
        {
          label: "--capath",
          read: (f) => {
            read.push(f);
            return files[f] === undefined ? undefined : Buffer.from(files[f]!);
          },
        },
      ],
    );
    return { s, read };
  };
  const rootInfo = certInfo(parsed(root), "x");
  it("finds <hash>.0 and stops at the first missing suffix", () => {
    const { s, read } = store({ [`${h}.0`]: root.pem, [`${h}.2`]: int.pem });
    expect(s.certsBySubject(root.subject, rootInfo.subject)).toHaveLength(1);
    expect(read).toEqual([`${h}.0`, `${h}.1`]);
  });
  it("stops at a file without a certificate", () => {
    const { s } = store({ [`${h}.0`]: "junk", [`${h}.1`]: root.pem });
    expect(s.certsBySubject(root.subject, rootInfo.subject)).toHaveLength(0);
  });
  it("does not read the directory again for a name it already holds", () => {
    const { s, read } = store({ [`${h}.0`]: root.pem });
    s.certsBySubject(root.subject, rootInfo.subject);
    s.certsBySubject(root.subject, rootInfo.subject);
    expect(read).toEqual([`${h}.0`, `${h}.1`]);
  });
});

describe("validity window (X509_cmp_time, checked against openssl -attime)", () => {
  const c = parsed(root);
  const s = (d: Date) => Math.floor(d.getTime() / 1000);
  it("is valid from notBefore up to, not including, notAfter", () => {
    expect(timeState(c, s(c.notBefore) - 1)).toBe("not-yet-valid");
    expect(timeState(c, s(c.notBefore))).toBe("valid");
    expect(timeState(c, s(c.notAfter) - 1)).toBe("valid");
    expect(timeState(c, s(c.notAfter))).toBe("expired");
  });
});
