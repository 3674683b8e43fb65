/**
 * Hugging Face BertModel parameter names, and the mapping from the names found in real
 * checkpoints (BertForPreTraining / TF-converted / fine-tuned) onto them.
 * @module
 */

import type { BertConfig } from "./config.ts";
import { WeightNameError } from "./errors.ts";
import type { WeightEntry, WeightMap } from "./weights.ts";

/**
 * Expected BertModel parameters (pooler excluded: the tagger never uses it) with their
 * shapes, in the order HF's BertModel.state_dict() lists them.
 */
export function expectedBertParamShapes(config: BertConfig): Map<string, number[]> {
  const H = config.hiddenSize;
  const I = config.intermediateSize;
  const m = new Map<string, number[]>([
    ["embeddings.word_embeddings.weight", [config.vocabSize, H]],
    ["embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, H]],
    ["embeddings.token_type_embeddings.weight", [config.typeVocabSize, H]],
    ["embeddings.LayerNorm.weight", [H]],
    ["embeddings.LayerNorm.bias", [H]],
  ]);
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}.`;
    for (const qkv of ["query", "key", "value"]) {
      m.set(`${p}attention.self.${qkv}.weight`, [H, H]);
      m.set(`${p}attention.self.${qkv}.bias`, [H]);
    }
    m.set(`${p}attention.output.dense.weight`, [H, H]);
    m.set(`${p}attention.output.dense.bias`, [H]);
    m.set(`${p}attention.output.LayerNorm.weight`, [H]);
    m.set(`${p}attention.output.LayerNorm.bias`, [H]);
    m.set(`${p}intermediate.dense.weight`, [I, H]);
    m.set(`${p}intermediate.dense.bias`, [I]);
    m.set(`${p}output.dense.weight`, [H, I]);
    m.set(`${p}output.dense.bias`, [H]);
    m.set(`${p}output.LayerNorm.weight`, [H]);
    m.set(`${p}output.LayerNorm.bias`, [H]);
  }
  return m;
}

/** Expected BertModel parameter names for a config (see {@link expectedBertParamShapes}). */
export function expectedBertParamNames(config: BertConfig): string[] {
  return [...expectedBertParamShapes(config).keys()];
}

/**
 * Map a checkpoint tensor name to HF BertModel naming: strip a leading "bert." (task
 * models wrap the encoder as `bert`) and rename TF-era LayerNorm gamma/beta to weight/bias.
 */
export function normalizeBertParamName(name: string): string {
  let n = name.startsWith("bert.") ? name.slice(5) : name;
  n = n.replace(/(LayerNorm|layer_norm)\.gamma$/, "$1.weight").replace(
    /(LayerNorm|layer_norm)\.beta$/,
    "$1.bias",
  );
  return n;
}

/**
 * True for tensors a BertModel loader drops knowingly: the pooler, pre-training heads
 * (MLM `cls.predictions.*`, NSP `cls.seq_relationship.*`), a fine-tuned model's `classifier.*`
 * head and index buffers (`embeddings.position_ids`, `embeddings.token_type_ids`).
 * @param normalized a name already passed through {@link normalizeBertParamName}
 */
export function isIgnoredBertTensor(normalized: string): boolean {
  return normalized.startsWith("pooler.") || normalized.startsWith("cls.") ||
    normalized.startsWith("classifier.") || normalized === "embeddings.position_ids" ||
    normalized === "embeddings.token_type_ids";
}

/** Options for {@link matchBertWeights}. */
export interface MatchBertWeightsOptions {
  /** Checkpoint label for messages. */
  source?: string;
  /**
   * Keep tensors that are neither BertModel parameters nor known heads (e.g. a task
   * classifier saved next to the encoder) in `extra` instead of failing.
   */
  allowExtra?: boolean;
  /** Receives human-readable notices (ignored heads, renamed tensors). */
  onNotice?: (message: string) => void;
}

/** Result of {@link matchBertWeights}. */
export interface BertWeightMatch {
  /** Exactly the expected BertModel parameters, under HF names, in HF order. */
  weights: WeightMap;
  /** Original names of tensors dropped as pooler / pre-training heads / buffers. */
  ignored: string[];
  /** Unrecognised tensors (normalized names), only when allowExtra is set. */
  extra: WeightMap;
  /**
   * The dropped `classifier.*` tensors: a task model saved by transformers (e.g.
   * `BertForTokenClassification`) keeps its head there.
   */
  taskTensors: WeightMap;
}

/**
 * Rename checkpoint tensors to BertModel names and check them against the config.
 * @throws WeightNameError listing missing, unknown (unless allowExtra) and mis-shaped tensors
 */
export function matchBertWeights(
  raw: WeightMap,
  config: BertConfig,
  options: MatchBertWeightsOptions = {},
): BertWeightMatch {
  const source = options.source ?? "checkpoint";
  const expected = expectedBertParamShapes(config);
  const found = new Map<string, { original: string; w: WeightEntry }>();
  const ignored: string[] = [];
  const unknown: string[] = [];
  const extra: WeightMap = new Map();
  const taskTensors: WeightMap = new Map();
  let renamed = 0;
  for (const [original, w] of raw) {
    const name = normalizeBertParamName(original);
    if (expected.has(name)) {
      if (found.has(name)) {
        unknown.push(`${original} (duplicate of ${found.get(name)!.original})`);
        continue;
      }
      if (name !== original) renamed++;
      found.set(name, { original, w });
    } else if (isIgnoredBertTensor(name)) {
      ignored.push(original);
      if (name.startsWith("classifier.")) taskTensors.set(name, w);
    } else if (options.allowExtra) {
      extra.set(name, w);
    } else {
      unknown.push(original);
    }
  }
  const missing: string[] = [];
  const shapeMismatches: string[] = [];
  const weights: WeightMap = new Map();
  for (const [name, shape] of expected) {
    const f = found.get(name);
    if (!f) {
      missing.push(name);
      continue;
    }
    if (f.w.shape.length !== shape.length || f.w.shape.some((d, i) => d !== shape[i])) {
      shapeMismatches.push(
        `${f.original}: got ${JSON.stringify(f.w.shape)}, expected ${JSON.stringify(shape)}`,
      );
      continue;
    }
    weights.set(name, f.w);
  }
  if (missing.length || unknown.length || shapeMismatches.length) {
    throw new WeightNameError(source, missing, unknown, shapeMismatches);
  }
  if (ignored.length) {
    options.onNotice?.(
      `${source}: ignoring ${ignored.length} tensor(s) not used by BertModel: ${
        ignored.join(", ")
      }`,
    );
  }
  if (renamed) options.onNotice?.(`${source}: renamed ${renamed} tensor(s) to BertModel names`);
  if (extra.size) {
    options.onNotice?.(
      `${source}: keeping ${extra.size} extra tensor(s): ${[...extra.keys()].join(", ")}`,
    );
  }
  return { weights, ignored, extra, taskTensors };
}
