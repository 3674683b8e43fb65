import assert from "node:assert/strict";
import { decodeCorpus, DecodeError, firstInvalidUtf8 } from "../../../tagging.ts";

Deno.test("decode: auto picks UTF-8 when valid, windows-1252 otherwise", () => {
  const utf8 = new TextEncoder().encode("naïve – ok");
  assert.deepEqual(decodeCorpus(utf8, "a"), { text: "naïve – ok", encoding: "utf-8" });
  const cp = Uint8Array.from([0x93, 0x61, 0x94, 0x20, 0x80, 0x85]);
  assert.deepEqual(decodeCorpus(cp, "b"), {
    text: "\u201ca\u201d \u20ac\u2026",
    encoding: "windows-1252",
  });
  // latin-1 aliases use windows-1252, as the WHATWG Encoding standard does.
  assert.equal(decodeCorpus(cp, "b", "latin1").text, "\u201ca\u201d \u20ac\u2026");
});

Deno.test("decode: strings pass through minus a BOM", () => {
  assert.equal(decodeCorpus("\ufeffx", "s").text, "x");
});

Deno.test("decode: forced utf-8 reports line and byte of the first bad byte", () => {
  const bytes = Uint8Array.from([0x61, 0x0a, 0x62, 0x0d, 0x0a, 0x63, 0xc3, 0x28]);
  assert.throws(() => decodeCorpus(bytes, "x.txt", "utf-8"), (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    assert.deepEqual([e.file, e.line, e.byteOffset, e.encoding], ["x.txt", 3, 6, "utf-8"]);
    return true;
  });
});

Deno.test("firstInvalidUtf8 matches the WHATWG fatal decoder on edge cases", () => {
  const cases: [number[], number][] = [
    [[0x41, 0x42], 2],
    [[0xc3, 0xa9], 2],
    [[0xc0, 0x80], 0], // overlong
    [[0xe0, 0x80, 0x80], 0], // overlong 3-byte
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4],
    [[0x41, 0xe2, 0x82], 1], // truncated at end
  ];
  const fatal = new TextDecoder("utf-8", { fatal: true });
  for (const [bytes, expected] of cases) {
    const b = Uint8Array.from(bytes);
    assert.deepEqual(firstInvalidUtf8(b), expected, `bytes ${bytes}`);
    let valid = true;
    try {
      fatal.decode(b);
    } catch {
      valid = false;
    }
    assert.deepEqual(valid, expected === bytes.length, `decoder agreement for ${bytes}`);
  }
});

Deno.test("decode: UTF-16 LE/BE by BOM or by their zero bytes, UTF-8 BOM reported", () => {
  const text = "Zoë B-PER\n";
  const le = (s: string) => {
    const out = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      out[2 * i] = s.charCodeAt(i) & 255, out[2 * i + 1] = s.charCodeAt(i) >> 8;
    }
    return out;
  };
  const be = (s: string) => le(s).map((_, i, a) => a[i ^ 1]);
  assert.deepEqual(decodeCorpus(le("\ufeff" + text), "a"), {
    text,
    encoding: "utf-16le",
    bom: true,
  });
  assert.deepEqual(decodeCorpus(be("\ufeff" + text), "a"), {
    text,
    encoding: "utf-16be",
    bom: true,
  });
  assert.deepEqual(decodeCorpus(le(text), "a"), { text, encoding: "utf-16le" });
  assert.deepEqual(decodeCorpus(be(text), "a", "utf-16be"), { text, encoding: "utf-16be" });
  const bom8 = new TextEncoder().encode("\ufeff" + text);
  assert.deepEqual(decodeCorpus(bom8, "a"), { text, encoding: "utf-8", bom: true });
  // An unpaired surrogate on line 2 under a forced UTF-16 LE.
  assert.throws(() => decodeCorpus(le("a\n\ud800b"), "u.txt", "utf-16le"), (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    assert.deepEqual([e.line, e.byteOffset, e.encoding], [2, 4, "utf-16le"]);
    return true;
  });
});
