/**
 * The saved folder as a transformers token classifier: config.json and weight names, jointag reading
 * it back (and the earlier layout, and a plain `BertForTokenClassification` without tagger.json),
 * the tokenizer.json it writes, and continuing from a checkpoint's heads.
 */
import assert from "node:assert/strict";
import { loadCheckpointFolder } from "../../../src/bert/checkpoint.ts";
import { MemoryFileSystem } from "../../../src/io/file_system.ts";
import { readSafetensors, writeSafetensors } from "../../../src/bert/safetensors.ts";
import { tokenizerFromTokenizerJson } from "../../../src/bert/tokenizer_files.ts";
import type { WeightMap } from "../../../src/bert/weights.ts";
import { reuseHeads } from "../../../src/tagging/model/head_reuse.ts";
import { tagWords } from "../../../src/tagging/model/predict.ts";
import {
  loadTaggerFolder,
  readPretrainedHeads,
  saveTaggerFolder,
} from "../../../src/tagging/model/tagger_folder.ts";
import { tinySetup } from "../tagger_fixture.ts";

const WORDS = [["Anna", "Silva", "visited", "Oslo", "."], ["Hi", "Bob", "!"]];

async function saved() {
  const s = tinySetup(20);
  const model = s.fresh();
  const fs = new MemoryFileSystem();
  const meta = { ...s.meta, baseModel: { id: "acme/bert", revision: "0123abcd" } };
  await saveTaggerFolder(fs, "m", { model, tokenizer: s.tokenizer, meta });
  const want = await tagWords({ ...s, model, labelMaps: s.maps }, WORDS);
  model.dispose();
  return { s, fs, want };
}

const text = (fs: MemoryFileSystem, p: string) => fs.readTextFile(p).then(JSON.parse);

Deno.test("token classifier: config.json, weight names, tokenizer files", async () => {
  const { s, fs } = await saved();
  const config = await text(fs, "m/config.json");
  assert.deepEqual(config.architectures, ["BertForTokenClassification"]);
  const ner = s.maps.ner.labels;
  assert.equal(config.num_labels, ner.length);
  assert.deepEqual(Object.values(config.id2label), ner);
  assert.equal(config.label2id[ner[1]], 1);
  assert.equal(config._name_or_path, undefined);
  const names = [...readSafetensors(await fs.readFile("m/model.safetensors")).keys()];
  assert.ok(names.every((n) => n.startsWith("bert.") || n.startsWith("classifier.")), names[0]);
  assert.ok(names.includes("classifier.weight") && !names.some((n) => n.includes("pooler")));
  const heads = readSafetensors(await fs.readFile("m/heads.safetensors"));
  assert.deepEqual([...heads.keys()].sort(), ["pos.bias", "pos.weight"]);
  const meta = await text(fs, "m/tagger.json");
  assert.deepEqual(meta.baseModel, { id: "acme/bert", revision: "0123abcd" });
  // tokenizer.json gives the same ids as the tokenizer it was written from.
  const tj = tokenizerFromTokenizerJson(await text(fs, "m/tokenizer.json"));
  for (const t of ["Anna visited Oslo.", "UNSEENWORD xyz , Hi!", "[CLS] x [SEP]"]) {
    assert.deepEqual(tj.encode(t), s.tokenizer.encode(t), t);
  }
  assert.deepEqual(await text(fs, "m/special_tokens_map.json"), s.tokenizer.specialTokensMap());
});

Deno.test("token classifier: read back, earlier layout, plain BertForTokenClassification", async () => {
  const { fs, want } = await saved();
  const back = await loadTaggerFolder(fs, "m");
  assert.deepEqual(await tagWords(back, WORDS), want);
  back.model.dispose();

  // The earlier layout: encoder under BertModel names, every head in heads.safetensors.
  const weights = readSafetensors(await fs.readFile("m/model.safetensors"));
  const old: WeightMap = new Map();
  const heads = readSafetensors(await fs.readFile("m/heads.safetensors"));
  for (const [n, w] of weights) {
    if (n.startsWith("bert.")) old.set(n.slice(5), w);
    else heads.set(n.replace("classifier.", "ner."), w);
  }
  const oldFs = new MemoryFileSystem({
    "o/model.safetensors": writeSafetensors(old),
    "o/heads.safetensors": writeSafetensors(heads),
    "o/config.json": await fs.readFile("m/config.json"),
    "o/vocab.txt": await fs.readFile("m/vocab.txt"),
    "o/tagger.json": await fs.readFile("m/tagger.json"),
  });
  const fromOld = await loadTaggerFolder(oldFs, "o");
  assert.deepEqual(await tagWords(fromOld, WORDS), want);
  fromOld.model.dispose();

  // Without tagger.json and heads.safetensors: one task from config.json's id2label.
  const plain = new MemoryFileSystem();
  for (const f of ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]) {
    await plain.writeFileAtomic(`p/${f}`, await fs.readFile(`m/${f}`));
  }
  const one = await loadTaggerFolder(plain, "p");
  assert.deepEqual(one.meta.tasks.map((t) => t.name), ["ner"]);
  const tagged = await tagWords(one, WORDS);
  assert.deepEqual(tagged.map((t) => t.tags.ner), want.map((t) => t.tags.ner));
  one.model.dispose();
  await plain.writeFileAtomic(
    "p/config.json",
    JSON.stringify({ ...(await text(fs, "m/config.json")), id2label: undefined }),
  );
  await assert.rejects(
    loadTaggerFolder(plain, "p"),
    /neither a trained tagger .* nor a BertForTokenClassification/,
  );
});

Deno.test("token classifier: continuing reuses heads whose labels cover the data's", async () => {
  const { s, fs } = await saved();
  const ckpt = await loadCheckpointFolder(fs, "m");
  const pre = (await readPretrainedHeads(fs, "m", ckpt))!;
  assert.equal(pre.mainTask, "ner");
  // Same tasks, labels in another order: both heads reused in the checkpoint's order.
  const shuffled = {
    ...s.meta,
    tasks: s.meta.tasks.map((t) => ({
      ...t,
      labels: { ...t.labels, labels: t.labels.labels.toReversed() },
    })),
  };
  const r = reuseHeads(shuffled, pre, "m");
  assert.deepEqual(
    r.meta.tasks.map((t) => t.labels.labels),
    s.meta.tasks.map((t) => t.labels.labels),
  );
  assert.deepEqual([...r.heads.keys()].sort(), [
    "ner.bias",
    "ner.weight",
    "pos.bias",
    "pos.weight",
  ]);
  // A new main task "ents" takes over the checkpoint's main head; a label it lacks keeps it fresh.
  const ents = { ...s.meta, mainTask: "ents", tasks: [{ ...s.meta.tasks[0], name: "ents" }] };
  assert.deepEqual([...reuseHeads(ents, pre, "m").heads.keys()], ["ents.weight", "ents.bias"]);
  const extra = {
    ...ents,
    tasks: [{ ...ents.tasks[0], labels: { column: "ents", labels: ["O", "B-NEW"] } }],
  };
  const fresh = reuseHeads(extra, pre, "m");
  assert.equal(fresh.heads.size, 0);
  assert.match(
    fresh.notes[0],
    /task ents starts with a fresh head: the data's labels B-NEW are not among/,
  );
});
