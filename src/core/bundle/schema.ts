// A small hand-written schema checker for the topology file: each problem names the field path
// ("servers.db2.follows") and, when the key can be found in the text, its line.
import { InputError } from "../../errors.js";

export interface Problem {
  path: string;
  message: string;
  line?: number;
}

type Json = unknown;

export class Checker {
  readonly problems: Problem[] = [];

  constructor(private readonly text: string) {}

  fail(path: string, message: string): undefined {
    this.problems.push({ path, message, line: locate(this.text, path) });
    return undefined;
  }

  object(v: Json, path: string, allowed: readonly string[]): Record<string, Json> | undefined {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return this.fail(path, "must be an object");
    const o = v as Record<string, Json>;
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) {
        const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase() || editDistance(a, k) <= 2);
        this.fail(join(path, k), `unknown field${near ? ` (did you mean "${near}"?)` : ""}`);
      }
    }
    return o;
  }

  /** An object whose keys are names chosen by the user (e.g. server names). */
  record(v: Json, path: string): Record<string, Json> | undefined {
    return this.object(v, path, Object.keys((v ?? {}) as object));
  }

  string(v: Json, path: string, re?: RegExp, what?: string): string | undefined {
    if (typeof v !== "string") return this.fail(path, "must be a string");
    if (re && !re.test(v))
      return this.fail(path, `${JSON.stringify(v)} is not ${what ?? `of the form ${re}`}`);
    return v;
  }

  oneOf<T extends string>(v: Json, path: string, values: readonly T[]): T | undefined {
    if (typeof v !== "string" || !values.includes(v as T)) {
      return this.fail(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}`);
    }
    return v as T;
  }

  integer(v: Json, path: string, min: number, max: number): number | undefined {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      return this.fail(path, `must be a whole number from ${min} to ${max}`);
    }
    return v;
  }

  boolean(v: Json, path: string): boolean | undefined {
    if (typeof v !== "boolean") return this.fail(path, "must be true or false");
    return v;
  }

  stringList(v: Json, path: string): string[] | undefined {
    if (!Array.isArray(v) || v.length === 0) return this.fail(path, "must be a non-empty list of strings");
    const out: string[] = [];
    v.forEach((x, i) => {
      if (typeof x === "string") out.push(x);
      else this.fail(`${path}[${i}]`, "must be a string");
    });
    return out;
  }

  /** Runs `fn`; a thrown ReplPkiError becomes a problem at `path` (reuses validators that throw). */
  guard<T>(path: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof Error) || !("code" in e)) throw e;
      return this.fail(path, e.message);
    }
  }

  throwIfAny(file: string): void {
    if (this.problems.length === 0) return;
    const lines = this.problems.map((p) => `${file}${p.line ? `:${p.line}` : ""}: ${p.path}: ${p.message}`);
    throw new InputError(
      "TOPOLOGY_INVALID",
      `the topology has ${this.problems.length} problem(s):\n  ${lines.join("\n  ")}`,
      {
        hint: "fix the fields named above; repl-pki up --help shows the topology format",
        details: { problems: this.problems },
      },
    );
  }
}

export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Parses JSON; a syntax error becomes TOPOLOGY_INVALID with the line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = "";
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split("\n").length;
      where = `:${line}:${Number(pos[1]) - before.lastIndexOf("\n")}`;
    }
    throw new InputError("TOPOLOGY_INVALID", `${file}${where}: not valid JSON: ${msg}`, {
      hint: "the topology is a JSON file; check commas and quotes around the line shown",
    });
  }
}

/** Line of the last key of a dotted path, found by searching for each key in turn after the previous. */
export function locate(text: string, path: string): number | undefined {
  let at = 0;
  for (const part of path.split(".")) {
    const key = part.replace(/\[\d+\]$/, "");
    const i = text.indexOf(`"${key}"`, at);
    if (i < 0) return undefined;
    at = i + key.length + 2;
  }
  return text.slice(0, at).split("\n").length;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}
