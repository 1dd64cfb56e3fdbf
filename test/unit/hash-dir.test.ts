// planHashDir: the OpenSSL hashed directory (ssl_crlpath / MASTER_SSL_CRLPATH) as a plan. OpenSSL's
// by_dir lookup probes <hash>.0, .1, … and <hash>.r0, .r1, … until the first missing N (spec §2), so
// after applying any plan every hash must still count from 0 without a gap.
import { describe, expect, it } from "vitest";
import { type HashDirInput, type HashDirPlan, planHashDir } from "../../src/core/crl/hash-dir.js";

const H = "8f0454dd";
const I = "cf44d17f";

/** The directory listing after the plan is applied (writes first, then removals, as applyHashDir does). */
function apply(existing: string[], plan: HashDirPlan): string[] {
  const dir = new Set(existing);
  for (const w of plan.write) dir.add(w.path);
  for (const r of plan.remove) dir.delete(r);
  return [...dir].sort();
}

/** Every <hash>.N and <hash>.rN sequence in `names` is 0..k without a hole. */
function expectNoGaps(names: string[]): void {
  const seqs = new Map<string, number[]>();
  for (const n of names) {
    const m = /^([0-9a-f]{8})\.(r?)(\d+)$/.exec(n);
    if (!m) continue;
    const key = `${m[1]}.${m[2]}`;
    seqs.set(key, [...(seqs.get(key) ?? []), Number(m[3])]);
  }
  for (const [key, ns] of seqs) {
    expect(
      ns.sort((a, b) => a - b),
      key,
    ).toEqual(ns.map((_, i) => i));
  }
}

const input = (over: Partial<HashDirInput>): HashDirInput => ({
  existing: [],
  caCerts: [{ hash: H, pem: "ROOT" }],
  crls: [{ hash: H, pem: "CRL-NEW" }],
  prune: false,
  ...over,
});

describe("planHashDir", () => {
  it("first generation: <hash>.0 per CA certificate and <hash>.r0 per CRL, mode 0644, nothing removed", () => {
    const plan = planHashDir(
      input({
        caCerts: [
          { hash: H, pem: "ROOT" },
          { hash: I, pem: "INT" },
        ],
        crls: [
          { hash: H, pem: "CRL-ROOT" },
          { hash: I, pem: "CRL-INT" },
        ],
      }),
    );
    expect(plan.write).toEqual([
      { path: `${H}.0`, contents: "ROOT", mode: 0o644 },
      { path: `${I}.0`, contents: "INT", mode: 0o644 },
      { path: `${H}.r0`, contents: "CRL-ROOT", mode: 0o644 },
      { path: `${I}.r0`, contents: "CRL-INT", mode: 0o644 },
    ]);
    expect(plan.remove).toEqual([]);
  });

  it("a refresh adds the next .rN and keeps the old ones (a running OpenSSL only probes new suffixes)", () => {
    const existing = [`${H}.0`, `${H}.r0`, `${H}.r1`];
    const plan = planHashDir(input({ existing }));
    expect(plan.write.map((w) => w.path)).toEqual([`${H}.0`, `${H}.r2`]);
    expect(plan.remove).toEqual([]);
    expect(apply(existing, plan)).toEqual([`${H}.0`, `${H}.r0`, `${H}.r1`, `${H}.r2`]);
  });

  it("fills a gap first, so the lookup (which stops at the first missing N) reaches every CRL", () => {
    const existing = [`${H}.0`, `${H}.r0`, `${H}.r2`, `${H}.r3`];
    const plan = planHashDir(input({ existing }));
    expect(plan.write.find((w) => w.contents === "CRL-NEW")?.path).toBe(`${H}.r1`);
    const after = apply(existing, plan);
    expectNoGaps(after);
    expect(after).toEqual([`${H}.0`, `${H}.r0`, `${H}.r1`, `${H}.r2`, `${H}.r3`]);
  });

  it("prune: only .r0 is left, holding the new CRL (the old .r0 is replaced, not removed)", () => {
    const existing = [`${H}.0`, `${H}.r0`, `${H}.r1`, `${H}.r2`, `${I}.r0`];
    const plan = planHashDir(input({ existing, prune: true }));
    expect(plan.write).toContainEqual({ path: `${H}.r0`, contents: "CRL-NEW", mode: 0o644 });
    // Regression: the plan used to list .r0 in `remove` too, and applyHashDir removes after writing,
    // so a prune left no CRL at all in crl.d (openssl verify -CApath: error 3).
    expect(plan.remove).not.toContain(`${H}.r0`);
    expect(plan.remove.sort()).toEqual([`${H}.r1`, `${H}.r2`]);
    // CRLs of a hash that gets no new CRL are not pruned
    expect(apply(existing, plan)).toEqual([`${H}.0`, `${H}.r0`, `${I}.r0`]);
  });

  it("two CAs whose subjects hash alike get .0/.1 and .r0/.r1, then .r2/.r3, never a gap", () => {
    const caCerts = [
      { hash: H, pem: "CA-A" },
      { hash: H, pem: "CA-B" },
    ];
    const first = planHashDir({
      existing: [],
      caCerts,
      crls: [
        { hash: H, pem: "CRL-A1" },
        { hash: H, pem: "CRL-B1" },
      ],
      prune: false,
    });
    expect(first.write.map((w) => [w.path, w.contents])).toEqual([
      [`${H}.0`, "CA-A"],
      [`${H}.1`, "CA-B"],
      [`${H}.r0`, "CRL-A1"],
      [`${H}.r1`, "CRL-B1"],
    ]);
    const dir = apply([], first);
    const second = planHashDir({
      existing: dir,
      caCerts,
      crls: [
        { hash: H, pem: "CRL-A2" },
        { hash: H, pem: "CRL-B2" },
      ],
      prune: false,
    });
    expect(second.remove).toEqual([]);
    expect(second.write.slice(2).map((w) => [w.path, w.contents])).toEqual([
      [`${H}.r2`, "CRL-A2"],
      [`${H}.r3`, "CRL-B2"],
    ]);
    expectNoGaps(apply(dir, second));
    const pruned = planHashDir({
      existing: apply(dir, second),
      caCerts,
      crls: [
        { hash: H, pem: "CRL-A3" },
        { hash: H, pem: "CRL-B3" },
      ],
      prune: true,
    });
    const after = apply(apply(dir, second), pruned);
    expect(after).toEqual([`${H}.0`, `${H}.1`, `${H}.r0`, `${H}.r1`]);
    expect(pruned.write.filter((w) => w.path.includes(".r")).map((w) => w.contents)).toEqual([
      "CRL-A3",
      "CRL-B3",
    ]);
  });

  it("removes certificate names of CAs no longer in the chain, and nothing that is not a hash name", () => {
    const existing = [
      `${H}.0`,
      `${H}.1`, // a second certificate under the root's hash that is not wanted any more
      "deadbeef.0", // a CA that left the chain
      "deadbeef.r0", // its CRL: left alone (only a prune of a hash being written removes CRLs)
      "README",
      ".8f0454dd.r5.tmp-123",
      `${H}.pem`,
      "8F0454DD.0", // OpenSSL only ever looks up lowercase names
    ];
    const plan = planHashDir(input({ existing }));
    expect(plan.remove.sort()).toEqual([`${H}.1`, "deadbeef.0"]);
    const after = apply(existing, plan);
    expect(after).toContain("README");
    expect(after).toContain("deadbeef.r0");
    expect(after).toContain(`${H}.r0`);
    expectNoGaps(after);
  });

  it("keeps every hash contiguous over many random refresh/prune sequences", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const hashes = [H, I, "00000000"];
    for (let run = 0; run < 50; run++) {
      let dir: string[] = [];
      for (let step = 0; step < 12; step++) {
        const crls = hashes
          .filter(() => rnd() < 0.7)
          .map((hash, i) => ({ hash, pem: `${run}-${step}-${i}` }));
        // now and then a file disappears from the middle (an admin's rm): the next plan refills the hole
        if (rnd() < 0.2 && dir.length > 0) dir = dir.filter((_, i) => i !== Math.floor(rnd() * dir.length));
        const plan = planHashDir({
          existing: dir,
          caCerts: hashes.map((hash) => ({ hash, pem: hash })),
          crls,
          prune: rnd() < 0.15,
        });
        dir = apply(dir, plan);
        for (const c of crls) expect(plan.write.some((w) => w.contents === c.pem)).toBe(true);
        for (const w of plan.write) expect(dir, `${w.path} written, then removed`).toContain(w.path);
        for (const hash of hashes) expect(dir).toContain(`${hash}.0`);
        // a hole refilled this step may leave a later one; but each new CRL's name is the first free one
        for (const w of plan.write.filter((x) => x.path.includes(".r"))) {
          const [h, n] = w.path.split(".r") as [string, string];
          for (let k = 0; k < Number(n); k++) expect(dir).toContain(`${h}.r${k}`);
        }
      }
    }
  });
});
