// Per-code-point check of the normalizer and pre-tokenizer classes against HF tokenizers
// (unicode_samples.json from tools/tokenizer_unicode_tables.py): all of U+0000..U+04FF plus
// a spread over the whole code space. Rows: [code point, uncased, cased, class].
import assert from "node:assert/strict";
import {
  normalizeBertText,
  preTokenizeBert,
  resolveNormalizerOptions,
} from "../../src/bert/basic_tokenizer.ts";

const rows = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/bert/unicode_samples.json", import.meta.url)),
) as [number, string, string, string][];

Deno.test("char classes: BertNormalizer per code point equals HF (uncased and cased)", () => {
  const uncased = resolveNormalizerOptions();
  const cased = resolveNormalizerOptions({ lowercase: false });
  assert.ok(rows.length > 3000);
  for (const [cp, u, c] of rows) {
    const ch = String.fromCodePoint(cp);
    assert.equal(normalizeBertText(ch, uncased), u, `uncased U+${cp.toString(16)}`);
    assert.equal(normalizeBertText(ch, cased), c, `cased U+${cp.toString(16)}`);
  }
});

Deno.test("char classes: BertPreTokenizer punctuation / whitespace per code point equals HF", () => {
  for (const [cp, , , kind] of rows) {
    const n = preTokenizeBert("a" + String.fromCodePoint(cp) + "a").length;
    assert.equal(n === 3 ? "p" : n === 2 ? "w" : "", kind, `U+${cp.toString(16)}`);
  }
});
