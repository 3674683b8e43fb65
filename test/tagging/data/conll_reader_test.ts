import assert from "node:assert/strict";
import {
  CorpusFormatError,
  EmptySentenceError,
  MissingColumnError,
  RaggedRowError,
  readConll,
} from "../../../tagging.ts";

const CONLL = new URL("../../../../shared/data/conll2003/", import.meta.url);

const SAMPLE = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n" +
  "German JJ B-NP B-MISC\n\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n";

Deno.test("conll: sentences, DOCSTART skipped, repeated blank lines, token lines", () => {
  let progress = 0;
  const s = readConll(SAMPLE, { file: "s.txt", onProgress: () => progress++ });
  assert.ok(progress >= 1);
  assert.equal(s.length, 2);
  assert.deepEqual(s[0].words, ["EU", "rejects", "German"]);
  assert.deepEqual(s[0].columns, {
    pos: ["NNP", "VBZ", "JJ"],
    chunk: ["B-NP", "B-VP", "B-NP"],
    ner: ["B-ORG", "O", "B-MISC"],
  });
  assert.deepEqual(s[0].source, { file: "s.txt", line: 3, tokenLines: Int32Array.from([3, 4, 5]) });
  assert.equal(s[1].source.line, 8);
  assert.deepEqual(s[1].columns.ner, ["B-PER", "I-PER"]);
});

Deno.test("conll: CRLF, tabs and a missing final newline", () => {
  const s = readConll("a\tDT\tO\r\nb  NN  B-X\r\n\r\nc NN O", { columns: ["word", "pos", "ner"] });
  assert.deepEqual(s.map((x) => x.words), [["a", "b"], ["c"]]);
  assert.deepEqual(s[0].columns.ner, ["O", "B-X"]);
});

Deno.test("conll: configurable columns; word column need not be first", () => {
  const s = readConll("O Paris\nB-LOC x\n", { columns: ["tag", "token"], wordColumn: "token" });
  assert.deepEqual(s[0].words, ["Paris", "x"]);
  assert.deepEqual(s[0].columns, { tag: ["O", "B-LOC"] });
  assert.throws(
    () => readConll("a b\n", { columns: ["x", "y"] }),
    (e: unknown) => e instanceof MissingColumnError && e.message.includes('"word"'),
  );
});

Deno.test("conll: a token '#' is not a comment unless comments are enabled", () => {
  const s = readConll("# SYM O O\nx NN O O\n");
  assert.deepEqual(s[0].words, ["#", "x"]);
  const withIds = readConll("# sent_id = a-1\nParis O\n\n# sent_id = a-2\n# text = x\nx B-LOC\n", {
    comments: true,
    columns: ["word", "ner"],
  });
  assert.deepEqual(withIds.map((x) => [x.id, x.words, x.source.line]), [
    ["a-1", ["Paris"], 2],
    ["a-2", ["x"], 6],
  ]);
});

Deno.test("conll: errors name file and line", () => {
  assert.throws(() => readConll("a DT O O\nb NN O\n", { file: "r.txt" }), (ragged: unknown) => {
    assert.ok(ragged instanceof RaggedRowError, String(ragged));
    const { file, line, expected, actual } = ragged;
    assert.deepEqual([file, line, expected, actual], ["r.txt", 2, 4, 3]);
    // CorpusFormatError is the common base of located errors.
    assert.ok(!(ragged instanceof CorpusFormatError));
    return true;
  });
  assert.throws(
    () =>
      readConll("# sent_id = 7\n\nx O\n", { comments: true, columns: ["word", "ner"], file: "e" }),
    (empty: unknown) => {
      assert.ok(empty instanceof EmptySentenceError, String(empty));
      assert.deepEqual([empty.file, empty.line], ["e", 1]);
      assert.ok(empty.message.includes("sentence 7"));
      return true;
    },
  );
});

Deno.test("conll: real CoNLL-2003 splits have the published sentence and token counts", async () => {
  const expected: Record<string, [number, number]> = {
    "train.txt": [14041, 203621],
    "valid.txt": [3250, 51362],
    "test.txt": [3453, 46435],
  };
  for (const [name, [nSent, nTok]] of Object.entries(expected)) {
    const s = readConll(await Deno.readFile(new URL(name, CONLL)), { file: name });
    assert.deepEqual(s.length, nSent, name);
    assert.deepEqual(s.reduce((a, x) => a + x.words.length, 0), nTok, name);
  }
});
