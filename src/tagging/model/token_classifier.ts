/**
 * The transformers `BertForTokenClassification` layout of a tagger's main task: weights `bert.*`
 * and `classifier.*`, and a config.json with `architectures`, `id2label`,
 * `label2id` and `num_labels`. Used to save a tagger so `pipeline("token-classification")` loads
 * it, and to read any token-classification checkpoint (e.g. a NER model from the hub) back as a
 * one-task tagger.
 * @module
 */
import type { BertConfig } from "../../bert/config.ts";
import type { WeightEntry, WeightMap } from "../../bert/weights.ts";
import { LabelMapFormatError } from "../errors.ts";
import { isChunkLabel } from "../data/tag_scheme.ts";

/** The architecture name transformers reads from config.json. */
export const TOKEN_CLASSIFIER_ARCHITECTURE = "BertForTokenClassification";

/**
 * Base-model config.json entries that describe the base model's own task, origin or file and would
 * be wrong for the fine-tuned tagger (a pretraining `id2label`, `_name_or_path`, …).
 */
const STALE_CONFIG_KEYS = [
  "_name_or_path",
  "_commit_hash",
  "id2label",
  "label2id",
  "num_labels",
  "finetuning_task",
  "problem_type",
  "task_specific_params",
  "transformers_version",
  "torch_dtype",
  "dtype",
  "classifier_dropout",
];

/** config.json of a token classifier over `labels`, with the base model's stale entries dropped. */
export function tokenClassifierConfig(
  config: BertConfig,
  labels: readonly string[],
  o: { classifierDropout: number },
): Record<string, unknown> {
  const json = config.toJSON({ architectures: [TOKEN_CLASSIFIER_ARCHITECTURE] });
  for (const k of STALE_CONFIG_KEYS) delete json[k];
  const id2label: Record<string, string> = {};
  const label2id: Record<string, number> = {};
  labels.forEach((l, i) => ((id2label[String(i)] = l), (label2id[l] = i)));
  return {
    ...json,
    classifier_dropout: o.classifierDropout,
    id2label,
    label2id,
    num_labels: labels.length,
    torch_dtype: "float32",
  };
}

/**
 * The weights of a `BertForTokenClassification`: the encoder under `bert.` and the head as
 * `classifier.weight` / `classifier.bias`. No pooler: transformers builds this class without one
 * (`add_pooling_layer=False`) and would report a saved pooler as unexpected keys.
 */
export function tokenClassifierWeights(
  encoder: WeightMap,
  head: { weight: WeightEntry; bias: WeightEntry },
): WeightMap {
  const out: WeightMap = new Map();
  for (const [n, w] of encoder) out.set(`bert.${n}`, w);
  out.set("classifier.weight", head.weight);
  out.set("classifier.bias", head.bias);
  return out;
}

/** The `classifier.*` head of a checkpoint's task tensors, or null when it has none. */
export function classifierOf(
  taskTensors: WeightMap,
): { weight: WeightEntry; bias: WeightEntry } | null {
  const weight = taskTensors.get("classifier.weight");
  const bias = taskTensors.get("classifier.bias");
  return weight && bias ? { weight, bias } : null;
}

/**
 * Labels in id order from a config.json's `id2label` (in `config.extra`), or null when it has
 * none. @throws LabelMapFormatError when the ids are not 0..n-1
 */
export function labelsOfConfig(config: BertConfig, source: string): string[] | null {
  const raw = config.extra.id2label;
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new LabelMapFormatError(source, "id2label: expected an object of id → label");
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  const labels: string[] = [];
  for (const [id, label] of entries) {
    const i = Number(id);
    if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof label !== "string") {
      throw new LabelMapFormatError(source, `id2label: bad entry ${JSON.stringify(id)}: ${label}`);
    }
    labels[i] = label;
  }
  return labels;
}

/** Task name for a lone classifier: `ner` when its labels are entity tags, else `tag`. */
export function taskNameForLabels(labels: readonly string[]): string {
  return labels.every(isChunkLabel) && labels.some((l) => l !== "O") ? "ner" : "tag";
}
