/**
 * The trained tagger on disk, in a Hugging Face model folder that transformers loads as a token
 * classifier for the main task: config.json (`BertForTokenClassification`, `id2label`, …),
 * model.safetensors (`bert.*`, `classifier.*`), vocab.txt, tokenizer.json,
 * tokenizer_config.json and special_tokens_map.json; plus `heads.safetensors` with the other
 * tasks' heads (`<task>.weight`, `<task>.bias`) and `tagger.json` (tasks, label maps, main task,
 * settings, base model). Every file is written atomically, config.json last, so a folder with a
 * config.json is complete.
 *
 * A training run's output folder keeps its best model in `model/`, replaced as a whole (written as
 * `.model.new/`, then swapped in by rename), and beside it the fixed files transformers needs to
 * load `<out>` itself: config.json, the tokenizer files and `model.safetensors.index.json` naming
 * `model/model.safetensors` ({@link saveTaggerOutput}); {@link loadTaggerFolder} reads such a
 * folder from `model/`.
 *
 * Reading also accepts the earlier layout (encoder under BertModel names, every head in
 * heads.safetensors) and a plain `BertForTokenClassification` folder without tagger.json (one
 * task, labels from `id2label`).
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import type { Random } from "../../core/random.ts";
import {
  CHECKPOINT_FILE_ORDER,
  checkpointFiles,
  loadCheckpointFolder,
  type LoadedCheckpoint,
} from "../../bert/checkpoint.ts";
import type { BertConfig } from "../../bert/config.ts";
import { CheckpointFormatError } from "../../bert/errors.ts";
import { type FileSystem, joinPath } from "../../io/file_system.ts";
import { replaceFolder } from "../../io/folder_swap.ts";
import {
  readSafetensors,
  readSafetensorsHeader,
  writeSafetensors,
} from "../../bert/safetensors.ts";
import type { BertTokenizer } from "../../bert/tokenizer.ts";
import type { WeightEntry, WeightMap } from "../../bert/weights.ts";
import { LabelMapFormatError } from "../errors.ts";
import { LabelMap, type LabelMapJson } from "../data/label_map.ts";
import { MultiTaskTagger } from "./multitask_tagger.ts";
import {
  classifierOf,
  labelsOfConfig,
  taskNameForLabels,
  TOKEN_CLASSIFIER_ARCHITECTURE,
  tokenClassifierConfig,
  tokenClassifierWeights,
} from "./token_classifier.ts";

/** File names inside a tagger folder. */
export const TAGGER_FILES = {
  heads: "heads.safetensors",
  meta: "tagger.json",
  card: "README.md",
} as const;

/** The pretrained model a tagger was fine-tuned from. */
export interface BaseModelRef {
  /** Hub id or folder as given to `--model`. */
  id: string;
  /** Resolved commit of a hub model, when known. */
  revision?: string;
}

/** Settings that travel with a trained tagger. */
export interface TaggerMeta {
  /** Tasks in head order, with their loss weights and label maps. */
  tasks: { name: string; weight: number; labels: LabelMapJson }[];
  /** Task that selects the best checkpoint. */
  mainTask: string;
  /** Dropout before the heads (training only). */
  headDropout: number;
  /** Longest window in sub-words. */
  maxLength: number;
  /** Whether training labelled every sub-word. */
  labelAllSubwords: boolean;
  /** The pretrained model training started from (absent for the random-init demo BERT). */
  baseModel?: BaseModelRef;
}

/** A tagger with everything needed to run it. */
export interface LoadedTagger {
  /** The tagger with the saved weights, in evaluation mode. */
  model: MultiTaskTagger;
  /** The folder's tokenizer. */
  tokenizer: BertTokenizer;
  /** Label map per task (from `meta`). */
  labelMaps: Record<string, LabelMap>;
  /** The folder's tagger metadata (tasks, window length, base model). */
  meta: TaggerMeta;
}

/** Label maps of `meta`, by task. */
export function labelMapsOf(meta: TaggerMeta): Record<string, LabelMap> {
  const out: Record<string, LabelMap> = {};
  for (const t of meta.tasks) out[t.name] = new LabelMap(t.labels.labels, t.name);
  return out;
}

/**
 * A fresh tagger for `meta` (heads sized by its label maps); `pretrainedEncoder`: its encoder
 * weights are loaded next (the encoder's initialization only draws, as MultiTaskTagger says).
 */
export function createTagger(
  config: BertConfig,
  meta: TaggerMeta,
  o: { backend?: Backend; random?: Random; pretrainedEncoder?: boolean } = {},
): MultiTaskTagger {
  return new MultiTaskTagger(
    config,
    meta.tasks.map((t) => ({ name: t.name, numLabels: t.labels.labels.length, weight: t.weight })),
    { headDropout: meta.headDropout, ...o },
  );
}

/** What a tagger folder is made from. */
export interface TaggerFolderInput {
  /** The tagger whose weights are written. */
  model: MultiTaskTagger;
  /** Its tokenizer (vocab.txt, tokenizer.json, …). */
  tokenizer: BertTokenizer;
  /** Tasks, label maps and settings (tagger.json). */
  meta: TaggerMeta;
}

/** The files of a tagger folder (see the module doc), name → bytes, in the order written. */
export async function taggerFolderFiles(
  input: TaggerFolderInput,
): Promise<Record<string, Uint8Array>> {
  const { model, meta } = input;
  const heads = await model.headWeights();
  const others: WeightMap = new Map();
  for (const [n, w] of heads) if (!n.startsWith(`${meta.mainTask}.`)) others.set(n, w);
  const out: Record<string, Uint8Array> = {};
  if (others.size) {
    out[TAGGER_FILES.heads] = writeSafetensors(others, {
      tasks: [...new Set([...others.keys()].map(taskOf))].join(","),
    });
  }
  out[TAGGER_FILES.meta] = new TextEncoder().encode(
    JSON.stringify({ format: "jointag-tagger", version: 2, ...meta }, null, 2) + "\n",
  );
  const labels = meta.tasks.find((t) => t.name === meta.mainTask)!.labels.labels;
  const head = {
    weight: heads.get(`${meta.mainTask}.weight`)!,
    bias: heads.get(`${meta.mainTask}.bias`)!,
  };
  const files = checkpointFiles({
    config: model.config,
    configJson: tokenClassifierConfig(model.config, labels, {
      classifierDropout: meta.headDropout,
    }),
    weights: tokenClassifierWeights(await model.encoderWeights(), head),
    tokenizer: input.tokenizer,
    metadata: { format: "pt", jointag_main_task: meta.mainTask },
  });
  // config.json last: a folder with a config.json is complete.
  for (const name of CHECKPOINT_FILE_ORDER) if (files[name]) out[name] = files[name];
  return out;
}

/** Writes the folder (see the module doc), file by file. */
export async function saveTaggerFolder(
  fs: FileSystem,
  dir: string,
  input: TaggerFolderInput,
): Promise<void> {
  await fs.mkdirp(dir);
  for (const [name, bytes] of Object.entries(await taggerFolderFiles(input))) {
    await fs.writeFileAtomic(joinPath(dir, name), bytes);
  }
}

/** Name of the swapped model folder inside a training output folder. */
export const MODEL_DIR = "model";
/** The pointer that lets transformers load `<out>/model/model.safetensors` from `<out>`. */
export const WEIGHTS_INDEX = "model.safetensors.index.json";

/**
 * Writes the best model of a run into `outDir` as one unit: the complete tagger folder is written
 * as `.model.new/` and swapped in as `model/` by rename (see {@link replaceFolder}). Then, for
 * transformers, `outDir` itself gets config.json, the tokenizer files and a one-shard
 * `model.safetensors.index.json` naming `model/model.safetensors`: all fixed for a run, so a reader
 * of `outDir` mixes nothing either, and `from_pretrained(outDir)` loads the best model.
 */
export async function saveTaggerOutput(
  fs: FileSystem,
  outDir: string,
  input: TaggerFolderInput,
): Promise<void> {
  const files = await taggerFolderFiles(input);
  await replaceFolder(fs, joinPath(outDir, MODEL_DIR), async (tmp) => {
    for (const [name, bytes] of Object.entries(files)) {
      await fs.writeFileAtomic(joinPath(tmp, name), bytes);
    }
  });
  const pointer: Record<string, Uint8Array> = {
    [WEIGHTS_INDEX]: weightsIndex(files["model.safetensors"], `${MODEL_DIR}/model.safetensors`),
  };
  for (const name of CHECKPOINT_FILE_ORDER) {
    if (name !== "model.safetensors" && files[name]) pointer[name] = files[name];
  }
  for (const [name, bytes] of Object.entries(pointer)) {
    if (!(await sameFile(fs, joinPath(outDir, name), bytes))) {
      await fs.writeFileAtomic(joinPath(outDir, name), bytes);
    }
  }
}

/** A transformers shard index that maps every tensor of `weights` to the file `shard`. */
function weightsIndex(weights: Uint8Array, shard: string): Uint8Array {
  const header = readSafetensorsHeader(weights);
  let total = 0;
  const map: Record<string, string> = {};
  for (const [name, t] of header.tensors) {
    total += t.dataOffsets[1] - t.dataOffsets[0];
    map[name] = shard;
  }
  const json = { metadata: { total_size: total }, weight_map: map };
  return new TextEncoder().encode(JSON.stringify(json, null, 2) + "\n");
}

/** Whether `path` holds exactly `bytes` (the fixed files are written once per run). */
async function sameFile(fs: FileSystem, path: string, bytes: Uint8Array): Promise<boolean> {
  if (!(await fs.exists(path))) return false;
  const old = await fs.readFile(path);
  return old.length === bytes.length && old.every((b, i) => b === bytes[i]);
}

/**
 * The folder that holds the model of `dir`: `dir/model` for a training output folder (the swapped
 * unit, read whole from there), else `dir` itself.
 */
export async function taggerModelDir(fs: FileSystem, dir: string): Promise<string> {
  const inner = joinPath(dir, MODEL_DIR);
  return (await fs.exists(joinPath(inner, "config.json"))) ? inner : dir;
}

function taskOf(headName: string): string {
  return headName.slice(0, headName.lastIndexOf("."));
}

/** Parses tagger.json. @throws LabelMapFormatError naming the file and field. */
export function parseTaggerMeta(text: string, source: string): TaggerMeta {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new LabelMapFormatError(source, `invalid JSON: ${(e as Error).message}`);
  }
  if (j?.format !== "jointag-tagger" || !Array.isArray(j.tasks) || typeof j.mainTask !== "string") {
    throw new LabelMapFormatError(
      source,
      `not a jointag tagger.json (needs format, tasks, mainTask)`,
    );
  }
  const tasks = (j.tasks as Record<string, unknown>[]).map((t, i) => {
    if (typeof t.name !== "string") {
      throw new LabelMapFormatError(source, `tasks[${i}].name missing`);
    }
    const labels = LabelMap.fromJSON(t.labels, `${source}: tasks[${i}].labels`);
    return {
      name: t.name,
      weight: typeof t.weight === "number" ? t.weight : 1,
      labels: labels.toJSON(),
    };
  });
  if (!tasks.some((t) => t.name === j.mainTask)) {
    throw new LabelMapFormatError(source, `mainTask "${j.mainTask}" is not among the tasks`);
  }
  const base = j.baseModel as BaseModelRef | undefined;
  return {
    tasks,
    mainTask: j.mainTask as string,
    headDropout: typeof j.headDropout === "number" ? j.headDropout : 0.3,
    maxLength: typeof j.maxLength === "number" ? j.maxLength : 512,
    labelAllSubwords: j.labelAllSubwords === true,
    ...(typeof base?.id === "string" ? { baseModel: base } : {}),
  };
}

/**
 * The settings of a plain token-classification folder (no tagger.json): one task named after
 * its labels (`ner` or `tag`), labels from config.json's `id2label`.
 * @throws LabelMapFormatError when the folder is not a token classifier
 */
export function metaOfTokenClassifier(ckpt: LoadedCheckpoint, dir: string): TaggerMeta {
  const source = joinPath(dir, "config.json");
  const labels = labelsOfConfig(ckpt.config, source);
  if (!labels || !classifierOf(ckpt.taskTensors)) {
    throw new LabelMapFormatError(
      dir,
      `neither a trained tagger (${TAGGER_FILES.meta}) nor a ${TOKEN_CLASSIFIER_ARCHITECTURE} ` +
        `(config.json id2label and classifier.* weights)`,
    );
  }
  const name = taskNameForLabels(labels);
  const dropout = ckpt.config.extra.classifier_dropout;
  return {
    tasks: [{ name, weight: 1, labels: { column: name, labels } }],
    mainTask: name,
    headDropout: typeof dropout === "number" ? dropout : ckpt.config.hiddenDropoutProb,
    maxLength: Math.min(
      512,
      ckpt.config.maxPositionEmbeddings,
      ckpt.tokenizer.modelMaxLength ?? 512,
    ),
    labelAllSubwords: false,
  };
}

/**
 * Loads a folder written by {@link saveTaggerFolder} (either layout) or a training output folder
 * ({@link saveTaggerOutput}: from its `model/`), or a plain
 * `BertForTokenClassification` folder as a one-task tagger.
 */
export async function loadTaggerFolder(
  fs: FileSystem,
  dir: string,
  o: { backend?: Backend } = {},
): Promise<LoadedTagger> {
  const from = await taggerModelDir(fs, dir);
  const ckpt = await loadCheckpointFolder(fs, from);
  const metaPath = joinPath(from, TAGGER_FILES.meta);
  const meta = (await fs.exists(metaPath))
    ? parseTaggerMeta(await fs.readTextFile(metaPath), metaPath)
    : metaOfTokenClassifier(ckpt, from);
  const model = createTagger(ckpt.config, meta, { ...o, pretrainedEncoder: true });
  model.loadEncoder(ckpt.weights);
  model.loadHeads(await headsOf(fs, from, meta, ckpt.taskTensors));
  model.eval();
  return { model, tokenizer: ckpt.tokenizer, labelMaps: labelMapsOf(meta), meta };
}

/** A task head found in a pretrained folder, with the labels of its outputs. */
export interface PretrainedHead {
  labels: string[];
  weight: WeightEntry;
  bias: WeightEntry;
}

/** The heads of a folder to continue from, by task; `mainTask` is the folder's main task. */
export interface PretrainedHeads {
  mainTask: string;
  heads: Record<string, PretrainedHead>;
}

/**
 * The task heads of a folder to continue training from: every task of a jointag tagger, or the
 * `classifier.*` of a token-classification checkpoint (labels from `id2label`); null when the
 * folder has none. `mainTask` names the head that a new run's main task may take over.
 */
export async function readPretrainedHeads(
  fs: FileSystem,
  dir: string,
  ckpt: LoadedCheckpoint,
): Promise<PretrainedHeads | null> {
  const metaPath = joinPath(dir, TAGGER_FILES.meta);
  let meta: TaggerMeta;
  if (await fs.exists(metaPath)) {
    meta = parseTaggerMeta(await fs.readTextFile(metaPath), metaPath);
  } else if (
    labelsOfConfig(ckpt.config, joinPath(dir, "config.json")) && classifierOf(ckpt.taskTensors)
  ) {
    meta = metaOfTokenClassifier(ckpt, dir);
  } else return null;
  const weights = await headsOf(fs, dir, meta, ckpt.taskTensors);
  const heads: Record<string, PretrainedHead> = {};
  for (const t of meta.tasks) {
    heads[t.name] = {
      labels: t.labels.labels,
      weight: weights.get(`${t.name}.weight`)!,
      bias: weights.get(`${t.name}.bias`)!,
    };
  }
  return { mainTask: meta.mainTask, heads };
}

/**
 * Every task's head as `<task>.weight` / `<task>.bias`: the main task's from `classifier.*` when
 * the checkpoint has it, the rest (or all, in the earlier layout) from heads.safetensors.
 */
async function headsOf(
  fs: FileSystem,
  dir: string,
  meta: TaggerMeta,
  taskTensors: WeightMap,
): Promise<WeightMap> {
  const path = joinPath(dir, TAGGER_FILES.heads);
  const saved = (await fs.exists(path))
    ? readSafetensors(await fs.readFile(path), path)
    : new Map();
  const classifier = classifierOf(taskTensors);
  const out: WeightMap = new Map();
  for (const { name } of meta.tasks) {
    const head = name === meta.mainTask && classifier
      ? classifier
      : { weight: saved.get(`${name}.weight`), bias: saved.get(`${name}.bias`) };
    if (!head.weight || !head.bias) {
      throw new CheckpointFormatError(
        path,
        `no head for task "${name}" (${name}.weight, ${name}.bias)` +
          (name === meta.mainTask ? " and no classifier.* in model.safetensors" : ""),
      );
    }
    out.set(`${name}.weight`, head.weight);
    out.set(`${name}.bias`, head.bias);
  }
  return out;
}
