/**
 * Prediction output: text splitting, the table / JSON / CoNLL formats, and tagging through a saved
 * and reloaded tagger (windows included: a sentence longer than the model's limit is tagged whole).
 */
import assert from "node:assert/strict";
import { MemoryFileSystem } from "../../../src/io/file_system.ts";
import {
  formatTagged,
  splitText,
  splitWords,
  type TaggedSentence,
  tagWords,
} from "../../../src/tagging/model/predict.ts";
import { loadTaggerFolder, saveTaggerFolder } from "../../../src/tagging/model/tagger_folder.ts";
import { TaggingArgumentError } from "../../../src/tagging/errors.ts";
import { tinySetup } from "../tagger_fixture.ts";

const tagged: TaggedSentence[] = [
  {
    words: ["Anna", "visited", "Oslo", "."],
    tags: { ner: ["B-PER", "O", "B-LOC", "O"], pos: ["NNP", "VBD", "NNP", "."] },
  },
  { words: ["Hi"], tags: { ner: ["O"], pos: ["UH"] } },
];

Deno.test("splitText / splitWords", () => {
  assert.deepEqual(splitText("Anna visited Oslo.\n\n  Hi!  \n"), [
    ["Anna", "visited", "Oslo", "."],
    ["Hi", "!"],
  ]);
  assert.deepEqual(splitWords("New-York  is\tbig.\n"), [["New-York", "is", "big."]]);
});

Deno.test("formatTagged: table, json, conll", () => {
  assert.equal(
    formatTagged(tagged, "table", ["ner", "pos"]),
    "word     ner    pos\nAnna     B-PER  NNP\nvisited  O      VBD\nOslo     B-LOC  NNP\n.        O      .\n\n" +
      "word  ner  pos\nHi    O    UH\n",
  );
  assert.equal(
    formatTagged(tagged, "conll", ["ner", "pos"]),
    "Anna B-PER NNP\nvisited O VBD\nOslo B-LOC NNP\n. O .\n\nHi O UH\n",
  );
  assert.deepEqual(JSON.parse(formatTagged(tagged, "json", ["ner", "pos"])), tagged);
  assert.throws(() => formatTagged(tagged, "xml" as "json", ["ner"]), TaggingArgumentError);
});

Deno.test("tagWords through a saved tagger, long sentences via windows", async () => {
  const s = tinySetup(20);
  const model = s.fresh();
  const fs = new MemoryFileSystem();
  await saveTaggerFolder(fs, "m", { model, tokenizer: s.tokenizer, meta: s.meta });
  const loaded = await loadTaggerFolder(fs, "m");
  const short = [["Anna", "Silva", "visited", "Oslo", "."]];
  const a = await tagWords({ ...s, model, labelMaps: s.maps }, short);
  const b = await tagWords(loaded, short);
  assert.deepEqual(b, a);
  assert.equal(b[0].tags.ner.length, 5);
  assert.ok(b[0].tags.pos.every((t) => s.maps.pos.has(t)));
  // 100 words > maxLength 64 sub-words: tagged in windows, every word gets a label.
  const long = [Array.from({ length: 100 }, (_, i) => (i % 2 ? "Oslo" : "visited"))];
  const [t] = await tagWords(loaded, long);
  assert.equal(t.tags.ner.length, 100);
  assert.equal(t.tags.pos.length, 100);
  model.dispose();
  loaded.model.dispose();
});
