import assert from "node:assert/strict";
import { BertConfig } from "../../src/bert/config.ts";
import { BertConfigError } from "../../src/bert/errors.ts";

const FIX = new URL("../fixtures/bert/", import.meta.url);
const tinyJson = JSON.parse(Deno.readTextFileSync(new URL("tiny_bert/config.json", FIX)));

Deno.test("config: parses the transformers-written config.json", () => {
  const c = BertConfig.fromJSON(tinyJson, "tiny_bert/config.json");
  assert.equal(c.vocabSize, 100);
  assert.equal(c.hiddenSize, 32);
  assert.equal(c.numHiddenLayers, 2);
  assert.equal(c.numAttentionHeads, 2);
  assert.equal(c.intermediateSize, 37);
  assert.equal(c.hiddenAct, "gelu");
  assert.equal(c.maxPositionEmbeddings, 64);
  assert.equal(c.typeVocabSize, 2);
  assert.equal(c.layerNormEps, 1e-12);
  assert.equal(c.hiddenDropoutProb, 0.1);
  assert.equal(c.attentionProbsDropoutProb, 0.1);
  assert.equal(c.padTokenId, 0);
  assert.equal(c.headDim, 16);
  assert.equal(c.extra.transformers_version, "5.24.0");
});

Deno.test("config: toJSON round-trips and declares a BertModel", () => {
  const c = BertConfig.fromJSON(tinyJson);
  const j = c.toJSON();
  assert.equal(j.model_type, "bert");
  assert.deepEqual(j.architectures, ["BertModel"]);
  assert.equal(j.position_embedding_type, "absolute");
  for (
    const k of [
      "vocab_size",
      "hidden_size",
      "num_hidden_layers",
      "num_attention_heads",
      "intermediate_size",
      "hidden_act",
      "max_position_embeddings",
      "type_vocab_size",
      "layer_norm_eps",
      "hidden_dropout_prob",
      "attention_probs_dropout_prob",
      "pad_token_id",
      "initializer_range",
    ]
  ) assert.deepEqual(j[k], tinyJson[k], k);
  assert.deepEqual(BertConfig.fromJSON(JSON.parse(JSON.stringify(j))), c);
  assert.deepEqual(c.toJSON({ architectures: ["BertForTokenClassification"] }).architectures, [
    "BertForTokenClassification",
  ]);
});

Deno.test("config: tanh GELU variants are recorded as such; unknown activations rejected", () => {
  for (const act of ["gelu_new", "gelu_pytorch_tanh"]) {
    assert.equal(BertConfig.fromJSON({ ...tinyJson, hidden_act: act }).hiddenAct, act);
  }
  assert.throws(
    () => BertConfig.fromJSON({ ...tinyJson, hidden_act: "relu" }, "m/config.json"),
    (e: unknown) =>
      e instanceof BertConfigError && e.field === "hidden_act" &&
      e.message.startsWith('m/config.json: field "hidden_act": unsupported activation "relu"'),
  );
});

Deno.test("config: missing defaults follow HF BertConfig", () => {
  const c = BertConfig.fromJSON({
    vocab_size: 10,
    hidden_size: 8,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 16,
  });
  assert.equal(c.hiddenAct, "gelu");
  assert.equal(c.maxPositionEmbeddings, 512);
  assert.equal(c.typeVocabSize, 2);
  assert.equal(c.layerNormEps, 1e-12);
  assert.equal(c.padTokenId, 0);
  assert.equal(c.initializerRange, 0.02);
});

Deno.test("config: invalid fields produce errors naming file and field", () => {
  const bad: [Record<string, unknown>, string, RegExp][] = [
    [{ hidden_size: 31 }, "num_attention_heads", /not a multiple/],
    [{ vocab_size: -1 }, "vocab_size", /positive integer, got -1/],
    [{ num_hidden_layers: 2.5 }, "num_hidden_layers", /positive integer/],
    [{ hidden_dropout_prob: 1.5 }, "hidden_dropout_prob", /probability/],
    [{ layer_norm_eps: 0 }, "layer_norm_eps", /small positive/],
    [{ pad_token_id: 100 }, "pad_token_id", /\[0, vocab_size=100\)/],
    [{ model_type: "roberta" }, "model_type", /expected "bert", got "roberta"/],
    [{ position_embedding_type: "relative_key" }, "position_embedding_type", /absolute/],
    [{ is_decoder: true }, "is_decoder", /not supported/],
    [{ hidden_size: undefined }, "hidden_size", /missing required field/],
  ];
  for (const [patch, field, re] of bad) {
    assert.throws(
      () => BertConfig.fromJSON({ ...tinyJson, ...patch }, "x/config.json"),
      (e: unknown) =>
        e instanceof BertConfigError && e.field === field && e.message.includes("x/config.json") &&
        re.test(e.message),
      field,
    );
  }
  assert.throws(() => BertConfig.parse("{oops", "y.json"), /y\.json: invalid JSON/);
  assert.throws(() => BertConfig.fromJSON([], "z.json"), /z\.json: expected a JSON object/);
  assert.equal(BertConfig.fromJSON({ ...tinyJson, pad_token_id: null }).padTokenId, null);
});
