// Time handling: the clock is a parameter (no Date.now() in the core), input times are ISO 8601 UTC,
// durations are "90m", "12h", "30d".
import { UsageError } from "../errors.js";

export type Clock = () => Date;

const DURATION_RE = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError("INVALID_TIME", `not a duration: "${text}"`, {
      hint: "write a positive number and a unit: 90m, 12h or 30d",
    });
  }
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

export function parseIsoTime(text: string): Date {
  const d = new Date(text);
  if (!ISO_UTC_RE.test(text) || Number.isNaN(d.getTime())) {
    throw new UsageError("INVALID_TIME", `not an ISO 8601 UTC time: "${text}"`, {
      hint: "write the time in UTC with a Z, e.g. 2030-01-01T00:00:00Z",
    });
  }
  return d;
}

/** ISO 8601 UTC without milliseconds: the one time format repl-pki prints. */
export const formatTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export const addMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
export const DAY_MS = UNIT_MS.d;

/**
 * Leaf notBefore is backdated so a peer whose clock is a little behind ours still accepts the
 * certificate (OpenSSL X509_V_ERR_CERT_NOT_YET_VALID is fatal in mysqld: no verify callback, spec §1).
 */
export const NOT_BEFORE_BACKDATE_MS = 5 * 60_000;

export function parseDays(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0 || n > 36_500) {
    throw new UsageError(
      "INVALID_OPTION_VALUE",
      `${what} must be a whole number of days from 1 to 36500, not "${text}"`,
      { hint: `e.g. ${what} 30` },
    );
  }
  return n;
}
