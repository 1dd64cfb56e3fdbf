// Turn a raw-*.tsv written by run-peers.sh into tables.
//
//   node report.mjs RAW.tsv [--md OUT.md]
//
// For each workload and tool:
//   n        items per round x rounds (for CRLs: 1 CRL x rounds)
//   median   median over rounds of the per-item milliseconds of that round
//   min-max  the spread of the per-round figures
//   x ref    median over rounds of (tool's figure / reference's figure in the
//            SAME round): the number to quote, as it survives a noisy machine.
//   x ref2   the same against the workload's second yardstick, where it has one
//            (node-proc-floor for certificates, openssl-ca for CRLs).
import { readFileSync, writeFileSync } from "node:fs";

const [rawFile, ...rest] = process.argv.slice(2);
if (!rawFile) {
  console.error("usage: node report.mjs RAW.tsv [--md OUT.md]");
  process.exit(2);
}
const mdOut = rest[0] === "--md" ? rest[1] : null;

const meta = new Map();
const refs = new Map();
const refs2 = new Map();
const workloads = new Map(); // workload -> Map(tool -> {samples: Map(round -> [items, ms]), notes: []})
const probes = [];
const entry = (w, t) => {
  if (!workloads.has(w)) workloads.set(w, new Map());
  const m = workloads.get(w);
  if (!m.has(t)) m.set(t, { samples: new Map(), notes: [] });
  return m.get(t);
};
for (const line of readFileSync(rawFile, "utf8").split("\n")) {
  if (!line) continue;
  const f = line.split("\t");
  switch (f[0]) {
    case "META":
      meta.set(f[1], f[2]);
      break;
    case "REF":
      refs.set(f[1], f[2]);
      entry(f[1], f[2]);
      break;
    case "REF2":
      refs2.set(f[1], f[2]);
      break;
    case "S":
      entry(f[1], f[2]).samples.set(f[3], [Number(f[4]), Number(f[5])]);
      break;
    case "NOTE":
      entry(f[1], f[2]).notes.push(f[3]);
      break;
    case "PROBE":
      probes.push({ tool: f[2], n: Number(f[3]), ms: Number(f[4]) });
      break;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (x) =>
  x == null ? "—" : x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0);
const fmtX = (x) =>
  x == null
    ? "—"
    : x < 0.1
      ? x.toPrecision(2)
      : x < 10
        ? x.toFixed(2)
        : x < 100
          ? x.toFixed(1)
          : x.toFixed(0);

const tables = [];
const checks = [];
for (const [w, tools] of workloads) {
  const refTool = refs.get(w);
  const ref = refTool ? tools.get(refTool) : null;
  const ref2Tool = refs2.get(w);
  const ref2 =
    ref2Tool && tools.has(ref2Tool) && tools.get(ref2Tool).samples.size ? tools.get(ref2Tool) : null;
  const paired = (e, base) => {
    const out = [];
    if (base)
      for (const [r, [, ms]] of e.samples) {
        const rs = base.samples.get(r);
        if (rs && rs[1] > 0) out.push(ms / rs[1]);
      }
    return out;
  };
  const rows = [];
  for (const [t, e] of tools) {
    const vals = [...e.samples.values()].map(([, ms]) => ms);
    const items = [...new Set([...e.samples.values()].map(([n]) => n))];
    const ratios = paired(e, ref);
    const ratios2 = paired(e, ref2);
    const problems = e.notes.filter(
      (n) => !n.startsWith("checked:") && !/^(bytes|entries|threadpool|exponent)=/.test(n),
    );
    const info = e.notes.filter((n) => /^(bytes|threadpool|exponent)=/.test(n));
    for (const n of e.notes.filter((n) => n.startsWith("checked:")))
      checks.push(`${w} / ${t}: ${n.slice(9).trim()}`);
    let status = problems.join("; ");
    if (!vals.length && !status) status = "no figure";
    rows.push({
      tool: t + (t === refTool ? " (ref)" : t === ref2Tool && ref2 ? " (ref2)" : ""),
      n: vals.length ? `${items.join("/")}×${vals.length}` : "—",
      med: vals.length ? median(vals) : null,
      min: vals.length ? Math.min(...vals) : null,
      max: vals.length ? Math.max(...vals) : null,
      x: ratios.length ? median(ratios) : null,
      x2: ratios2.length ? median(ratios2) : null,
      note: [status, ...info].filter(Boolean).join("; "),
      isRef: t === refTool,
    });
  }
  rows.sort((a, b) => b.isRef - a.isRef || (a.med ?? Infinity) - (b.med ?? Infinity));
  tables.push({ w, refTool, rows });
}

// ---------------------------------------------------------------- text
const out = [];
out.push(
  `repl-pki peer benchmark  ${meta.get("date") ?? ""}  scale=${meta.get("scale") ?? "?"}  wall=${meta.get("wall_seconds") ?? "?"} s`,
);
out.push(
  `machine: ${meta.get("machine") ?? "?"}; load ${meta.get("loadavg_start") ?? "?"} -> ${meta.get("loadavg_end") ?? "?"}`,
);
out.push(
  ["node", "openssl", "easy-rsa", "cfssl", "mkcert", "@peculiar/x509", "repl-pki"]
    .filter((k) => meta.has(k))
    .map((k) => `${k} ${meta.get(k)}`)
    .join(" | "),
);
out.push("");
const head = ["workload", "tool", "n", "median ms", "min–max ms", "× ref", "× ref2", "note"];
const lines = [];
for (const { w, rows } of tables)
  for (const r of rows) {
    lines.push([
      w,
      r.tool,
      r.n,
      fmtMs(r.med),
      r.med == null ? "—" : `${fmtMs(r.min)}–${fmtMs(r.max)}`,
      fmtX(r.x),
      fmtX(r.x2),
      r.note,
    ]);
  }
const width = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
const fmtLine = (l) =>
  l
    .map((c, i) => (i === l.length - 1 ? String(c) : String(c).padEnd(width[i])))
    .join("  ")
    .trimEnd();
out.push(fmtLine(head));
let prev = null;
for (const l of lines) {
  if (prev !== null && l[0] !== prev) out.push("");
  out.push(fmtLine(l[0] === prev ? ["", ...l.slice(1)] : l));
  prev = l[0];
}
if (probes.length) {
  out.push("");
  out.push(
    "x509-naive CRL scaling probe (one process, sizes in turn): " +
      probes.map((p) => `${p.n}: ${fmtMs(p.ms)} ms`).join(", "),
  );
}
if (checks.length) {
  out.push("");
  out.push("output checks:");
  for (const c of checks) out.push(`  ${c}`);
}
console.log(out.join("\n"));

// ---------------------------------------------------------------- markdown
if (mdOut) {
  const md = [];
  md.push(
    `Measured ${meta.get("date") ?? ""}, scale \`${meta.get("scale")}\`, wall ${meta.get("wall_seconds") ?? "?"} s.`,
  );
  md.push(
    `Machine: ${meta.get("machine") ?? "?"}; load average ${meta.get("loadavg_start")} at start, ${meta.get("loadavg_end")} at end.`,
  );
  md.push("");
  md.push("| workload | tool | n | median ms | min–max ms | × ref | × ref2 | note |");
  md.push("|---|---|---|---:|---:|---:|---:|---|");
  for (const l of lines) md.push(`| ${l.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`);
  if (probes.length) {
    md.push("");
    md.push(
      "x509-naive CRL scaling probe: " + probes.map((p) => `${p.n} entries ${fmtMs(p.ms)} ms`).join(", "),
    );
  }
  if (checks.length) {
    md.push("");
    md.push("Output checks:");
    md.push("");
    for (const c of checks) md.push(`- ${c}`);
  }
  writeFileSync(mdOut, md.join("\n") + "\n");
}
