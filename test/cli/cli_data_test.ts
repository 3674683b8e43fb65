/**
 * Corpus options of the CLI: `--tasks` parsing, format detection, CoNLL column renaming, IOB1 →
 * IOB2 conversion, and NER joined onto CoNLL-U from a second file by `# sent_id`.
 */
import assert from "node:assert/strict";
import {
  formatOf,
  joinLabelFile,
  normalizeSchemes,
  parseCorpus,
  parseTasks,
} from "../../cli/data.ts";
import { ArgumentError } from "../../cli/args.ts";
import { CorpusFormatError } from "../../src/tagging/errors.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("--tasks and --format", () => {
  assert.deepEqual(parseTasks("ner=Tag,pos=POS"), [["ner", "Tag"], ["pos", "POS"]]);
  assert.deepEqual(parseTasks("chunk"), [["chunk", "chunk"]]);
  assert.throws(() => parseTasks("ner=Tag,ner=X"), ArgumentError);
  assert.equal(formatOf("a/b.CSV"), "csv");
  assert.equal(formatOf("x.conllu"), "conllu");
  assert.equal(formatOf("train.txt"), "conll");
  assert.throws(() => formatOf("x", "json"), /--format must be csv, conll or conllu/);
});

Deno.test("CoNLL columns become task columns; IOB1 is converted to IOB2", () => {
  const text =
    "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n";
  const s = parseCorpus(enc(text), "t.txt", { tasks: [["ner", "ner"], ["chunk", "chunk"]] });
  assert.deepEqual(s[0].columns, {
    ner: ["I-ORG", "O", "I-MISC"],
    chunk: ["B-NP", "B-VP", "B-NP"],
  });
  assert.deepEqual(normalizeSchemes([s], ["ner", "chunk"]), ["ner: IOB1 labels converted to IOB2"]);
  assert.deepEqual(s[0].columns.ner, ["B-ORG", "O", "B-MISC"]);
  assert.throws(
    () => parseCorpus(enc(text), "t.txt", { tasks: [["ner", "Tag"]] }),
    /column "Tag" is not among the CoNLL columns word,pos,chunk,ner/,
  );
});

Deno.test("NER joined onto CoNLL-U by sent_id", () => {
  const conllu =
    "# sent_id = a\n1\tAnna\tanna\tPROPN\t_\t_\t0\troot\t_\t_\n2\tsang\tsing\tVERB\t_\t_\t1\tx\t_\t_\n\n";
  const base = parseCorpus(enc(conllu), "u.conllu", { tasks: [["pos", "UPOS"]] });
  const joined = joinLabelFile(base, enc("# sent_id = a\nAnna B-PER\nsang O\n"), "u.ner", "ner");
  assert.deepEqual(joined[0].columns, { pos: ["PROPN", "VERB"], ner: ["B-PER", "O"] });
  assert.throws(
    () => joinLabelFile(base, enc("# sent_id = a\nAnne B-PER\nsang O\n"), "u.ner", "ner"),
    (e: unknown) => e instanceof CorpusFormatError && /u\.ner:2/.test(e.message),
  );
});
