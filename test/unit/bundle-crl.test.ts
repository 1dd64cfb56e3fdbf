// The CRL gate of bundles, on real CRLs made by refreshCrls with chosen clocks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainOf } from "../../src/api/bundle.js";
import { refreshCrls } from "../../src/api/crl.js";
import { initCa } from "../../src/api/init-ca.js";
import { checkBundleCrls } from "../../src/core/bundle/crl-check.js";
import { DAY_MS } from "../../src/core/time.js";
import { CheckFailure, InputError } from "../../src/errors.js";
import { loadCa } from "../../src/store/ca-store.js";
import { testDeps } from "../helpers/deps.js";
import { tempDir } from "../helpers/tmp.js";

const NOW = new Date("2026-11-25T12:00:00Z");
const at = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

function newCa() {
  const dir = join(tempDir(), "pki");
  initCa({ dir, keyType: "ec-p256", intermediate: true }, testDeps(NOW));
  return dir;
}

const crlFile = (dir: string) => [{ label: "crl.pem", pem: readFileSync(join(dir, "crl.pem")) }];
const crlDir = (dir: string) =>
  readdirSync(join(dir, "crl.d"))
    .filter((n) => /\.r\d+$/.test(n))
    .map((n) => ({ label: `crl.d/${n}`, pem: readFileSync(join(dir, "crl.d", n)) }));

describe("checkBundleCrls", () => {
  it("passes current CRLs of every CA and reports the earliest nextUpdate", () => {
    const dir = newCa();
    refreshCrls({ dir, days: 30 }, testDeps(NOW));
    const chain = chainOf(loadCa(dir));
    const r = checkBundleCrls("crl.pem", crlFile(dir), chain, NOW, 7 * DAY_MS);
    expect(r.nextUpdate).toBe("2026-12-25T12:00:00Z");
    expect(checkBundleCrls("crl.d/", crlDir(dir), chain, NOW, 7 * DAY_MS).nextUpdate).toBe(r.nextUpdate);
  });

  it("refuses an expired CRL, one inside the safety window, and a CA without a CRL", () => {
    const dir = newCa();
    refreshCrls({ dir, days: 10 }, testDeps(NOW));
    const chain = chainOf(loadCa(dir));
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as CheckFailure;
      }
      throw new Error("no error");
    };
    const expired = err(() => checkBundleCrls("crl.pem", crlFile(dir), chain, at(11), 7 * DAY_MS));
    expect(expired).toBeInstanceOf(CheckFailure);
    expect(expired.code).toBe("CRL_EXPIRED");
    expect(expired.message).toMatch(/the CRL of the root CA expired at 2026-12-05T12:00:00Z/);
    const expiring = err(() => checkBundleCrls("crl.pem", crlFile(dir), chain, at(5), 7 * DAY_MS));
    expect(expiring.code).toBe("CRL_EXPIRING");
    expect(expiring.message).toMatch(/inside the 7-day safety window/);
    const rootOnly = crlDir(dir).slice(0, 1);
    const missing = err(() => checkBundleCrls("crl.d/", rootOnly, chain, NOW, 0));
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.code).toBe("CRL_MISSING");
    expect(err(() => checkBundleCrls("crl.pem", [], chain, NOW, 0)).message).toMatch(
      /crl\.pem has no CRL of the root CA/,
    );
  });

  it("judges crl.d by the CRL OpenSSL would pick: a current one beats a newer expired one", () => {
    const dir = newCa();
    refreshCrls({ dir, days: 30 }, testDeps(NOW));
    refreshCrls({ dir, days: 1 }, testDeps(at(1))); // newer thisUpdate, expires at day 2
    const chain = chainOf(loadCa(dir));
    const r = checkBundleCrls("crl.d/", crlDir(dir), chain, at(3), 7 * DAY_MS);
    expect(r.nextUpdate).toBe("2026-12-25T12:00:00Z");
    expect(() => checkBundleCrls("crl.pem", crlFile(dir), chain, at(3), 7 * DAY_MS)).toThrow(/expired/);
  });

  it("ignores a CRL signed by another CA with the same name", () => {
    const a = newCa();
    const b = newCa();
    refreshCrls({ dir: b, days: 30 }, testDeps(NOW));
    expect(() => checkBundleCrls("crl.pem", crlFile(b), chainOf(loadCa(a)), NOW, 0)).toThrow(
      /no CRL of the root CA signed by it/,
    );
  });
});
