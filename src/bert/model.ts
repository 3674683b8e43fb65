/**
 * BertModel on jointag, layer for layer as Hugging Face's `BertModel` (post-LN encoder, exact-erf
 * GELU, additive padding mask), with HF's parameter names so checkpoints load by name:
 * `embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { isGradEnabled, tidy } from "../core/engine.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import type { Random } from "../core/random.ts";
import type { Tensor } from "../core/tensor.ts";
import { add } from "../ops/binary.ts";
import { tensor } from "../ops/creation.ts";
import { map, type MapExpr } from "../ops/map.ts";
import { attentionContext, attentionScores } from "../ops/head_matmul.ts";
import { reshape } from "../ops/shape_ops.ts";
import { softmax } from "../ops/softmax.ts";
import { Dropout, Embedding, LayerNorm, Linear } from "../nn/layers.ts";
import { Module } from "../nn/module.ts";
import type { BertConfig } from "./config.ts";

/** Where fresh parameters are created. */
export interface BertInitOptions {
  /** Backend the parameters are created on (default: the current one). */
  backend?: Backend;
  /** Generator of the initial weights (default: `globalRandom`). */
  random?: Random;
  /** Draw from the generator but keep zeros: the weights are loaded next (see `InitOptions`). */
  drawOnly?: boolean;
}

/** Model inputs: [B, T] token ids, and optionally the padding mask and segment ids. */
export interface BertInputs {
  /** Token ids, [B, T] (i32). */
  inputIds: Tensor;
  /** 1 for real tokens, 0 for padding (i32 or f32), [B, T]. Default: all ones. */
  attentionMask?: Tensor;
  /** Segment ids, [B, T] (i32). Default: all zeros. */
  tokenTypeIds?: Tensor;
}

// HF: extended_attention_mask = (1 - mask) * torch.finfo(float32).min
const EXTENDED_MASK: MapExpr = {
  key: "bert_extended_mask",
  wgsl: "select(-3.4028234663852886e38, 0.0, a != 0.0)",
  js: (a) => (a !== 0 ? 0 : -3.4028234663852886e38),
};

/** Children named "0", "1", … like `torch.nn.ModuleList`. */
class ModuleList<M extends Module> extends Module {
  readonly items: M[];
  constructor(items: M[]) {
    super();
    this.items = items.map((m, i) => this.child(String(i), m));
  }
}

/** `encoder.layer.N`: the stack of layers. */
class BertEncoder extends Module {
  layers: BertLayer[];
  constructor(c: BertConfig, o: BertInitOptions) {
    super();
    const list = Array.from({ length: c.numHiddenLayers }, () => new BertLayer(c, o));
    this.layers = this.child("layer", new ModuleList(list)).items;
  }
}

/**
 * `embeddings`: word + position + token type embeddings, then LayerNorm and dropout (HF's
 * `BertEmbeddings`, with the same parameter names).
 */
export class BertEmbeddings extends Module {
  /** `word_embeddings`: one row per vocabulary entry; the padding row starts at zero. */
  wordEmbeddings: Embedding;
  /** `position_embeddings`: one row per position, up to `maxPositionEmbeddings`. */
  positionEmbeddings: Embedding;
  /** `token_type_embeddings`: one row per segment id. */
  tokenTypeEmbeddings: Embedding;
  /** `LayerNorm` over the summed embeddings. */
  layerNorm: LayerNorm;
  /** Dropout after the LayerNorm (`hiddenDropoutProb`). */
  dropout: Dropout;
  /** Creates the tables with BERT's init (normal, std `initializerRange`). */
  constructor(c: BertConfig, o: BertInitOptions) {
    super();
    const init = { ...o, std: c.initializerRange };
    this.wordEmbeddings = this.child(
      "word_embeddings",
      new Embedding(c.vocabSize, c.hiddenSize, { ...init, paddingIdx: c.padTokenId }),
    );
    this.positionEmbeddings = this.child(
      "position_embeddings",
      new Embedding(c.maxPositionEmbeddings, c.hiddenSize, init),
    );
    this.tokenTypeEmbeddings = this.child(
      "token_type_embeddings",
      new Embedding(c.typeVocabSize, c.hiddenSize, init),
    );
    this.layerNorm = this.child("LayerNorm", new LayerNorm(c.hiddenSize, c.layerNormEps, o));
    this.dropout = this.child("dropout", new Dropout(c.hiddenDropoutProb));
  }

  /** Embeds token ids and segment ids, both [B, T] (i32), into [B, T, H]. */
  forward(ids: Tensor, tokenTypes: Tensor): Tensor {
    const t = ids.shape[1];
    const backend = ids.backend;
    const positions = tensor(Int32Array.from({ length: t }, (_, i) => i), [t], { backend });
    const words = this.wordEmbeddings.forward(ids);
    const types = this.tokenTypeEmbeddings.forward(tokenTypes);
    const pos = this.positionEmbeddings.forward(positions);
    const sum = add(add(words, types), pos);
    return this.dropout.forward(this.layerNorm.forward(sum));
  }
}

/** `attention.self`: multi-head scaled dot-product self-attention (HF's `BertSelfAttention`). */
export class BertSelfAttention extends Module {
  /** Query projection, [H, H]. */
  query: Linear;
  /** Key projection, [H, H]. */
  key: Linear;
  /** Value projection, [H, H]. */
  value: Linear;
  /** Dropout on the attention probabilities (`attentionProbsDropoutProb`). */
  dropout: Dropout;
  /** Creates the projections; `c` also gives the number of heads. */
  constructor(readonly c: BertConfig, o: BertInitOptions) {
    super();
    const init = { ...o, std: c.initializerRange };
    this.query = this.child("query", new Linear(c.hiddenSize, c.hiddenSize, init));
    this.key = this.child("key", new Linear(c.hiddenSize, c.hiddenSize, init));
    this.value = this.child("value", new Linear(c.hiddenSize, c.hiddenSize, init));
    this.dropout = this.child("dropout", new Dropout(c.attentionProbsDropoutProb));
  }

  /**
   * Attends over `x` [B, T, H]; `extMask` [B, 1, 1, T] is added to the scores (0 for tokens, a
   * large negative number for padding). Returns the heads' contexts merged back to [B, T, H].
   */
  forward(x: Tensor, extMask: Tensor): Tensor {
    const heads = this.c.numAttentionHeads;
    const d = x.shape[2] / heads;
    // Heads are read in place from [B, T, H] (no split/merge copies); 1/√d is folded in.
    const q = this.query.forward(x);
    const k = this.key.forward(x);
    const v = this.value.forward(x);
    const scores = attentionScores(q, k, heads, 1 / Math.sqrt(d)); // [B, heads, T, T]
    const probs = this.dropout.forward(softmax(scores, extMask));
    return attentionContext(probs, v, heads); // [B, T, H]
  }
}

/**
 * dense → dropout → + residual → LayerNorm: `attention.output` (HF's `BertSelfOutput`) and a
 * layer's `output` (`BertOutput`).
 */
export class BertResidualOutput extends Module {
  /** Projection to the hidden size. */
  dense: Linear;
  /** LayerNorm of the projection plus the residual. */
  layerNorm: LayerNorm;
  /** Dropout on the projection before the residual is added. */
  dropout: Dropout;
  /** Creates the block; `inSize` is the width of its input (hidden or intermediate size). */
  constructor(inSize: number, c: BertConfig, o: BertInitOptions) {
    super();
    this.dense = this.child(
      "dense",
      new Linear(inSize, c.hiddenSize, { ...o, std: c.initializerRange }),
    );
    this.layerNorm = this.child("LayerNorm", new LayerNorm(c.hiddenSize, c.layerNormEps, o));
    this.dropout = this.child("dropout", new Dropout(c.hiddenDropoutProb));
  }

  /** Projects `h` and adds `residual` (the block's input) before the LayerNorm, in one fused op. */
  forward(h: Tensor, residual: Tensor): Tensor {
    return this.layerNorm.forwardResidual(this.dense.forward(h), residual, this.dropout);
  }
}

/** `attention`: self-attention followed by its output block (HF's `BertAttention`). */
export class BertAttention extends Module {
  /** `attention.self`. */
  self: BertSelfAttention;
  /** `attention.output`: projection, dropout, residual and LayerNorm. */
  output: BertResidualOutput;
  /** Creates both parts from the config. */
  constructor(c: BertConfig, o: BertInitOptions) {
    super();
    this.self = this.child("self", new BertSelfAttention(c, o));
    this.output = this.child("output", new BertResidualOutput(c.hiddenSize, c, o));
  }

  /**
   * Self-attention over `x` [B, T, H] with its residual; `extMask` as in
   * {@link BertSelfAttention.forward}.
   */
  forward(x: Tensor, extMask: Tensor): Tensor {
    return this.output.forward(this.self.forward(x, extMask), x);
  }
}

/** `intermediate`: the feed-forward block's expansion to `intermediateSize`, with GELU. */
export class BertIntermediate extends Module {
  /** Projection [intermediateSize, H]. */
  dense: Linear;
  /** Creates the projection from the config. */
  constructor(c: BertConfig, o: BertInitOptions) {
    super();
    this.dense = this.child(
      "dense",
      new Linear(c.hiddenSize, c.intermediateSize, { ...o, std: c.initializerRange }),
    );
  }

  /** [B, T, H] → [B, T, intermediateSize], GELU fused into the matmul. */
  forward(x: Tensor): Tensor {
    return this.dense.forward(x, "gelu");
  }
}

/** `encoder.layer.N`: one transformer layer, attention then feed-forward (HF's `BertLayer`). */
export class BertLayer extends Module {
  /** The attention block. */
  attention: BertAttention;
  /** The feed-forward expansion. */
  intermediate: BertIntermediate;
  /** The feed-forward output block (back to the hidden size, residual, LayerNorm). */
  output: BertResidualOutput;
  /** Creates the layer's blocks from the config. */
  constructor(c: BertConfig, o: BertInitOptions) {
    super();
    this.attention = this.child("attention", new BertAttention(c, o));
    this.intermediate = this.child("intermediate", new BertIntermediate(c, o));
    this.output = this.child("output", new BertResidualOutput(c.intermediateSize, c, o));
  }

  /**
   * Maps hidden states [B, T, H] to the next layer's; `extMask` as in
   * {@link BertSelfAttention.forward}.
   */
  forward(x: Tensor, extMask: Tensor): Tensor {
    const a = this.attention.forward(x, extMask);
    return this.output.forward(this.intermediate.forward(a), a);
  }
}

/**
 * The BERT encoder. Returns the last hidden state [B, T, H] (or every layer's output).
 * @example
 * ```ts
 * const bert = new BertModel(config);
 * bert.loadStateDict(checkpoint.weights);
 * const h = bert.forward({ inputIds, attentionMask }); // [B, T, H]
 * ```
 */
export class BertModel extends Module {
  /** The embedding block (`embeddings.*` parameters). */
  embeddings: BertEmbeddings;
  /** The transformer layers in order (`encoder.layer.N.*` parameters). */
  layers: BertLayer[];

  /**
   * Creates the model with freshly initialised weights (load a checkpoint's with
   * `loadStateDict`).
   * @throws {ShapeError} for an activation other than exact GELU, or a hidden size the heads do
   *   not divide
   */
  constructor(readonly config: BertConfig, o: BertInitOptions = {}) {
    super();
    if (config.hiddenAct !== "gelu") {
      throw new ShapeError(
        "BertModel",
        `hidden_act "${config.hiddenAct}" is not supported; only exact "gelu"`,
      );
    }
    if (config.hiddenSize % config.numAttentionHeads !== 0) {
      throw new ShapeError(
        "BertModel",
        `hidden_size ${config.hiddenSize} is not a multiple of num_attention_heads ${config.numAttentionHeads}`,
      );
    }
    this.embeddings = this.child("embeddings", new BertEmbeddings(config, o));
    this.layers = this.child("encoder", new BertEncoder(config, o)).layers;
  }

  /** Runs the encoder and returns the last hidden state, [B, T, H]. */
  forward(inputs: BertInputs, allLayers?: false): Tensor;
  /** Runs the encoder and returns every layer's output: [embeddings, layer 1, …, layer N]. */
  forward(inputs: BertInputs, allLayers: true): Tensor[];
  forward(inputs: BertInputs, allLayers = false): Tensor | Tensor[] {
    const ids = inputs.inputIds;
    if (ids.rank !== 2 || ids.dtype !== "i32") {
      throw new ShapeError(
        "BertModel",
        `inputIds must be i32 [batch, seq], got ${ids.dtype} ${fmtShape(ids.shape)}`,
      );
    }
    const [b, t] = ids.shape;
    if (t > this.config.maxPositionEmbeddings) {
      throw new ShapeError(
        "BertModel",
        `sequence length ${t} exceeds max_position_embeddings ${this.config.maxPositionEmbeddings}; split long inputs into windows`,
      );
    }
    const backend = ids.backend;
    const mask = inputs.attentionMask ?? tensor(new Int32Array(b * t).fill(1), [b, t], { backend });
    const types = inputs.tokenTypeIds ?? tensor(new Int32Array(b * t), [b, t], { backend });
    for (const [name, x] of [["attentionMask", mask], ["tokenTypeIds", types]] as const) {
      if (x.rank !== 2 || x.shape[0] !== b || x.shape[1] !== t) {
        throw new ShapeError(
          "BertModel",
          `${name} ${fmtShape(x.shape)} must match inputIds ${fmtShape(ids.shape)}`,
        );
      }
    }
    const ext = map("bert_mask", EXTENDED_MASK, [reshape(mask, [b, 1, 1, t])]);
    let h = this.embeddings.forward(ids, types);
    const outs = [h];
    // Without a graph to keep, each layer's temporaries are freed as soon as it is done, so an
    // evaluation batch holds one layer's working set rather than all of them.
    const freeEarly = !allLayers && !isGradEnabled();
    for (const layer of this.layers) {
      const x = h;
      h = freeEarly ? tidy(() => layer.forward(x, ext)) : layer.forward(x, ext);
      outs.push(h);
    }
    return allLayers ? outs : h;
  }
}
