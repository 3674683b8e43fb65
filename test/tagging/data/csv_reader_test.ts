import assert from "node:assert/strict";
import {
  CorpusFormatError,
  DecodeError,
  forEachCsvRecord,
  MissingColumnError,
  RaggedRowError,
  readCsvCorpus,
} from "../../../tagging.ts";

const GMB = new URL("../../../../shared/data/gmb/ner_dataset.csv", import.meta.url);

function cp1252(text: string): Uint8Array {
  // Test helper: encodes the few characters used below into windows-1252 bytes.
  const map: Record<string, number> = { "…": 0x85, "’": 0x92, "é": 0xe9 };
  return Uint8Array.from([...text].map((c) => map[c] ?? c.charCodeAt(0)));
}

Deno.test("csv: forward-filled sentence ids, CRLF, column mapping and token lines", () => {
  const text = "Sentence #,Word,POS,Tag\r\n" +
    "Sentence: 1,Thousands,NNS,O\r\n,of,IN,O\r\n,London,NNP,B-geo\r\n" +
    "Sentence: 2,Iranian,JJ,B-gpe\r\n,officials,NNS,O\r\n";
  const s = readCsvCorpus(text, { file: "t.csv" });
  assert.equal(s.length, 2);
  assert.deepEqual(s[0].words, ["Thousands", "of", "London"]);
  assert.deepEqual(s[0].columns, { pos: ["NNS", "IN", "NNP"], ner: ["O", "O", "B-geo"] });
  assert.equal(s[0].id, "Sentence: 1");
  assert.equal(s[0].source.file, "t.csv");
  assert.equal(s[0].source.line, 2);
  assert.deepEqual(Array.from(s[0].source.tokenLines!), [2, 3, 4]);
  assert.equal(s[1].source.line, 5);
  assert.deepEqual(s[1].columns.ner, ["B-gpe", "O"]);
});

Deno.test("csv: repeated ids on every row (already forward-filled) give one sentence", () => {
  const s = readCsvCorpus("Sentence #,Word,POS,Tag\nS1,a,DT,O\nS1,b,NN,O\nS2,c,NN,O\n");
  assert.deepEqual(s.map((x) => x.words), [["a", "b"], ["c"]]);
});

Deno.test("csv: RFC 4180 quoted fields with delimiters, doubled quotes and line breaks", () => {
  const text = 'Sentence #,Word,POS,Tag\nSentence: 1,"""",``,O\n,"10,000",CD,O\n' +
    ',"multi\nline",NN,O\n,end,NN,"B-x"\nSentence: 2,z,NN,O';
  const s = readCsvCorpus(text);
  assert.deepEqual(s[0].words, ['"', "10,000", "multi\nline", "end"]);
  assert.deepEqual(s[0].columns.ner, ["O", "O", "O", "B-x"]);
  // The quoted field spans lines 4-5, so the next record starts on line 6.
  assert.deepEqual(Array.from(s[0].source.tokenLines!), [2, 3, 4, 6]);
  assert.equal(s[1].source.line, 7);
});

Deno.test("csv: custom header names, output names and delimiter", () => {
  const text = "sid;tok;tag\n1;Paris;B-LOC\n;is;O\n";
  const s = readCsvCorpus(text, {
    sentenceColumn: "sid",
    wordColumn: "tok",
    columns: { ner: "tag" },
    delimiter: ";",
  });
  assert.deepEqual(s[0].words, ["Paris", "is"]);
  assert.deepEqual(s[0].columns, { ner: ["B-LOC", "O"] });
});

Deno.test("csv: cp1252 bytes are detected; 0x85 stays inside its word", () => {
  const bytes = cp1252(
    "Sentence #,Word,POS,Tag\r\nSentence: 1,caf\u00e9,NN,O\r\n,\u2026,:,O\r\n,it\u2019s,PRP,O\r\n",
  );
  const s = readCsvCorpus(bytes, { file: "w.csv" });
  assert.equal(s.length, 1);
  assert.deepEqual(s[0].words, ["café", "…", "it’s"]);
  assert.deepEqual(Array.from(s[0].source.tokenLines!), [2, 3, 4]);
});

Deno.test("csv: U+0085 (NEL) in decoded text is not a line break", () => {
  const s = readCsvCorpus("Sentence #,Word,POS,Tag\nSentence: 1,a\u0085b,NN,O\n,c,NN,O\n");
  assert.deepEqual(s[0].words, ["a\u0085b", "c"]);
});

Deno.test("csv: UTF-8 bytes with BOM decode as UTF-8", () => {
  const bytes = new TextEncoder().encode("\ufeffSentence #,Word,POS,Tag\nSentence: 1,café,NN,O\n");
  assert.deepEqual(readCsvCorpus(bytes).map((x) => x.words), [["café"]]);
});

Deno.test("csv: forced utf-8 on cp1252 bytes throws DecodeError with the line", () => {
  const bytes = cp1252("Sentence #,Word,POS,Tag\nSentence: 1,ok,NN,O\n,caf\u00e9,NN,O\n");
  assert.throws(
    () => readCsvCorpus(bytes, { file: "bad.csv", encoding: "utf-8" }),
    (e: unknown) => {
      assert.ok(e instanceof DecodeError, String(e));
      assert.equal(e.file, "bad.csv");
      assert.equal(e.line, 3);
      assert.deepEqual(e.byteOffset, bytes.indexOf(0xe9));
      assert.ok(e.message.startsWith("bad.csv:3:"), e.message);
      return true;
    },
  );
});

Deno.test("csv: ragged row names file and line", () => {
  assert.throws(
    () => readCsvCorpus("Sentence #,Word,POS,Tag\nSentence: 1,a,DT,O\n,b,NN\n", { file: "r.csv" }),
    (e: unknown) => {
      assert.ok(e instanceof RaggedRowError, String(e));
      assert.deepEqual([e.file, e.line, e.expected, e.actual], ["r.csv", 3, 4, 3]);
      assert.ok(e.message.includes("r.csv:3"));
      return true;
    },
  );
});

Deno.test("csv: missing column names the header field", () => {
  assert.throws(
    () => readCsvCorpus("Sentence #,Word,Tag\nSentence: 1,a,O\n", { file: "m.csv" }),
    (e: unknown) => {
      assert.ok(e instanceof MissingColumnError, String(e));
      assert.deepEqual([e.file, e.line, e.field], ["m.csv", 1, "POS"]);
      assert.ok(e.message.includes('field "POS"'), e.message);
      return true;
    },
  );
});

Deno.test("csv: malformed content is located", () => {
  assert.throws(
    () => readCsvCorpus("Sentence #,Word,POS,Tag\n,a,DT,O\n", { file: "f.csv" }),
    (first: unknown) => {
      assert.ok(first instanceof CorpusFormatError, String(first));
      assert.deepEqual([first.line, first.field], [2, "Sentence #"]);
      return true;
    },
  );
  assert.throws(
    () => readCsvCorpus("Sentence #,Word,POS,Tag\nSentence: 1,,DT,O\n"),
    (emptyWord: unknown) => {
      assert.ok(emptyWord instanceof CorpusFormatError, String(emptyWord));
      assert.deepEqual([emptyWord.line, emptyWord.field], [2, "Word"]);
      return true;
    },
  );
  assert.throws(
    () => readCsvCorpus("Sentence #,Word,POS,Tag\nSentence: 1,a,DT,\n"),
    (emptyLabel: unknown) => {
      assert.ok(emptyLabel instanceof CorpusFormatError, String(emptyLabel));
      assert.deepEqual([emptyLabel.line, emptyLabel.field], [2, "Tag"]);
      return true;
    },
  );
  assert.throws(
    () => readCsvCorpus("Sentence #,Word,POS,Tag\nS1,a,DT,O\nS2,b,DT,O\nS1,c,DT,O\n"),
    (dup: unknown) => {
      assert.ok(dup instanceof CorpusFormatError, String(dup));
      assert.equal(dup.line, 4);
      return true;
    },
  );
  assert.throws(
    () => readCsvCorpus('Sentence #,Word,POS,Tag\nS1,"abc,DT,O\nS2,b,DT,O\n'),
    (unterminated: unknown) => {
      assert.ok(unterminated instanceof CorpusFormatError, String(unterminated));
      assert.equal(unterminated.line, 2);
      return true;
    },
  );
  assert.throws(
    () => readCsvCorpus('Sentence #,Word,POS,Tag\nS1,a,DT,O\nS1,"b"x,DT,O\n'),
    (trailing: unknown) => {
      assert.ok(trailing instanceof CorpusFormatError, String(trailing));
      assert.equal(trailing.line, 3);
      return true;
    },
  );
});

Deno.test("csv records: trailing empty field, CR before LF and no final newline", () => {
  const rows: [string[], number][] = [];
  forEachCsvRecord('a,b,\r\n"x""y",\n,', (f, l) => rows.push([f, l]));
  assert.deepEqual(rows, [[["a", "b", ""], 1], [['x"y', ""], 2], [["", ""], 3]]);
});

Deno.test("csv: full GMB corpus (cp1252, CRLF) parses with the published counts", async () => {
  const bytes = await Deno.readFile(GMB);
  let calls = 0;
  let lastDone = -1;
  const sentences = readCsvCorpus(bytes, {
    file: "ner_dataset.csv",
    onProgress: (done, total) => {
      calls++;
      assert.ok(done >= lastDone && done <= total);
      lastDone = done;
    },
  });
  assert.ok(calls > 1);
  assert.equal(sentences.length, 47959);
  let tokens = 0;
  const pos = new Set<string>();
  const ner = new Set<string>();
  for (const s of sentences) {
    tokens += s.words.length;
    for (const p of s.columns.pos) pos.add(p);
    for (const t of s.columns.ner) ner.add(t);
  }
  assert.equal(tokens, 1048575);
  assert.equal(pos.size, 42);
  assert.equal(ner.size, 17);
  assert.deepEqual(sentences[0].words.slice(0, 3), ["Thousands", "of", "demonstrators"]);
  assert.equal(sentences[47958].id, "Sentence: 47959");
  // Last row of the file is line 1,048,576 (header is line 1).
  const last = sentences[47958];
  assert.equal(last.source.tokenLines![last.words.length - 1], 1048576);
  // Line 1788 holds byte 0x85, which cp1252 decodes to an ellipsis inside one word.
  const at1788 = sentences.find((s) => s.source.tokenLines!.includes(1788))!;
  assert.equal(at1788.words[at1788.source.tokenLines!.indexOf(1788)], "\u2026");
  assert.equal(at1788.columns.pos[at1788.source.tokenLines!.indexOf(1788)], ",");
});
