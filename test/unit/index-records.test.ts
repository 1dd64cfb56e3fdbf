import { describe, expect, it } from "vitest";
import { crc32Hex } from "../../src/core/index/crc32.js";
import {
  decodeRecord,
  encodeEntry,
  encodeRevocation,
  type IndexEntry,
} from "../../src/core/index/records.js";

const entry: IndexEntry = {
  serial: "4A3F",
  name: "replica-1",
  role: "replica",
  notBefore: "2026-11-25T11:55:00Z",
  notAfter: "2029-02-27T12:00:00Z",
  subject: "CN=replica\t1\\x",
  sans: "DNS:replica-1,IP:10.0.0.5",
  issuer: "intermediate",
  status: "V",
  revokedAt: "",
  reason: "",
};

describe("index records", () => {
  it("use the standard CRC-32", () => {
    expect(crc32Hex("123456789")).toBe("cbf43926");
  });
  it("round-trip a certificate line, escaping tabs and backslashes", () => {
    const line = encodeEntry(entry);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.split("\t")).toHaveLength(13);
    expect(decodeRecord(line.slice(0, -1))).toEqual({ kind: "C", entry });
  });
  it("round-trip a revocation line", () => {
    const r = {
      serial: "4A3F",
      issuer: "root",
      revokedAt: "2026-12-01T00:00:00Z",
      reason: "keyCompromise" as const,
    };
    expect(decodeRecord(encodeRevocation(r).slice(0, -1))).toEqual({ kind: "R", revocation: r });
  });
  it("detect a flipped character or a truncated line", () => {
    const line = encodeEntry(entry).slice(0, -1);
    expect(decodeRecord(line.replace("replica-1", "replica-2"))).toBeUndefined();
    expect(decodeRecord(line.slice(0, 40))).toBeUndefined();
  });
});
