import { TAG, tlv } from "./encode.js";

// RFC 5280 §4.1.2.5: dates through 2049 as UTCTime, from 2050 as GeneralizedTime; always Z, seconds,
// no fractions.
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function x509TimeString(d: Date): { tag: number; text: string } {
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return { tag: TAG.UTC_TIME, text: `${pad(y % 100)}${rest}` };
  return { tag: TAG.GENERALIZED_TIME, text: `${pad(y, 4)}${rest}` };
}

export function x509Time(d: Date): Buffer {
  const { tag, text } = x509TimeString(d);
  return tlv(tag, Buffer.from(text, "latin1"));
}

/** Parses the content of a UTCTime or GeneralizedTime as DER requires it (Z, seconds). */
export function parseX509Time(tag: number, content: Uint8Array): Date {
  const s = Buffer.from(content).toString("latin1");
  const m =
    tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new RangeError(`unsupported time encoding "${s}"`);
  let year = Number(m[1]);
  if (tag === TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
