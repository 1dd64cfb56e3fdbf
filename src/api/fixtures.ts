// `repl-pki fixtures` / createFixtures(): deliberately good and broken TLS material for MySQL/MariaDB
// replication tests, with a manifest of the expected verdicts (issue 7). Builds in memory; writes only
// when `out` is given.
import type { CoreDeps } from "../core/deps.js";
import type { FilePlan } from "../core/file-plan.js";
import {
  buildFixtures,
  DEFAULT_TOPOLOGY_REPLICAS,
  MAX_REPLICAS,
  selectScenarios,
} from "../core/fixtures/fixtures.js";
import { derivedEcKey, type FixtureKeyProvider, isEcType, keyObjectKey } from "../core/fixtures/keys.js";
import type { FixturesManifest } from "../core/fixtures/manifest.js";
import { parseIsoTime } from "../core/time.js";
import type { KeyType } from "../core/x509/signer.js";
import { generatePrivateKeyAsync } from "../crypto/keys.js";
import { UsageError } from "../errors.js";
import { materialize } from "../store/file-plan.js";
import { assertOutDirUsable } from "../store/out-dir.js";
import { VERSION } from "../version.js";
import { systemDeps } from "./deps.js";
import { parseKeyType } from "./issue.js";

export interface FixturesOptions {
  /** Write the files here. Without it nothing touches the disk: use the returned plan. */
  out?: string;
  /** Scenario names (default: all; `replicas` alone: only "topology"). */
  scenarios?: string[];
  /** Key type of every scenario that does not fix its own (default ec-p256). */
  keyType?: KeyType;
  /** With `at`: serials, names, dates, EC keys and the manifest are the same in every run. */
  seed?: string;
  /** The time every date is relative to (default: now). */
  at?: Date | string;
  /** Replicas in the "topology" scenario (default 3). */
  replicas?: number;
  /** Write into a non-empty `out`. */
  force?: boolean;
  onProgress?: (p: FixturesProgress) => void;
}

export interface FixturesProgress {
  phase: "build" | "write";
  done: number;
  total: number;
}

export interface FixturesResult {
  /** Paths relative to `out`; keys have mode 0600. */
  plan: FilePlan;
  manifest: FixturesManifest;
  out: string | undefined;
  timings: { buildMs: number; writeMs: number };
}

const WRITE_CHUNK = 500;

function resolveAt(at: Date | string | undefined, clock: () => Date): Date {
  const d = at === undefined ? clock() : typeof at === "string" ? parseIsoTime(at) : at;
  if (Number.isNaN(d.getTime()))
    throw new UsageError("INVALID_TIME", "the fixtures time is not a valid date");
  return new Date(Math.floor(d.getTime() / 1000) * 1000); // certificates carry whole seconds
}

function checkReplicas(n: number | undefined): void {
  if (n === undefined || (Number.isInteger(n) && n >= 1 && n <= MAX_REPLICAS)) return;
  throw new UsageError(
    "INVALID_OPTION_VALUE",
    `--replicas must be a whole number from 1 to ${MAX_REPLICAS}, not ${n}`,
  );
}

/**
 * Builds the fixture scenarios in memory and, with `out`, writes them (scenario/source/, …/replica/,
 * manifest.json). RSA keys are generated on the libuv pool, so scenarios build in parallel.
 *
 * @example
 * const { manifest, plan } = await createFixtures({ seed: "ci", at: "2030-01-01T00:00:00Z" });
 * await createFixtures({ out: "/tmp/fx", scenarios: ["valid", "source-revoked"] });
 */
export async function createFixtures(
  opts: FixturesOptions = {},
  deps: Pick<CoreDeps, "clock" | "random"> = systemDeps(),
): Promise<FixturesResult> {
  checkReplicas(opts.replicas);
  const scenarios = selectScenarios(opts.scenarios, opts.replicas);
  const keyType = opts.keyType === undefined ? "ec-p256" : parseKeyType(opts.keyType);
  const at = resolveAt(opts.at, deps.clock);
  if (opts.out !== undefined) assertOutDirUsable(opts.out, opts.force ?? false);
  const seed = opts.seed === undefined ? deps.random(32) : Buffer.from(opts.seed, "utf8");
  const keys: FixtureKeyProvider = (label, type) =>
    isEcType(type)
      ? derivedEcKey(seed, label, type)
      : generatePrivateKeyAsync(type).then((k) => keyObjectKey(k, type));
  const progress = opts.onProgress;

  const t0 = performance.now();
  const { plan, manifest } = await buildFixtures({
    scenarios,
    replicas: opts.replicas ?? DEFAULT_TOPOLOGY_REPLICAS,
    seed,
    seedText: opts.seed ?? null,
    at,
    reproducible: opts.seed !== undefined && opts.at !== undefined,
    keyType,
    keys,
    generator: `repl-pki ${VERSION}`,
    progress: progress && ((done, total) => progress({ phase: "build", done, total })),
  });
  const t1 = performance.now();
  if (opts.out !== undefined) {
    for (let i = 0; i < plan.length; i += WRITE_CHUNK) {
      materialize(opts.out, plan.slice(i, i + WRITE_CHUNK), { sync: false });
      progress?.({ phase: "write", done: Math.min(i + WRITE_CHUNK, plan.length), total: plan.length });
    }
  }
  return { plan, manifest, out: opts.out, timings: { buildMs: t1 - t0, writeMs: performance.now() - t1 } };
}
