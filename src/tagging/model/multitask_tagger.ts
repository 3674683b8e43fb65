/**
 * `MultiTaskTagger`: one shared BERT encoder and one token-classification head per task
 * (dropout + Linear(hidden, labels)), trained on the weighted mean of the tasks' cross-entropies,
 * `Σ wₜ·CEₜ / Σ wₜ` (equal weights give the seed project's `(loss_tag + loss_pos) / 2`).
 *
 * Parameter names: the encoder's are `bert.<HF BertModel name>`, the heads' `heads.<task>.weight`
 * and `heads.<task>.bias`. On disk (src/tagging/model/tagger_folder.ts) the encoder and the main task's
 * head form a transformers `BertForTokenClassification`; the other heads go to their own file.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import type { Random } from "../../core/random.ts";
import type { Tensor } from "../../core/tensor.ts";
import { add } from "../../ops/binary.ts";
import { crossEntropy } from "../../ops/cross_entropy.ts";
import { mulScalar } from "../../ops/unary.ts";
import { Dropout, Linear } from "../../nn/layers.ts";
import { type HostTensor, Module } from "../../nn/module.ts";
import type { BertConfig } from "../../bert/config.ts";
import { type BertInputs, BertModel } from "../../bert/model.ts";
import type { WeightMap } from "../../bert/weights.ts";
import { TaggingArgumentError } from "../errors.ts";

/** One task of the tagger. */
export interface TaskHeadSpec {
  /** Task name (`ner`, `pos`, …); also the head's parameter prefix. */
  name: string;
  /** Number of labels of the task. */
  numLabels: number;
  /** Loss weight (default 1). */
  weight?: number;
}

/** Options of {@link MultiTaskTagger}. */
export interface MultiTaskTaggerOptions {
  /** Dropout before every head (default 0.3, as in the seed project). */
  headDropout?: number;
  /** Where fresh parameters live (default: the current backend). */
  backend?: Backend;
  /** Generator for the fresh parameters (default: the library-wide one). */
  random?: Random;
  /**
   * The encoder's weights are loaded (`loadEncoder`) before use: its initialization only draws
   * from the generator, so the heads get the values they would get after a full one.
   */
  pretrainedEncoder?: boolean;
}

/** The per-task losses and their weighted mean. */
export interface TaggerLoss {
  /** `Σ wₜ·CEₜ / Σ wₜ`, a scalar. */
  loss: Tensor;
  /** Each task's mean cross-entropy over its non-ignored positions. */
  perTask: Record<string, Tensor>;
}

/** A container whose children are named after the tasks. */
class NamedModules<M extends Module> extends Module {
  add(name: string, m: M): M {
    return this.child(name, m);
  }
}

/**
 * Shared BERT + one dropout/Linear head per task.
 * @example
 * ```ts
 * const tagger = new MultiTaskTagger(config, [{ name: "ner", numLabels: 9 }, { name: "pos", numLabels: 45 }]);
 * const { loss } = tagger.loss({ inputIds, attentionMask }, { ner: nerLabels, pos: posLabels });
 * ```
 */
export class MultiTaskTagger extends Module {
  /** The shared encoder. */
  readonly bert: BertModel;
  /** Head per task. */
  readonly heads: Record<string, Linear> = {};
  /** Task specs in the order given. */
  readonly tasks: readonly Required<TaskHeadSpec>[];
  /** Dropout probability before the heads. */
  readonly headDropout: number;
  readonly #dropouts: Record<string, Dropout> = {};

  /**
   * Creates a fresh encoder for `config` and one head per task (load pretrained encoder weights
   * afterwards with `loadEncoder`).
   * @throws {TaggingArgumentError} for no tasks, a bad or duplicated task name, a label count
   *   below 1, or a negative weight (or all weights 0)
   */
  constructor(
    readonly config: BertConfig,
    tasks: readonly TaskHeadSpec[],
    o: MultiTaskTaggerOptions = {},
  ) {
    super();
    if (tasks.length === 0) throw new TaggingArgumentError("MultiTaskTagger", "no tasks given");
    const seen = new Set<string>();
    this.tasks = tasks.map((t) => {
      if (!/^[A-Za-z0-9_-]+$/.test(t.name) || seen.has(t.name)) {
        throw new TaggingArgumentError(
          "MultiTaskTagger",
          `task name ${
            JSON.stringify(t.name)
          } is empty, duplicated or has characters other than letters, digits, _ and -`,
        );
      }
      seen.add(t.name);
      if (!Number.isInteger(t.numLabels) || t.numLabels < 1) {
        throw new TaggingArgumentError(
          "MultiTaskTagger",
          `task ${t.name}: numLabels ${t.numLabels}`,
        );
      }
      const weight = t.weight ?? 1;
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw new TaggingArgumentError("MultiTaskTagger", `task ${t.name}: weight ${weight}`);
      }
      return { name: t.name, numLabels: t.numLabels, weight };
    });
    if (this.tasks.every((t) => t.weight === 0)) {
      throw new TaggingArgumentError("MultiTaskTagger", "all task weights are 0");
    }
    this.headDropout = o.headDropout ?? 0.3;
    const init = { backend: o.backend, random: o.random };
    const drawOnly = o.pretrainedEncoder ?? false;
    this.bert = this.child("bert", new BertModel(config, { ...init, drawOnly }));
    const heads = this.child("heads", new NamedModules<Linear>());
    const drops = this.child("head_dropout", new NamedModules<Dropout>());
    for (const t of this.tasks) {
      // HF's token-classification init: normal(0, initializer_range) weights, zero bias.
      this.heads[t.name] = heads.add(
        t.name,
        new Linear(config.hiddenSize, t.numLabels, { ...init, std: config.initializerRange }),
      );
      this.#dropouts[t.name] = drops.add(t.name, new Dropout(this.headDropout));
    }
  }

  /** Logits per task, each [B, T, labels]. */
  forward(inputs: BertInputs): Record<string, Tensor> {
    const h = this.bert.forward(inputs);
    const out: Record<string, Tensor> = {};
    for (const t of this.tasks) {
      out[t.name] = this.heads[t.name].forward(this.#dropouts[t.name].forward(h));
    }
    return out;
  }

  /**
   * Weighted mean of the tasks' cross-entropies; `labels[task]` is [B, T] i32 with −100 where
   * not scored.
   */
  loss(inputs: BertInputs, labels: Record<string, Tensor>): TaggerLoss {
    const logits = this.forward(inputs);
    const total = this.tasks.reduce((s, t) => s + t.weight, 0);
    const perTask: Record<string, Tensor> = {};
    let loss: Tensor | null = null;
    for (const t of this.tasks) {
      const y = labels[t.name];
      if (!y) {
        throw new TaggingArgumentError("MultiTaskTagger.loss", `no labels for task ${t.name}`);
      }
      const ce = crossEntropy(logits[t.name], y);
      perTask[t.name] = ce;
      if (t.weight === 0) continue;
      const term = mulScalar(ce, t.weight / total);
      loss = loss ? add(loss, term) : term;
    }
    return { loss: loss!, perTask };
  }

  /** The encoder's weights under HF BertModel names (no `bert.` prefix). */
  async encoderWeights(): Promise<WeightMap> {
    return toWeightMap(await this.bert.stateDict());
  }

  /** The heads' weights as `<task>.weight` / `<task>.bias`. */
  async headWeights(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const t of this.tasks) {
      for (const [n, v] of toWeightMap(await this.heads[t.name].stateDict())) {
        out.set(`${t.name}.${n}`, v);
      }
    }
    return out;
  }

  /** Loads encoder weights (HF names, as {@link encoderWeights} gives or a checkpoint holds). */
  loadEncoder(weights: WeightMap): void {
    this.bert.loadStateDict(fromWeightMap(weights));
  }

  /** Loads head weights saved by {@link headWeights}; tasks absent from `weights` keep theirs. */
  loadHeads(weights: WeightMap): void {
    for (const t of this.tasks) {
      const part = new Map<string, HostTensor>();
      for (const n of ["weight", "bias"]) {
        const w = weights.get(`${t.name}.${n}`);
        if (w) part.set(n, { shape: w.shape, data: w.data });
      }
      if (part.size === 0) continue;
      this.heads[t.name].loadStateDict(part);
    }
  }
}

/** Module state dict → checkpoint weight map. */
export function toWeightMap(state: Map<string, HostTensor>): WeightMap {
  const out: WeightMap = new Map();
  for (const [n, t] of state) out.set(n, { dtype: "f32", shape: t.shape, data: t.data });
  return out;
}

/** Checkpoint weight map → module state dict. */
export function fromWeightMap(weights: WeightMap): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const [n, w] of weights) out.set(n, { shape: w.shape, data: w.data });
  return out;
}
