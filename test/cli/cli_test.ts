/**
 * The command line, as a user runs it: --help of every command, clean one-line errors naming file,
 * line and field for bad input (no stack trace), and a tiny train → predict → evaluate round trip.
 */
import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { generateDemoCorpus } from "../../src/tagging/demo/demo_corpus.ts";

Deno.test("cli: --help of every command", async () => {
  for (const cmd of ["train", "evaluate", "predict", "compare"]) {
    const r = await cli(cmd, "--help");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: jointag ${cmd}`));
    assert.match(r.stdout, /--device <auto\|webgpu\|cpu>/);
  }
  const v = await cli("--version");
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^jointag \d+\.\d+\.\d+\n$/);
  const top = await cli("--help");
  assert.match(top.stdout, /train .*\n.*evaluate .*\n.*predict /);
});

Deno.test("cli: bad input names file, line and field without a stack trace", async () => {
  const dir = await Deno.makeTempDir();
  const bad = `${dir}/bad.csv`;
  await Deno.writeTextFile(
    bad,
    "Sentence #,Word,POS,Tag\nSentence: 1,Anna,NNP,B-per\n,visited,VBD\n",
  );
  const r = await cli("train", "--device", "cpu", "--train", bad, "--out", `${dir}/out`);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: .*bad\.csv:3/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const opt = await cli("train", "--epochs", "two");
  assert.equal(opt.code, 2); // a usage error, as argparse and clap exit
  assert.match(opt.stderr, /error: --epochs needs an integer, got "two"/);
  const missing = await cli("train", "--device", "cpu", "--train", `${dir}/nope.conll`);
  assert.match(missing.stderr, /error: --train .*nope\.conll: no such file/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("cli: train, predict, evaluate on a tiny demo", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/run`;
  const t = await cli(
    "train",
    "--device",
    "cpu",
    "--demo-sentences",
    "300",
    "--epochs",
    "1",
    "--out",
    out,
  );
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^device: CPU/);
  assert.match(t.stdout.trim().split("\n").at(-1)!, /^wrote .*run\/: .*model\.safetensors/);
  assert.match(t.stdout, /best dev \(epoch 1\): ner P [\d.]+ R [\d.]+ F1 [\d.]+ \| pos acc/);
  // The best model in model/ (swapped in whole); beside it what transformers needs to load out/.
  for (
    const f of [
      "config.json",
      "model.safetensors.index.json",
      "vocab.txt",
      "model/config.json",
      "model/model.safetensors",
      "model/vocab.txt",
      "model/heads.safetensors",
      "model/tagger.json",
      "metrics.json",
      "train_log.jsonl",
      "checkpoint/training_state.safetensors",
    ]
  ) {
    assert.ok(Deno.statSync(`${out}/${f}`).isFile, f);
  }
  const p = await cli(
    "predict",
    "--device",
    "cpu",
    "--model",
    out,
    "--format",
    "conll",
    "Anna visited Oslo .",
  );
  assert.equal(p.code, 0, p.stderr);
  const rows = p.stdout.trim().split("\n").map((l) => l.split(" "));
  assert.deepEqual(rows.map((r) => r[0]), ["Anna", "visited", "Oslo", "."]);
  assert.ok(rows.every((r) => r.length === 3));
  // A CoNLL gold file (word pos chunk ner) from the generator, scored by `evaluate`.
  const gold = generateDemoCorpus({ sentences: 20, seed: 99 })
    .map((s) => s.words.map((w, i) => `${w} ${s.columns.pos[i]} O ${s.columns.ner[i]}`).join("\n"))
    .join("\n\n") + "\n";
  await Deno.writeTextFile(`${dir}/gold.conll`, gold);
  const e = await cli("evaluate", "--device", "cpu", "--model", out, "--data", `${dir}/gold.conll`);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /20 sentences/);
  assert.match(e.stdout, /micro avg\s+[\d.]+.*\nmacro avg\s+[\d.]+.*\nweighted avg\s+[\d.]+/);
  const preds = (await Deno.readTextFile(`${out}/predictions.conll`)).split("\n")[0].split("\t");
  assert.equal(preds.length, 5); // word, gold/pred pos, gold/pred ner
  assert.match(e.stdout.trim().split("\n").at(-1)!, /^wrote .*predictions\.conll/);

  // A word with a space round-trips: the predictions file is read back by `evaluate`.
  await Deno.writeTextFile(
    `${dir}/jr.csv`,
    'Sentence #,Word,POS,Tag\nSentence: 1,"Smith, Jr.",NNP,B-PER\n,visited,VBD,O\n',
  );
  const jr = await cli("evaluate", "--device", "cpu", "--model", out, "--data", `${dir}/jr.csv`);
  assert.equal(jr.code, 0, jr.stderr);
  const again = await cli(
    "evaluate",
    "--device",
    "cpu",
    "--model",
    out,
    "--data",
    `${out}/predictions.conll`,
    "--columns",
    "word,pos,_,ner,_",
    "--predictions",
    `${dir}/again.conll`,
  );
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /1 sentences, 2 words/);
  assert.equal(
    (await Deno.readTextFile(`${dir}/again.conll`)).split("\t")[0],
    "Smith, Jr.",
  );
  // A header-only file is an error naming it, not F1 0.00.
  await Deno.writeTextFile(`${dir}/header.csv`, "Sentence #,Word,POS,Tag\n");
  const h = await cli("evaluate", "--device", "cpu", "--model", out, "--data", `${dir}/header.csv`);
  assert.equal(h.code, 1);
  assert.match(h.stderr, /error: --data .*header\.csv:1: the file has only a header line/);
  await Deno.remove(dir, { recursive: true });
});
