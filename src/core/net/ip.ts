// IP literal parsing to the octets an iPAddress SAN carries (RFC 5280 §4.2.1.6: 4 octets for IPv4,
// 16 for IPv6). Strict on input: dotted-quad decimal without leading zeros, and RFC 4291 §2.2 IPv6 text
// (including an embedded IPv4 tail); no brackets, zone ids or prefixes. Hand-written rather than
// node:net's isIP, whose import costs every CLI start the whole net/stream stack.

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^[0-9a-fA-F:.]{2,45}$/;

export function parseIpv4(text: string): Buffer | undefined {
  if (!IPV4_RE.test(text)) return undefined;
  return Buffer.from(text.split(".").map(Number));
}

export function parseIpv6(text: string): Buffer | undefined {
  if (!IPV6_RE.test(text) || !text.includes(":")) return undefined;
  const doubles = text.split("::").length - 1;
  if (doubles > 1 || /:::/.test(text)) return undefined;
  if ((text.startsWith(":") && !text.startsWith("::")) || (text.endsWith(":") && !text.endsWith("::")))
    return undefined;
  let head = text;
  const tail: number[] = [];
  const lastColon = head.lastIndexOf(":");
  const v4 = head.slice(lastColon + 1);
  if (v4.includes(".")) {
    const b = parseIpv4(v4);
    if (!b) return undefined;
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    head = head.slice(0, lastColon + 1) + "0";
    head = head.endsWith("::0") ? head.slice(0, -1) : head.slice(0, -2);
  }
  const [l, r] = head.includes("::") ? head.split("::") : [head, undefined];
  const words = (s: string | undefined): number[] | undefined => {
    if (!s) return [];
    const parts = s.split(":");
    if (parts.some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
    return parts.map((w) => parseInt(w, 16));
  };
  const left = words(l);
  const right = words(r);
  if (!left || !right) return undefined;
  const fill = 8 - tail.length - left.length - right.length;
  // without "::" exactly 8 groups; "::" stands for at least one group of zeros (RFC 4291 §2.2)
  if (r === undefined ? fill !== 0 : fill < 1) return undefined;
  const all = [...left, ...new Array(Math.max(0, fill)).fill(0), ...right, ...tail];
  if (all.length !== 8) return undefined;
  const out = Buffer.alloc(16);
  for (const [i, w] of all.entries()) out.writeUInt16BE(w, i * 2);
  return out;
}

export const parseIp = (text: string): Buffer | undefined => parseIpv4(text) ?? parseIpv6(text);

/** Canonical text of iPAddress octets: dotted quad, or RFC 5952 compressed lowercase IPv6. */
export function formatIp(octets: Uint8Array): string {
  if (octets.length === 4) return Array.from(octets).join(".");
  if (octets.length !== 16) return `<${octets.length}-byte address>`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((octets[i]! << 8) | octets[i + 1]!);
  // longest run (≥ 2) of zero words becomes "::" (RFC 5952 §4.2.2, first run on a tie)
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}
