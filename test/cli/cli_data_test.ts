/**
 * Corpus options of the CLI: `--tasks` parsing, format detection, CoNLL column renaming, IOB1 →
 * IOB2 conversion, NER joined onto CoNLL-U from a second file by `# sent_id`, and the seeded test
 * part of `--test-split`.
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
import { loadRunData } from "../../cli/run_setup.ts";
import { validateRunFlags } from "../../cli/validate.ts";
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

Deno.test("--test-split holds a seeded test part out of --train, before the dev split", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows = ["Sentence #,Word,POS,Tag"];
    for (let i = 0; i < 40; i++) rows.push(`Sentence: ${i},w${i},NN,O`, `,x${i},VB,B-per`);
    const file = `${dir}/c.csv`;
    await Deno.writeTextFile(file, rows.join("\n") + "\n");
    const quiet = () => {};
    const words = (s: { words: string[] }[]) => s.map((x) => x.words[0]);
    const base = { train: file, split: 0.25, "split-seed": 7 };
    const a = await loadRunData({ ...base, "test-split": 0.1 }, quiet);
    const b = await loadRunData({ ...base, "test-split": 0.1 }, quiet);
    assert.equal(a.test!.length, 4);
    assert.equal(a.dev.length, 9);
    assert.equal(a.train.length, 27);
    assert.deepEqual(words(a.test!), words(b.test!));
    const all = new Set([...words(a.train), ...words(a.dev), ...words(a.test!)]);
    assert.equal(all.size, 40);
    // --train-limit cuts the training part only.
    const limited = await loadRunData({ ...base, "test-split": 0.1, "train-limit": 5 }, quiet);
    assert.deepEqual(words(limited.test!), words(a.test!));
    assert.deepEqual(words(limited.dev), words(a.dev));
    assert.equal(limited.train.length, 5);
    await assert.rejects(
      validateRunFlags({ ...base, "test-split": 0.1, test: file }, "runs/x"),
      /give --test or --test-split, not both/,
    );
    await assert.rejects(
      validateRunFlags({ ...base, "test-split": 0.8 }, "runs/x"),
      /nothing is left to train on/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
