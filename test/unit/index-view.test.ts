import { isAscii } from "node:buffer";
import { describe, expect, it } from "vitest";
import { IndexScanError, IndexView } from "../../src/core/index/index-view.js";
import {
  encodeEntry,
  encodeRevocation,
  INDEX_HEADER,
  type IndexEntry,
} from "../../src/core/index/records.js";

const entry = (serial: string, name: string, extra: Partial<IndexEntry> = {}): IndexEntry => ({
  serial,
  name,
  role: "replica",
  notBefore: "2026-01-01T00:00:00Z",
  notAfter: "2028-01-01T00:00:00Z",
  subject: `CN=${name}`,
  sans: `DNS:${name}`,
  issuer: "root",
  status: "V",
  revokedAt: "",
  reason: "",
  ...extra,
});

const view = (text: string) => {
  const b = Buffer.from(text, "utf8");
  return new IndexView(b, isAscii(b) ? b.toString("latin1") : undefined);
};

describe("IndexView", () => {
  it("reads certificates and applies later revocation records", () => {
    const text = [
      `${INDEX_HEADER}\n`,
      encodeEntry(entry("0A", "a")),
      encodeEntry(entry("0B", "b")),
      encodeRevocation({
        serial: "0A",
        issuer: "root",
        revokedAt: "2026-06-01T00:00:00Z",
        reason: "keyCompromise",
      }),
      encodeEntry(entry("0C", "c")),
    ].join("");
    const v = view(text);
    expect(v.count).toBe(3);
    expect(v.pendingRevocations).toBe(1);
    expect(v.entry(0)).toEqual(
      entry("0A", "a", { status: "R", revokedAt: "2026-06-01T00:00:00Z", reason: "keyCompromise" }),
    );
    expect(v.entry(1)).toEqual(entry("0B", "b"));
    expect(v.field(2, "name")).toBe("c");
  });
  it("decodes non-ASCII and escaped fields the same way with and without the ASCII fast path", () => {
    const e = entry("0D", "d", { subject: "CN=Zoë\tx\\y" });
    const text = `${INDEX_HEADER}\n${encodeEntry(e)}`;
    expect(view(text).entry(0)).toEqual(e);
    const ascii = entry("0E", "e", { subject: "CN=tab\there\\" });
    expect(view(`${INDEX_HEADER}\n${encodeEntry(ascii)}`).entry(0)).toEqual(ascii);
  });
  it("ignores a torn last line and rejects a damaged one in the middle with its line number", () => {
    const good = encodeEntry(entry("0A", "a"));
    expect(view(`${INDEX_HEADER}\n${good}${good.slice(0, 30)}`).count).toBe(1);
    const bad = good.replace("CN=a", "CN=b");
    try {
      view(`${INDEX_HEADER}\n${good}${bad}${good}`);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IndexScanError);
      expect((err as IndexScanError).lineNo).toBe(3);
    }
    expect(() => view(`nope\n${good}`)).toThrow(/missing header/);
  });
  it("rejects a revocation of an unknown serial", () => {
    const r = encodeRevocation({
      serial: "FF",
      issuer: "root",
      revokedAt: "2026-06-01T00:00:00Z",
      reason: "superseded",
    });
    expect(() => view(`${INDEX_HEADER}\n${encodeEntry(entry("0A", "a"))}${r}`)).toThrow(/unknown serial FF/);
  });
});
