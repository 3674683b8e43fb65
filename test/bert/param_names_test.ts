import assert from "node:assert/strict";
import { BertConfig } from "../../src/bert/config.ts";
import {
  expectedBertParamNames,
  matchBertWeights,
  normalizeBertParamName,
} from "../../src/bert/param_names.ts";
import { readPytorchBin } from "../../src/bert/pytorch_bin.ts";
import { readSafetensors } from "../../src/bert/safetensors.ts";
import { WeightNameError } from "../../src/bert/errors.ts";
import type { WeightMap } from "../../src/bert/weights.ts";

const FIX = new URL("../fixtures/bert/", import.meta.url);
const read = (p: string) => Deno.readFileSync(new URL(p, FIX));
const config = BertConfig.parse(new TextDecoder().decode(read("tiny_bert/config.json")));
const expected = JSON.parse(new TextDecoder().decode(read("tiny_bert_expected.json"))) as {
  param_order: string[];
};

Deno.test("param names: expected list equals torch BertModel.state_dict() minus the pooler", () => {
  const names = expectedBertParamNames(config);
  assert.equal(names.length, 5 + 16 * config.numHiddenLayers);
  assert.deepEqual(names, expected.param_order.filter((n) => !n.startsWith("pooler.")));
});

Deno.test("param names: normalisation of prefixed / TF-era names", () => {
  assert.equal(
    normalizeBertParamName("bert.embeddings.LayerNorm.gamma"),
    "embeddings.LayerNorm.weight",
  );
  assert.equal(
    normalizeBertParamName("bert.encoder.layer.3.output.LayerNorm.beta"),
    "encoder.layer.3.output.LayerNorm.bias",
  );
  assert.equal(
    normalizeBertParamName("encoder.layer.0.attention.self.query.weight"),
    "encoder.layer.0.attention.self.query.weight",
  );
  assert.equal(normalizeBertParamName("classifier.weight"), "classifier.weight");
});

Deno.test("param names: tiny safetensors maps exactly, pooler ignored with a notice", () => {
  const notices: string[] = [];
  const m = matchBertWeights(readSafetensors(read("tiny_bert/model.safetensors")), config, {
    source: "tiny",
    onNotice: (s) => notices.push(s),
  });
  assert.deepEqual([...m.weights.keys()], expectedBertParamNames(config));
  assert.deepEqual(m.ignored.sort(), ["pooler.dense.bias", "pooler.dense.weight"]);
  assert.match(notices.join("\n"), /tiny: ignoring 2 tensor\(s\) not used by BertModel: pooler/);
});

Deno.test("param names: 'bert.' prefix, gamma/beta and MLM/NSP heads (torch file)", () => {
  const plain = readSafetensors(read("tiny_bert/model.safetensors"));
  const m = matchBertWeights(readPytorchBin(read("bert_prefixed.bin")), config);
  assert.deepEqual([...m.weights.keys()], expectedBertParamNames(config));
  for (const [k, w] of m.weights) assert.deepEqual(w.data, plain.get(k)!.data, k);
  assert.deepEqual(m.ignored.sort(), [
    "bert.pooler.dense.bias",
    "bert.pooler.dense.weight",
    "cls.predictions.bias",
    "cls.seq_relationship.weight",
  ]);
});

Deno.test("param names: unknown, missing and mis-shaped tensors are listed", () => {
  const base = readSafetensors(read("tiny_bert/model.safetensors"));
  const w: WeightMap = new Map(base);
  w.delete("encoder.layer.1.output.dense.bias");
  w.delete("embeddings.LayerNorm.weight");
  w.set("my_head.weight", { dtype: "f32", shape: [9, 32], data: new Float32Array(288) });
  w.set("encoder.layer.0.intermediate.dense.bias", {
    dtype: "f32",
    shape: [36],
    data: new Float32Array(36),
  });
  assert.throws(
    () => matchBertWeights(w, config, { source: "ck.bin" }),
    (e: unknown) =>
      e instanceof WeightNameError &&
      e.missing.join() === "embeddings.LayerNorm.weight,encoder.layer.1.output.dense.bias" &&
      e.unknown.join() === "my_head.weight" &&
      /encoder\.layer\.0\.intermediate\.dense\.bias: got \[36\], expected \[37\]/.test(e.message) &&
      e.message.startsWith("ck.bin: missing 2 tensor(s)"),
  );
  // allowExtra keeps an unknown head instead of failing.
  const ok: WeightMap = new Map(base);
  ok.set("my_head.weight", { dtype: "f32", shape: [9, 32], data: new Float32Array(288) });
  const m = matchBertWeights(ok, config, { allowExtra: true });
  assert.deepEqual([...m.extra.keys()], ["my_head.weight"]);
  // A token classifier's head (bert.* + classifier.*) is set aside, not unknown.
  const tc: WeightMap = new Map([...base].map(([k, v]) => [`bert.${k}`, v]));
  tc.set("classifier.weight", { dtype: "f32", shape: [9, 32], data: new Float32Array(288) });
  const t = matchBertWeights(tc, config);
  assert.deepEqual([...t.taskTensors.keys()], ["classifier.weight"]);
});

Deno.test("param names: a checkpoint of other names lists a few of them and the count", () => {
  const base = readSafetensors(read("tiny_bert/model.safetensors"));
  const renamed: WeightMap = new Map([...base].map(([k, v]) => [k.replaceAll(".", "_"), v]));
  assert.throws(
    () => matchBertWeights(renamed, config, { source: "other.bin" }),
    (e: unknown) =>
      e instanceof WeightNameError &&
      new RegExp(
        `missing ${e.missing.length} tensor\\(s\\): [^;]*, … \\(${e.missing.length - 5} more\\)`,
      )
        .test(e.message) &&
      e.message.length < 600,
  );
});
