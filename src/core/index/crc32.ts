// CRC-32 (IEEE 802.3, the zlib polynomial) for index journal records. node:zlib.crc32 only exists from
// Node 22.2, and Node 20 is what the machines have.
const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 of the UTF-16 code units of an ASCII/Latin-1 string, or of bytes. */
export function crc32(data: string | Uint8Array): number {
  let c = -1;
  if (typeof data === "string") {
    for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  } else {
    for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  }
  return (c ^ -1) >>> 0;
}

export const crc32Hex = (data: string | Uint8Array): string => crc32(data).toString(16).padStart(8, "0");
