import assert from "node:assert/strict";
import { CpuBackend, setBackend } from "../../../mod.ts";
import {
  formatConllCorpus,
  parseCorpusFile,
  SessionStateError,
  TaggerSession,
} from "../../../src/tagging/demo/browser_session.ts";
import { generateDemoCorpus } from "../../../src/tagging/demo/demo_corpus.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("browser session: seed CSV and CoNLL (IOB1 converted to IOB2) give ner/pos columns", () => {
  const csv = parseCorpusFile(
    enc("Sentence #,Word,POS,Tag\nSentence: 1,Thousands,NNS,O\n,of,IN,O\n,London,NNP,B-geo\n"),
    "seed.csv",
  );
  assert.deepEqual(csv[0].columns, { ner: ["O", "O", "B-geo"], pos: ["NNS", "IN", "NNP"] });
  const conll = parseCorpusFile(
    enc("EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n"),
    "train.txt",
  );
  assert.deepEqual(conll[0].columns, { ner: ["B-ORG", "O", "B-MISC"], pos: ["NNP", "VBZ", "JJ"] });
});

Deno.test("browser session: the demo corpus survives a CoNLL round trip", () => {
  const demo = generateDemoCorpus({ sentences: 20 });
  const back = parseCorpusFile(enc(formatConllCorpus(demo)), "demo.conll");
  assert.deepEqual(back.map((s) => [s.words, s.columns]), demo.map((s) => [s.words, s.columns]));
});

Deno.test("browser session: train, tag and reload the model files on the CPU backend", async () => {
  setBackend(new CpuBackend());
  const s = new TaggerSession();
  await assert.rejects(() => s.tag("x"), SessionStateError);
  s.setCorpusFile(enc(formatConllCorpus(generateDemoCorpus({ sentences: 40 }))), "demo.conll");
  const losses: number[] = [];
  const r = await s.train({ epochs: 1, batchSize: 12, lr: 0.01, seed: 5 }, {
    onStep: (x, total) => {
      assert.equal(total, 3);
      losses.push(x.loss);
    },
  });
  assert.equal(r.steps, 3);
  assert.equal(losses.length, 3);
  const tags = await s.tag("Anna Novak visited Oslo.\n");
  assert.deepEqual(tags.map((t) => t.word), ["Anna", "Novak", "visited", "Oslo", "."]);
  const files = s.modelFiles();
  assert.ok(files["model.safetensors"] && files["tagger.json"] && files["heads.safetensors"]);
  const t = new TaggerSession();
  const desc = await t.loadModelFiles(
    Object.fromEntries(Object.entries(files).map(([n, b]) => [`folder/${n}`, b])),
    "folder",
  );
  assert.match(desc, /trained tagger/);
  assert.deepEqual(await t.tag("Anna Novak visited Oslo ."), tags);
});
