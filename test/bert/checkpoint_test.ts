import assert from "node:assert/strict";
import {
  checkpointFiles,
  loadCheckpointFolder,
  loadCheckpointFromFiles,
  loadCheckpointFromUrl,
  saveCheckpointFolder,
} from "../../src/bert/checkpoint.ts";
import { MemoryFileSystem } from "../../src/io/file_system.ts";
import { BertConfigError, CheckpointFormatError } from "../../src/bert/errors.ts";
import { expectedBertParamNames } from "../../src/bert/param_names.ts";
import { readSafetensors } from "../../src/bert/safetensors.ts";
import { DenoFileSystem } from "../../src/io/deno/fs.ts";
import type { WeightMap } from "../../src/bert/weights.ts";

const TINY_URL = new URL("../fixtures/bert/tiny_bert/", import.meta.url);
const TINY = TINY_URL.pathname.replace(/\/$/, "");
const tinyFile = (f: string) => Deno.readFileSync(new URL(f, TINY_URL));
const reference = readSafetensors(tinyFile("model.safetensors"));

function assertBertWeights(w: WeightMap) {
  for (const [k, v] of w) assert.deepEqual(v.data, reference.get(k)!.data, k);
}

Deno.test("checkpoint: load the fixture folder (safetensors + tokenizer.json)", async () => {
  const notices: string[] = [];
  const ck = await loadCheckpointFolder(new DenoFileSystem(), TINY, {
    onNotice: (m) => notices.push(m),
  });
  assert.deepEqual(ck.files, { weights: "model.safetensors", tokenizer: "tokenizer.json" });
  assert.equal(ck.config.hiddenSize, 32);
  assert.deepEqual([...ck.weights.keys()], expectedBertParamNames(ck.config));
  assertBertWeights(ck.weights);
  assert.deepEqual(ck.ignored.sort(), ["pooler.dense.bias", "pooler.dense.weight"]);
  assert.match(notices.join("\n"), /tiny_bert\/model\.safetensors: ignoring 2 tensor/);
  const hf = JSON.parse(Deno.readTextFileSync(new URL("../tiny_tokenizer_cases.json", TINY_URL)));
  assert.deepEqual([...ck.tokenizer.encode(hf.cases[0].text)], hf.cases[0].ids);
});

Deno.test("checkpoint: in-memory files (browser path) with vocab.txt and pytorch_model.bin", async () => {
  const notices: string[] = [];
  const ck = await loadCheckpointFromFiles({
    "config.json": tinyFile("config.json"),
    "vocab.txt": tinyFile("vocab.txt"),
    "tokenizer_config.json": tinyFile("tokenizer_config.json"),
    "pytorch_model.bin": tinyFile("pytorch_model.bin"),
  }, { onNotice: (m) => notices.push(m) });
  assert.deepEqual(ck.files, { weights: "pytorch_model.bin", tokenizer: "vocab.txt" });
  assertBertWeights(ck.weights);
  assert.equal(ck.tokenizer.modelMaxLength, 64);
  assert.match(notices.join("\n"), /no model\.safetensors, using pytorch_model\.bin/);
});

Deno.test("checkpoint: save then load round trip (Deno fs), classifier head set aside", async () => {
  const ck = await loadCheckpointFolder(new DenoFileSystem(), TINY);
  const dir = await Deno.makeTempDir({ prefix: "jointag_ck_" });
  try {
    const weights: WeightMap = new Map(ck.weights);
    const head = Float32Array.from({ length: 9 * 32 }, (_, i) => Math.sin(i));
    weights.set("classifier.weight", { dtype: "f32", shape: [9, 32], data: head });
    const out = `${dir}/saved`;
    await saveCheckpointFolder(new DenoFileSystem(), out, {
      config: ck.config,
      weights,
      tokenizer: ck.tokenizer,
      architectures: ["BertForTokenClassification"],
    });
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "config.json",
      "model.safetensors",
      "special_tokens_map.json",
      "tokenizer.json",
      "tokenizer_config.json",
      "vocab.txt",
    ]);
    assert.equal(
      Deno.readTextFileSync(`${out}/vocab.txt`),
      Deno.readTextFileSync(`${TINY}/vocab.txt`),
    );
    const cfg = JSON.parse(Deno.readTextFileSync(`${out}/config.json`));
    assert.deepEqual(cfg.architectures, ["BertForTokenClassification"]);
    assert.equal(cfg.model_type, "bert");
    const back = await loadCheckpointFolder(new DenoFileSystem(), out);
    assertBertWeights(back.weights);
    assert.deepEqual(back.taskTensors.get("classifier.weight")!.data, head);
    assert.deepEqual(back.config, ck.config);
    assert.deepEqual(
      [...back.tokenizer.encode("Hello, the CAT runs!")],
      [...ck.tokenizer.encode("Hello, the CAT runs!")],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkpoint: MemoryFileSystem and checkpointFiles (no Deno needed)", async () => {
  const fs = new MemoryFileSystem();
  const ck = await loadCheckpointFromFiles({
    "config.json": tinyFile("config.json"),
    "tokenizer.json": tinyFile("tokenizer.json"),
    "model.safetensors": tinyFile("model.safetensors"),
  });
  await saveCheckpointFolder(fs, "/m", {
    config: ck.config,
    weights: ck.weights,
    tokenizerVocab: ck.tokenizer.saveVocab(),
  });
  assert.deepEqual([...fs.files.keys()].sort(), [
    "/m/config.json",
    "/m/model.safetensors",
    "/m/vocab.txt",
  ]);
  const back = await loadCheckpointFolder(fs, "/m");
  assertBertWeights(back.weights);
  const files = checkpointFiles({
    config: ck.config,
    weights: ck.weights,
    tokenizer: ck.tokenizer,
  });
  assert.deepEqual(Object.keys(files).sort(), [
    "config.json",
    "model.safetensors",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
  ]);
});

Deno.test("checkpoint: loading over HTTP with progress and 404 fallbacks", async () => {
  const served = new Set(["config.json", "vocab.txt", "pytorch_model.bin"]);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const f = new URL(req.url).pathname.replace("/files/", "");
    return served.has(f) ? new Response(tinyFile(f)) : new Response("nope", { status: 404 });
  });
  try {
    const seen = new Map<string, number>();
    const ck = await loadCheckpointFromUrl(`http://127.0.0.1:${server.addr.port}/files/`, {
      onProgress: (f, loaded) => seen.set(f, loaded),
    });
    assert.deepEqual(ck.files, { weights: "pytorch_model.bin", tokenizer: "vocab.txt" });
    assertBertWeights(ck.weights);
    assert.equal(seen.get("pytorch_model.bin"), tinyFile("pytorch_model.bin").byteLength);
  } finally {
    await server.shutdown();
  }
});

Deno.test("checkpoint: missing pieces are reported with the folder name", async () => {
  const fs = new MemoryFileSystem({ "/a/vocab.txt": tinyFile("vocab.txt") });
  await assert.rejects(
    loadCheckpointFolder(fs, "/a"),
    (e: unknown) =>
      e instanceof BertConfigError && e.message.startsWith("/a/config.json: file not found"),
  );
  await fs.writeFileAtomic("/a/config.json", tinyFile("config.json"));
  await assert.rejects(
    loadCheckpointFolder(fs, "/a"),
    (e: unknown) =>
      e instanceof CheckpointFormatError &&
      /^\/a: neither model\.safetensors nor pytorch_model\.bin/.test(e.message),
  );
  await fs.writeFileAtomic("/b/config.json", tinyFile("config.json"));
  await assert.rejects(
    loadCheckpointFolder(fs, "/b"),
    /\/b: neither tokenizer\.json nor vocab\.txt/,
  );
});
