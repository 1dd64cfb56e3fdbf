// Byte-level reading of one index record line (format: records.ts): the CRC-32 of the bytes before each
// tab and the tab positions in ONE pass, no string per line. Shared by the full index reader and the
// streaming revoked-certificate scanner, which must both refuse a damaged line.
import { CRC_TABLE } from "./crc32.js";

const TAB = 9;
export const MAX_FIELDS = 16;

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1000; // makes the sum negative: not a lowercase hex digit
}

/**
 * Checks the record in b[s, e) and fills `tabs` with the positions of its tabs. Returns the number of
 * tabs (fields - 1), or -1 when the line is malformed or its checksum does not match.
 */
export function scanRecordLine(b: Uint8Array, s: number, e: number, tabs: Int32Array): number {
  let n = 0;
  let c = -1;
  let crcAtLastTab = 0;
  for (let i = s; i < e; i++) {
    const byte = b[i]!;
    if (byte === TAB) {
      if (n === MAX_FIELDS) return -1;
      tabs[n++] = i;
      crcAtLastTab = c;
    }
    c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  }
  if (n === 0) return -1;
  const last = tabs[n - 1]!;
  if (e - last - 1 !== 8) return -1;
  let stored = 0;
  for (let i = last + 1; i < e; i++) stored = stored * 16 + hexNibble(b[i]!);
  return stored === (crcAtLastTab ^ -1) >>> 0 ? n : -1;
}
