// CRC-32 (IEEE 802.3, the zlib polynomial) for index journal records. node:zlib.crc32 only exists from
// Node 22.2, and Node 20 is what the machines have.
export const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 of a string's UTF-8 bytes, or of bytes. ASCII strings are hashed without encoding them. */
export function crc32(data: string | Uint8Array): number {
  if (typeof data === "string") {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the range test is the point
    if (/[^\x00-\x7f]/.test(data)) return crc32Bytes(Buffer.from(data, "utf8"), 0, -1);
    let c = -1;
    for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  }
  return crc32Bytes(data, 0, data.length);
}

/** CRC-32 of bytes [start, end) of `data` (end -1: to the end). */
export function crc32Bytes(data: Uint8Array, start: number, end: number): number {
  const stop = end < 0 ? data.length : end;
  let c = -1;
  for (let i = start; i < stop; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

export const crc32Hex = (data: string | Uint8Array): string => crc32(data).toString(16).padStart(8, "0");
