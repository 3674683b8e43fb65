/**
 * BERT hyper-parameters, parsed and validated from a Hugging Face config.json.
 * @module
 */

import { BertConfigError } from "./errors.ts";

/**
 * Activation of the feed-forward block. "gelu" is the exact erf GELU (what HF's "gelu"
 * means); "gelu_new" and "gelu_pytorch_tanh" are the tanh approximation, recorded under
 * their own names so the model can pick the matching kernel and a saved config round-trips.
 */
export type BertHiddenAct = "gelu" | "gelu_new" | "gelu_pytorch_tanh";

const HIDDEN_ACTS: readonly BertHiddenAct[] = ["gelu", "gelu_new", "gelu_pytorch_tanh"];

/** The architecture fields of a BERT encoder, camelCased. */
export interface BertConfigFields {
  /** Rows of the word embedding table (the tokenizer's vocabulary size). */
  vocabSize: number;
  /** Width of the hidden states and of every embedding. */
  hiddenSize: number;
  /** Number of transformer layers. */
  numHiddenLayers: number;
  /** Attention heads per layer; must divide `hiddenSize`. */
  numAttentionHeads: number;
  /** Width of the feed-forward block's inner layer. */
  intermediateSize: number;
  /** Activation of the feed-forward block. */
  hiddenAct: BertHiddenAct;
  /** Rows of the position embedding table: the longest input the model accepts. */
  maxPositionEmbeddings: number;
  /** Rows of the token type (segment) embedding table. */
  typeVocabSize: number;
  /** Epsilon of every LayerNorm. */
  layerNormEps: number;
  /** Dropout probability on embeddings and sublayer outputs in training. */
  hiddenDropoutProb: number;
  /** Dropout probability on the attention weights in training. */
  attentionProbsDropoutProb: number;
  /** Id of [PAD] in the word embeddings; null when the config says so. */
  padTokenId: number | null;
  /** Std-dev of the normal init used by HF for fresh weights. */
  initializerRange: number;
}

/** HF BertConfig defaults (transformers/models/bert/configuration_bert.py). */
export const BERT_CONFIG_DEFAULTS: Readonly<BertConfigFields> = Object.freeze({
  vocabSize: 30522,
  hiddenSize: 768,
  numHiddenLayers: 12,
  numAttentionHeads: 12,
  intermediateSize: 3072,
  hiddenAct: "gelu",
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  hiddenDropoutProb: 0.1,
  attentionProbsDropoutProb: 0.1,
  padTokenId: 0,
  initializerRange: 0.02,
});

/** JSON key of each field, in the order transformers writes them. */
const JSON_KEYS: ReadonlyArray<readonly [keyof BertConfigFields, string]> = [
  ["attentionProbsDropoutProb", "attention_probs_dropout_prob"],
  ["hiddenAct", "hidden_act"],
  ["hiddenDropoutProb", "hidden_dropout_prob"],
  ["hiddenSize", "hidden_size"],
  ["initializerRange", "initializer_range"],
  ["intermediateSize", "intermediate_size"],
  ["layerNormEps", "layer_norm_eps"],
  ["maxPositionEmbeddings", "max_position_embeddings"],
  ["numAttentionHeads", "num_attention_heads"],
  ["numHiddenLayers", "num_hidden_layers"],
  ["padTokenId", "pad_token_id"],
  ["typeVocabSize", "type_vocab_size"],
  ["vocabSize", "vocab_size"],
];

/** Sizes that define the weight shapes: a config without them is not a BERT config. */
const REQUIRED_JSON_KEYS = [
  "vocab_size",
  "hidden_size",
  "num_hidden_layers",
  "num_attention_heads",
  "intermediate_size",
];

/** Keys that toJSON always writes itself, so they are not kept in `extra`. */
const OWNED_JSON_KEYS = new Set([
  ...JSON_KEYS.map(([, k]) => k),
  "model_type",
  "architectures",
  "position_embedding_type",
]);

/** Options for {@link BertConfig.toJSON}. */
export interface BertConfigJsonOptions {
  /** Value of "architectures" (default ["BertModel"]). */
  architectures?: string[];
}

/** Validated BERT hyper-parameters. Immutable after construction. */
export class BertConfig implements BertConfigFields {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: BertHiddenAct;
  readonly maxPositionEmbeddings: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  readonly hiddenDropoutProb: number;
  readonly attentionProbsDropoutProb: number;
  readonly padTokenId: number | null;
  readonly initializerRange: number;
  /**
   * config.json entries this library does not interpret (id2label, _name_or_path, ...),
   * kept so that toJSON() round-trips them.
   */
  readonly extra: Readonly<Record<string, unknown>>;

  /**
   * Build and validate a config; missing fields take HF BertConfig defaults.
   * @param fields architecture fields
   * @param extra uninterpreted config.json entries to carry along
   * @param source label used in error messages
   * @throws BertConfigError when a value is out of range or inconsistent
   */
  constructor(
    fields: Partial<BertConfigFields> = {},
    extra: Record<string, unknown> = {},
    source = "BertConfig",
  ) {
    const f = { ...BERT_CONFIG_DEFAULTS, ...fields };
    const key = (k: keyof BertConfigFields) => JSON_KEYS.find(([c]) => c === k)![1];
    const posInt = (k: keyof BertConfigFields) => {
      const v = f[k];
      if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
        throw new BertConfigError(source, key(k), `expected a positive integer, got ${show(v)}`);
      }
      return v;
    };
    const prob = (k: keyof BertConfigFields) => {
      const v = f[k];
      if (typeof v !== "number" || !(v >= 0 && v < 1)) {
        throw new BertConfigError(
          source,
          key(k),
          `expected a probability in [0, 1), got ${show(v)}`,
        );
      }
      return v;
    };
    this.vocabSize = posInt("vocabSize");
    this.hiddenSize = posInt("hiddenSize");
    this.numHiddenLayers = posInt("numHiddenLayers");
    this.numAttentionHeads = posInt("numAttentionHeads");
    this.intermediateSize = posInt("intermediateSize");
    this.maxPositionEmbeddings = posInt("maxPositionEmbeddings");
    this.typeVocabSize = posInt("typeVocabSize");
    this.hiddenDropoutProb = prob("hiddenDropoutProb");
    this.attentionProbsDropoutProb = prob("attentionProbsDropoutProb");
    if (!HIDDEN_ACTS.includes(f.hiddenAct)) {
      throw new BertConfigError(
        source,
        "hidden_act",
        `unsupported activation ${show(f.hiddenAct)}; expected one of ${HIDDEN_ACTS.join(", ")}`,
      );
    }
    this.hiddenAct = f.hiddenAct;
    if (typeof f.layerNormEps !== "number" || !(f.layerNormEps > 0 && f.layerNormEps < 1)) {
      throw new BertConfigError(
        source,
        "layer_norm_eps",
        `expected a small positive number, got ${show(f.layerNormEps)}`,
      );
    }
    this.layerNormEps = f.layerNormEps;
    if (typeof f.initializerRange !== "number" || !(f.initializerRange > 0)) {
      throw new BertConfigError(
        source,
        "initializer_range",
        `expected a positive number, got ${show(f.initializerRange)}`,
      );
    }
    this.initializerRange = f.initializerRange;
    if (
      f.padTokenId !== null &&
      (typeof f.padTokenId !== "number" || !Number.isInteger(f.padTokenId) ||
        f.padTokenId < 0 || f.padTokenId >= this.vocabSize)
    ) {
      throw new BertConfigError(
        source,
        "pad_token_id",
        `expected null or an integer in [0, vocab_size=${this.vocabSize}), got ${
          show(f.padTokenId)
        }`,
      );
    }
    this.padTokenId = f.padTokenId;
    if (this.hiddenSize % this.numAttentionHeads !== 0) {
      throw new BertConfigError(
        source,
        "num_attention_heads",
        `hidden_size ${this.hiddenSize} is not a multiple of num_attention_heads ${this.numAttentionHeads}`,
      );
    }
    this.extra = Object.freeze({ ...extra });
    Object.freeze(this);
  }

  /** Size of one attention head (hiddenSize / numAttentionHeads). */
  get headDim(): number {
    return this.hiddenSize / this.numAttentionHeads;
  }

  /**
   * Parse a config.json object (already JSON.parse'd).
   * @param json the parsed file
   * @param source file name used in error messages
   * @throws BertConfigError naming the file and field on any problem
   */
  static fromJSON(json: unknown, source = "config.json"): BertConfig {
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new BertConfigError(source, "", `expected a JSON object, got ${show(json)}`);
    }
    const obj = json as Record<string, unknown>;
    if (obj.model_type !== undefined && obj.model_type !== "bert") {
      throw new BertConfigError(
        source,
        "model_type",
        `expected "bert", got ${show(obj.model_type)} (its weight layout differs from BertModel)`,
      );
    }
    const pet = obj.position_embedding_type;
    if (pet !== undefined && pet !== null && pet !== "absolute") {
      throw new BertConfigError(
        source,
        "position_embedding_type",
        `only "absolute" position embeddings are supported, got ${show(pet)}`,
      );
    }
    for (const flag of ["is_decoder", "add_cross_attention"]) {
      if (obj[flag] === true) {
        throw new BertConfigError(source, flag, "decoder / cross-attention BERT is not supported");
      }
    }
    for (const k of REQUIRED_JSON_KEYS) {
      if (obj[k] === undefined) throw new BertConfigError(source, k, "missing required field");
    }
    const fields: Partial<Record<keyof BertConfigFields, unknown>> = {};
    for (const [camel, snake] of JSON_KEYS) {
      if (obj[snake] !== undefined) fields[camel] = obj[snake];
    }
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (!OWNED_JSON_KEYS.has(k)) extra[k] = v;
    return new BertConfig(fields as Partial<BertConfigFields>, extra, source);
  }

  /** Parse config.json text. @throws BertConfigError on invalid JSON too. */
  static parse(text: string, source = "config.json"): BertConfig {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new BertConfigError(source, "", `invalid JSON: ${(e as Error).message}`);
    }
    return BertConfig.fromJSON(json, source);
  }

  /**
   * A config.json object that transformers' BertConfig / BertModel.from_pretrained loads.
   * Uninterpreted entries from the source file are carried over.
   */
  toJSON(options: BertConfigJsonOptions = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {
      architectures: options.architectures ?? ["BertModel"],
      model_type: "bert",
    };
    for (const [camel, snake] of JSON_KEYS) out[snake] = this[camel];
    out.position_embedding_type = "absolute";
    for (const [k, v] of Object.entries(this.extra)) out[k] = v;
    return out;
  }
}

function show(v: unknown): string {
  return v === undefined ? "undefined" : JSON.stringify(v) ?? String(v);
}
