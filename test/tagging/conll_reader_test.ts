import { assert, assertEquals, assertThrows } from "./assert.ts";
import {
  CorpusFormatError,
  EmptySentenceError,
  MissingColumnError,
  RaggedRowError,
  readConll,
} from "../../tagging.ts";

const CONLL = new URL("../../../shared/data/conll2003/", import.meta.url);

const SAMPLE = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n" +
  "German JJ B-NP B-MISC\n\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n";

Deno.test("conll: sentences, DOCSTART skipped, repeated blank lines, token lines", () => {
  let progress = 0;
  const s = readConll(SAMPLE, { file: "s.txt", onProgress: () => progress++ });
  assert(progress >= 1);
  assertEquals(s.length, 2);
  assertEquals(s[0].words, ["EU", "rejects", "German"]);
  assertEquals(s[0].columns, {
    pos: ["NNP", "VBZ", "JJ"],
    chunk: ["B-NP", "B-VP", "B-NP"],
    ner: ["B-ORG", "O", "B-MISC"],
  });
  assertEquals(s[0].source, { file: "s.txt", line: 3, tokenLines: Int32Array.from([3, 4, 5]) });
  assertEquals(s[1].source.line, 8);
  assertEquals(s[1].columns.ner, ["B-PER", "I-PER"]);
});

Deno.test("conll: CRLF, tabs and a missing final newline", () => {
  const s = readConll("a\tDT\tO\r\nb  NN  B-X\r\n\r\nc NN O", { columns: ["word", "pos", "ner"] });
  assertEquals(s.map((x) => x.words), [["a", "b"], ["c"]]);
  assertEquals(s[0].columns.ner, ["O", "B-X"]);
});

Deno.test("conll: configurable columns; word column need not be first", () => {
  const s = readConll("O Paris\nB-LOC x\n", { columns: ["tag", "token"], wordColumn: "token" });
  assertEquals(s[0].words, ["Paris", "x"]);
  assertEquals(s[0].columns, { tag: ["O", "B-LOC"] });
  assertThrows(() => readConll("a b\n", { columns: ["x", "y"] }), MissingColumnError, '"word"');
});

Deno.test("conll: a token '#' is not a comment unless comments are enabled", () => {
  const s = readConll("# SYM O O\nx NN O O\n");
  assertEquals(s[0].words, ["#", "x"]);
  const withIds = readConll("# sent_id = a-1\nParis O\n\n# sent_id = a-2\n# text = x\nx B-LOC\n", {
    comments: true,
    columns: ["word", "ner"],
  });
  assertEquals(withIds.map((x) => [x.id, x.words, x.source.line]), [
    ["a-1", ["Paris"], 2],
    ["a-2", ["x"], 6],
  ]);
});

Deno.test("conll: errors name file and line", () => {
  const ragged = assertThrows(
    () => readConll("a DT O O\nb NN O\n", { file: "r.txt" }),
    RaggedRowError,
  );
  assertEquals([ragged.file, ragged.line, ragged.expected, ragged.actual], ["r.txt", 2, 4, 3]);
  const empty = assertThrows(
    () =>
      readConll("# sent_id = 7\n\nx O\n", { comments: true, columns: ["word", "ner"], file: "e" }),
    EmptySentenceError,
  );
  assertEquals([empty.file, empty.line], ["e", 1]);
  assert(empty.message.includes("sentence 7"));
  // CorpusFormatError is the common base of located errors.
  assert(!(ragged instanceof CorpusFormatError));
});

Deno.test("conll: real CoNLL-2003 splits have the published sentence and token counts", async () => {
  const expected: Record<string, [number, number]> = {
    "train.txt": [14041, 203621],
    "valid.txt": [3250, 51362],
    "test.txt": [3453, 46435],
  };
  for (const [name, [nSent, nTok]] of Object.entries(expected)) {
    const s = readConll(await Deno.readFile(new URL(name, CONLL)), { file: name });
    assertEquals(s.length, nSent, name);
    assertEquals(s.reduce((a, x) => a + x.words.length, 0), nTok, name);
  }
});
