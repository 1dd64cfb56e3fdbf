// Two processes issuing at once, and processes killed (SIGKILL) mid-issue: the index must stay intact,
// serials distinct, and the CA usable afterwards (issue 3, "CA state").
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { systemDeps } from "../../src/api/deps.js";
import { initCa } from "../../src/api/init-ca.js";
import { issue } from "../../src/api/issue.js";
import { formatSerial } from "../../src/core/serial.js";
import { parseCertificateDer } from "../../src/core/x509/certificate-parse.js";
import { pemDecodeAll } from "../../src/core/x509/pem.js";
import { readJournal } from "../../src/store/journal.js";
import { tempDir } from "../helpers/tmp.js";

const LOOP = join(import.meta.dirname, "..", "scripts", "issue-loop.mjs");

function startLoop(dir: string, prefix: string, count: number) {
  const child = spawn(process.execPath, [LOOP, dir, prefix, String(count)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) =>
    child.on("exit", (code, signal) => res({ code, signal, stderr })),
  );
  return { child, done };
}

function newCa(): string {
  const dir = join(tempDir(), "pki");
  initCa({ dir, keyType: "ec-p256" }, systemDeps());
  return dir;
}

/** Every index entry has its certificate file, with the serial the index recorded. */
function assertConsistent(dir: string): number {
  const { entries } = readJournal(join(dir, "index.log"));
  const serials = new Set<string>();
  for (const e of entries.values()) {
    expect(serials.has(e.serial)).toBe(false);
    serials.add(e.serial);
    if (e.role === "root-ca") continue;
    const der = pemDecodeAll(readFileSync(join(dir, "certs", `${e.name}.pem`), "latin1"))[0]!.der;
    expect(formatSerial(parseCertificateDer(der).serial)).toBe(e.serial);
    expect(existsSync(join(dir, "keys", `${e.name}.key`))).toBe(true);
  }
  return entries.size;
}

describe("concurrent issue", () => {
  it("two processes × 100 issues give 200 distinct serials and an intact index", async () => {
    const dir = newCa();
    const a = startLoop(dir, "a", 100);
    const b = startLoop(dir, "b", 100);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.stderr + rb.stderr).toBe("");
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(assertConsistent(dir)).toBe(201);
    const names = [...readJournal(join(dir, "index.log")).entries.values()].map((e) => e.name);
    expect(new Set(names).size).toBe(201);
    expect(readdirSync(join(dir, "serials"))).toHaveLength(200);
    expect(existsSync(join(dir, ".lock"))).toBe(false);
  }, 120_000);
});

describe("crash safety", () => {
  it("a process killed with SIGKILL at any point leaves a loadable CA that keeps issuing", async () => {
    const dir = newCa();
    for (let round = 0; round < 6; round++) {
      const loop = startLoop(dir, `k${round}`, 1000);
      await new Promise((r) => setTimeout(r, 250 + round * 97));
      loop.child.kill("SIGKILL");
      const { signal } = await loop.done;
      expect(signal).toBe("SIGKILL");
      assertConsistent(dir);
      // the dead process may still "hold" the lock: the next issue must break it as stale
      const r = issue({ dir, name: `after-${round}`, role: "replica" }, systemDeps());
      expect(r.entry.name).toBe(`after-${round}`);
    }
    expect(assertConsistent(dir)).toBeGreaterThan(7);
  }, 120_000);
});
