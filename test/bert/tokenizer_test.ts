// BertTokenizer against Hugging Face (tools/tokenizer_fixture.py): transformers'
// BertTokenizer (Rust tokenizers backend) with ../shared/data/vocab/bert-base-uncased-vocab.txt
// in uncased, cased and uncased-keep-accents flavours. Tokens, ids, word ids and decodes must
// match exactly. CoNLL-2003 sentences are referenced by index and read from ../shared.
import assert from "node:assert/strict";
import type { BertTokenizer } from "../../src/bert/tokenizer.ts";
import {
  loadBertTokenizer,
  optionsFromTokenizerConfig,
  parseVocabTxt,
  tokenizerFromTokenizerJson,
  tokenizerFromVocabTxt,
} from "../../src/bert/tokenizer_files.ts";
import { TokenizerFormatError } from "../../src/bert/errors.ts";
import { BasicTokenizer } from "../../src/bert/basic_tokenizer.ts";
import { WordPiece } from "../../src/bert/wordpiece.ts";
import { conllSentences } from "./conll_sentences.ts";

const FIX = new URL("../fixtures/bert/", import.meta.url);
const ROOT = new URL("../../", import.meta.url);
const readJson = (u: URL) => JSON.parse(Deno.readTextFileSync(u));

interface Case {
  text: string;
  tokens: string[];
  ids: number[];
  decoded: string;
  decoded_skip: string;
}
interface WordsCase {
  words: string[];
  ids: number[];
  word_ids: number[];
}
interface ConllCase {
  index: number;
  ids: number[];
  word_ids: number[];
  text_ids: number[];
}
interface Flavour {
  options: { do_lower_case: boolean; strip_accents?: boolean };
  cases: Case[];
  words: WordsCase[];
  conll: ConllCase[];
}
const fixture = readJson(new URL("tokenizer_cases.json", FIX)) as {
  vocab: string;
  conll: string;
  flavours: Record<string, Flavour>;
};
const vocabText = Deno.readTextFileSync(new URL(fixture.vocab, ROOT));

const sentences = conllSentences(Deno.readTextFileSync(new URL(fixture.conll, ROOT)));

function tokenizerFor(f: Flavour): BertTokenizer {
  return tokenizerFromVocabTxt(vocabText, {
    lowercase: f.options.do_lower_case,
    ...(f.options.strip_accents !== undefined ? { stripAccents: f.options.strip_accents } : {}),
  });
}

for (const [name, flavour] of Object.entries(fixture.flavours)) {
  const tok = tokenizerFor(flavour);

  Deno.test(`tokenizer ${name}: tricky strings match HF tokens, ids and decode`, () => {
    assert.ok(flavour.cases.length >= 40);
    for (const c of flavour.cases) {
      const label = JSON.stringify(c.text);
      assert.deepEqual(tok.tokenize(c.text), c.tokens, `tokens of ${label}`);
      assert.deepEqual([...tok.encode(c.text)], c.ids, `ids of ${label}`);
      assert.equal(tok.decode(c.ids), c.decoded, `decode of ${label}`);
      assert.equal(
        tok.decode(c.ids, { skipSpecialTokens: true }),
        c.decoded_skip,
        `decode(skip) of ${label}`,
      );
    }
  });

  Deno.test(`tokenizer ${name}: pre-split words match HF ids and word_ids`, () => {
    for (const c of flavour.words) {
      const enc = tok.encodeWords(c.words);
      assert.deepEqual([...enc.ids], c.ids, `ids of ${JSON.stringify(c.words)}`);
      assert.deepEqual([...enc.wordIds], c.word_ids, `word ids of ${JSON.stringify(c.words)}`);
    }
  });

  Deno.test(`tokenizer ${name}: 50 CoNLL-2003 sentences (words and joined text)`, () => {
    assert.equal(flavour.conll.length, 50);
    for (const c of flavour.conll) {
      const words = sentences[c.index];
      const enc = tok.encodeWords(words);
      assert.deepEqual([...enc.ids], c.ids, `sentence ${c.index}`);
      assert.deepEqual([...enc.wordIds], c.word_ids, `sentence ${c.index} word ids`);
      assert.deepEqual([...tok.encode(words.join(" "))], c.text_ids, `sentence ${c.index} text`);
    }
  });
}

Deno.test("tokenizer: encodeWords without special tokens, special ids, vocab size", () => {
  const tok = tokenizerFromVocabTxt(vocabText);
  const enc = tok.encodeWords(["Hello", "world"], { addSpecialTokens: false });
  assert.deepEqual([...enc.ids], [7592, 2088]);
  assert.deepEqual([...enc.wordIds], [0, 1]);
  assert.deepEqual([...tok.encode("hello", { addSpecialTokens: false })], [7592]);
  assert.equal(tok.clsTokenId, 101);
  assert.equal(tok.sepTokenId, 102);
  assert.equal(tok.padTokenId, 0);
  assert.equal(tok.unkTokenId, 100);
  assert.equal(tok.maskTokenId, 103);
  assert.deepEqual(tok.specialTokenIds, [0, 100, 101, 102, 103]);
  assert.equal(tok.vocabSize, 30522);
  assert.deepEqual(tok.convertIdsToTokens([101, 7592, 102]), ["[CLS]", "hello", "[SEP]"]);
  assert.deepEqual(tok.convertTokensToIds(["hello", "not-a-token"]), [7592, 100]);
  assert.throws(() => tok.convertIdsToTokens([30522]), TokenizerFormatError);
});

Deno.test("tokenizer: saveVocab reproduces vocab.txt; tokenizer_config round trip", () => {
  const cased = tokenizerFromVocabTxt(vocabText, { lowercase: false });
  assert.equal(cased.saveVocab(), vocabText);
  const cfg = cased.toTokenizerConfig();
  assert.equal(cfg.do_lower_case, false);
  const again = tokenizerFromVocabTxt(cased.saveVocab(), optionsFromTokenizerConfig(cfg));
  assert.deepEqual(again.normalizer, cased.normalizer);
  assert.deepEqual([...again.encode("Héllo WORLD")], [...cased.encode("Héllo WORLD")]);
});

Deno.test("tokenizer: tiny tokenizer.json and vocab.txt agree with HF", () => {
  const dir = new URL("tiny_bert/", FIX);
  const want = readJson(new URL("tiny_tokenizer_cases.json", FIX)) as {
    cases: { text: string; ids: number[]; tokens: string[] }[];
    words: WordsCase;
  };
  const fromJson = tokenizerFromTokenizerJson(readJson(new URL("tokenizer.json", dir)));
  const fromVocab = loadBertTokenizer({
    vocabTxt: Deno.readTextFileSync(new URL("vocab.txt", dir)),
    tokenizerConfig: Deno.readTextFileSync(new URL("tokenizer_config.json", dir)),
  });
  assert.equal(fromVocab.modelMaxLength, 64);
  for (const tok of [fromJson, fromVocab]) {
    for (const c of want.cases) {
      assert.deepEqual([...tok.encode(c.text)], c.ids, c.text);
      assert.deepEqual(tok.convertIdsToTokens(tok.encode(c.text)), c.tokens, c.text);
    }
    const enc = tok.encodeWords(want.words.words);
    assert.deepEqual([...enc.ids], want.words.ids);
    assert.deepEqual([...enc.wordIds], want.words.word_ids);
  }
});

Deno.test("wordpiece: greedy longest match, ## continuation, [UNK] rules", () => {
  const vocab = new Map(
    ["[UNK]", "un", "##aff", "##able", "##a", "a", "##b"].map((t, i) => [t, i]),
  );
  const wp = new WordPiece(vocab);
  assert.deepEqual(wp.tokenizeToIds("unaffable"), [1, 2, 3]);
  assert.deepEqual(wp.tokenizeToIds("unx"), [0], "one unmatched piece makes the whole word [UNK]");
  assert.deepEqual(wp.tokenizeToIds("a".repeat(100)), [5, ...Array(99).fill(4)]);
  assert.deepEqual(wp.tokenizeToIds("a".repeat(101)), [0], "> 100 chars");
  assert.deepEqual(wp.tokenizeToIds("ab"), [5, 6]);
  // Characters are code points: 100 astral chars is 200 UTF-16 units but still allowed.
  const v2 = new Map([["[UNK]", 0], ["😀", 1], ["##😀", 2]]);
  assert.deepEqual(new WordPiece(v2).tokenizeToIds("😀".repeat(100)), [1, ...Array(99).fill(2)]);
  assert.throws(() => new WordPiece(new Map([["a", 0]])), TokenizerFormatError);
});

Deno.test("basic tokenizer: normalisation and punctuation splitting", () => {
  const b = new BasicTokenizer();
  assert.equal(b.normalize("HéLLo\u0000\tWörld 中文"), "hello world  中  文 ");
  assert.deepEqual(b.tokenize("Hello, don't!"), ["hello", ",", "don", "'", "t", "!"]);
  assert.deepEqual(b.tokenize("$5+3=8 ^_^"), ["$", "5", "+", "3", "=", "8", "^", "_", "^"]);
  const cased = new BasicTokenizer({ lowercase: false });
  assert.deepEqual(cased.tokenize("Héllo"), ["Héllo"]);
  assert.deepEqual(new BasicTokenizer({ lowercase: false, stripAccents: true }).tokenize("Héllo"), [
    "Hello",
  ]);
});

Deno.test("tokenizer files: errors name the file and field", () => {
  assert.throws(() => parseVocabTxt("", "v.txt"), /v\.txt: empty vocabulary/);
  assert.throws(
    () => tokenizerFromVocabTxt("a\nb\n", {}, "v.txt"),
    /v\.txt: .*"\[UNK\]" is not in the vocabulary/,
  );
  const json = readJson(new URL("tiny_bert/tokenizer.json", FIX));
  assert.throws(
    () => tokenizerFromTokenizerJson({ ...json, model: { ...json.model, type: "BPE" } }, "t.json"),
    /t\.json: model\.type "BPE" is not supported/,
  );
  assert.throws(
    () => tokenizerFromTokenizerJson({ ...json, pre_tokenizer: { type: "Whitespace" } }, "t.json"),
    /t\.json: pre_tokenizer "Whitespace" is not supported/,
  );
  assert.throws(
    () => optionsFromTokenizerConfig({ do_lower_case: "yes" }, "tc.json"),
    /tc\.json: field "do_lower_case": expected a boolean/,
  );
  assert.throws(
    () => loadBertTokenizer({ tokenizerJson: "{" }, "m"),
    /m\/tokenizer\.json: invalid JSON/,
  );
});
