import { describe, expect, it } from "vitest";
import { formatSerial, newSerial, parseSerial } from "../../src/core/serial.js";
import { ReplPkiError } from "../../src/errors.js";
import { countingRandom } from "../helpers/deps.js";

describe("serial numbers", () => {
  it("are 20 octets, positive, with the high bit clear", () => {
    const s = newSerial(() => Buffer.alloc(20, 0xff));
    expect(s.length).toBe(20);
    expect(s[0]! & 0x80).toBe(0);
    const z = newSerial(() => Buffer.alloc(20, 0));
    expect(z[0]).not.toBe(0);
  });
  it("are distinct for distinct random input", () => {
    const r = countingRandom();
    expect(formatSerial(newSerial(r))).not.toBe(formatSerial(newSerial(r)));
  });
  it("print as uppercase hex without leading zero octets", () => {
    expect(formatSerial(Buffer.from([0, 0, 0x0a, 0xbc]))).toBe("0ABC");
    expect(formatSerial(Buffer.from([0]))).toBe("00");
  });
  it.each([
    ["0ABC", "0ABC"],
    ["0x0abc", "0ABC"],
    ["0a:bc", "0ABC"],
    ["a:bc", "0ABC"],
    ["00:00:0A:BC", "0ABC"],
    ["abc", "0ABC"],
  ])("parse hex %s", (input, out) => {
    expect(formatSerial(parseSerial(input))).toBe(out);
  });
  it("parses decimal only when asked", () => {
    expect(formatSerial(parseSerial("2748", true))).toBe("0ABC");
    expect(formatSerial(parseSerial("2748"))).toBe("2748");
  });
  it.each(["", "xyz", "0a::bc", "0", "00", "1".repeat(42), "-5"])("rejects %j", (bad) => {
    expect(() => parseSerial(bad)).toThrow(ReplPkiError);
  });
});
