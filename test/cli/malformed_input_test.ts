/**
 * The malformed-input corpus: files as users bring them, each run through the CLI as a user runs
 * it. Every error must be one line without a stack trace that names the flag, the file, the line
 * and (where the problem sits in one) the field; files that only look unusual (UTF-16, three
 * columns, UniversalNER with extra columns, a stray I- token) must be read and reported.
 */
import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { parseCorpus } from "../../cli/data.ts";

const utf16le = (s: string) => {
  const b = new Uint8Array(2 + 2 * s.length);
  b[0] = 0xff, b[1] = 0xfe;
  for (let i = 0; i < s.length; i++) b[2 + 2 * i] = s.charCodeAt(i), b[3 + 2 * i] = 0;
  return b;
};
const conllu = (id: string, words: string[]) =>
  `# sent_id = ${id}\n` +
  words.map((w, i) => `${i + 1}\t${w}\t_\tPROPN\t_\t_\t0\troot\t_\t_`).join("\n") + "\n\n";

/** name → [file name, content, extra flags, expected stderr pattern]. */
const TRAIN_CASES: Record<string, [string, string | Uint8Array, string[], RegExp]> = {
  "csv ragged row": [
    "bad.csv",
    "Sentence #,Word,POS,Tag\nSentence: 1,Anna,NNP,B-per\n,visited,VBD\n",
    [],
    /--train .*bad\.csv:3: field "Tag": expected 4 fields \(Sentence #,Word,POS,Tag\), found 3/,
  ],
  "csv missing column": [
    "cols.csv",
    "Sentence #,Word,POS,Label\nSentence: 1,Anna,NNP,O\n",
    [],
    /cols\.csv:1: field "Tag": missing column; available: .*"Label"/,
  ],
  "csv empty word": [
    "word.csv",
    "Sentence #,Word,POS,Tag\nSentence: 1,,NNP,O\n",
    [],
    /word\.csv:2: field "Word": empty word/,
  ],
  "csv header only": [
    "header.csv",
    "Sentence #,Word,POS,Tag\n",
    [],
    /--train .*header\.csv:1: the file has only a header line, no rows/,
  ],
  "empty file": ["empty.conll", "", [], /--train .*empty\.conll:1: the file is empty/],
  "conll row short of the ner column": [
    "short.conll",
    "EU NNP B-NP B-ORG\nrejects VBZ B-VP\n",
    [],
    /short\.conll:2: field "ner": expected 4 fields \(word,pos,chunk,ner\), found 3: .*--columns/,
  ],
  "conll layout of no known width": [
    "wide.conll",
    "a b c d e f\n",
    [],
    /wide\.conll:1: 6 fields, and no known layout has 6 .*--columns word,pos,ner/,
  ],
  "conll too many fields for --columns": [
    "extra.conll",
    "EU NNP B-ORG\nrejects VBZ O extra\n",
    ["--columns", "word,pos,ner"],
    /extra\.conll:2: field "4": expected 3 fields \(word,pos,ner\), found 4 from --columns/,
  ],
  "conllu out-of-sequence id": [
    "ids.conllu",
    "# sent_id = a\n1\tAnna\t_\tPROPN\t_\t_\t0\troot\t_\t_\n3\tsang\t_\tVERB\t_\t_\t1\tx\t_\t_\n",
    [],
    /ids\.conllu:3: field "ID": token id 3 out of sequence \(expected 2\)/,
  ],
  "conllu row short of fields": [
    "short.conllu",
    "1\tAnna\t_\tPROPN\t_\t_\t0\troot\t_\n",
    [],
    /short\.conllu:1: field "MISC": expected 10 fields .*found 9/,
  ],
  "join file without the partner sentence": [
    "part.conllu",
    conllu("a", ["Anna"]) + conllu("b", ["Oslo"]),
    ["--train-join", "@part.ner"],
    /part\.conllu:\d+: field "sent_id": no sentence "b" in the joined file/,
  ],
  "join file with other words": [
    "words.conllu",
    conllu("a", ["Anna", "sang"]),
    ["--train-join", "@words.ner"],
    /words\.conllu:3: field "FORM": word "sang" differs from "sung" at .*words\.ner:3/,
  ],
  "join file ragged": [
    "rag.conllu",
    conllu("a", ["Anna", "sang"]),
    ["--train-join", "@rag.ner"],
    /--train-join .*rag\.ner:3: field "ner": expected 2 fields like the first token line, found 1/,
  ],
  "forced utf-8 on windows-1252 bytes": [
    "latin.conll",
    Uint8Array.from([...new TextEncoder().encode("EU NNP B-NP B-ORG\n"), 0x93, 0x20, 0x41]),
    ["--encoding", "utf-8"],
    /latin\.conll:2: invalid utf-8 byte sequence at byte offset 18/,
  ],
};

/** Label files joined in the cases above (@name in the flags). */
const JOIN_FILES: Record<string, string> = {
  "part.ner": "# sent_id = a\nAnna B-PER\n\n",
  "words.ner": "# sent_id = a\nAnna B-PER\nsung O\n\n",
  "rag.ner": "# sent_id = a\nAnna B-PER\nsang\n\n",
};

Deno.test("malformed input: every error names the flag, file, line and field", async () => {
  const dir = await Deno.makeTempDir();
  for (const [name, text] of Object.entries(JOIN_FILES)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  for (const [name, [file, content, extra, expected]] of Object.entries(TRAIN_CASES)) {
    const path = `${dir}/${file}`;
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    const flags = extra.map((a) => a.startsWith("@") ? `${dir}/${a.slice(1)}` : a);
    const r = await cli("train", "--device", "cpu", "--train", path, ...flags, "--out", `${dir}/o`);
    assert.equal(r.code, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, expected, name);
    assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, `${name}: no stack, no class name`);
    assert.equal(r.stderr.trim().split("\n").length, 1, `${name}: one line`);
  }
  // Nothing was written for any of them.
  await assert.rejects(() => Deno.stat(`${dir}/o`));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("malformed flags and paths fail before anything is read or written", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/file`, "x");
  const cases: [string[], RegExp][] = [
    [["--epochs", "0"], /--epochs must be >= 1, got 0/],
    [["--epochs", "-1"], /--epochs must be >= 1, got -1/],
    [["--lr", "-1"], /--lr must be > 0, got -1/],
    [["--split", "1"], /--split must be >= 0 and < 1, got 1/],
    [["--encoding", "ebcdic"], /--encoding must be one of auto, utf-8, utf-16le/],
    [["--tasks", "ner=NoSuchColumn"], /--tasks ner=NoSuchColumn: the demo corpus has the columns/],
    [["--train", dir], /--train .*: is a folder, not a file/],
    [["--train", `${dir}/none.conll`], /--train .*none\.conll: no such file/],
    [["--out", `${dir}/file`], /--out .*file: is a file; give a folder/],
    [["--dev-join", `${dir}/file`], /--dev-join needs --dev/],
    [["--join-columns", "word=2"], /--join-columns must give two fields/],
  ];
  for (const [args, expected] of cases) {
    const r = await cli("train", "--device", "cpu", "--out", `${dir}/o`, ...args);
    assert.equal(r.code, 2, args.join(" ")); // a usage error
    assert.match(r.stderr, expected, args.join(" "));
    assert.equal(r.stdout, "", `${args.join(" ")}: nothing ran`);
  }
  await assert.rejects(() => Deno.stat(`${dir}/o`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("unusual but valid files are read and reported", () => {
  const notes: string[] = [];
  const onNote = (l: string) => notes.push(l);
  const tasks: [string, string][] = [["ner", "ner"], ["pos", "pos"]];
  const u16 = parseCorpus(utf16le("EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n"), "u.conll", {
    tasks,
    onNote,
  });
  assert.deepEqual(u16[0].columns.ner, ["B-ORG", "O"]);
  const c3 = parseCorpus(new TextEncoder().encode("Gent NNP B-LOC\n"), "esp.train", {
    tasks,
    onNote,
  });
  assert.deepEqual(c3[0].columns, { ner: ["B-LOC"], pos: ["NNP"] });
  const uner = "# sent_id = x\n# text = Anna sang\n1\tAnna\tB-PER\t-\tann\n2\tsang\tO\t-\tann\n";
  const u = parseCorpus(new TextEncoder().encode(uner), "en.iob2", {
    tasks,
    optionalTasks: true,
    onNote,
  });
  assert.deepEqual([u[0].words, u[0].columns, u[0].id], [
    ["Anna", "sang"],
    { ner: ["B-PER", "O"] },
    "x",
  ]);
  assert.match(notes[0], /u\.conll: UTF-16 LE \(BOM\), columns word,pos,chunk,ner/);
  assert.match(notes[1], /esp\.train: UTF-8, columns word,pos,ner \(3 fields at line 1/);
  assert.match(
    notes[2],
    /en\.iob2: UTF-8, columns id,word,ner,_,_ \(5 fields at line 3, UniversalNER/,
  );
});
