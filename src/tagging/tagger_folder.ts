/**
 * The trained tagger on disk, in a Hugging Face model folder: config.json, model.safetensors (the
 * encoder under BertModel names, so `transformers.BertModel.from_pretrained(dir)` loads it),
 * vocab.txt and tokenizer_config.json, plus `heads.safetensors` (`<task>.weight`, `<task>.bias`)
 * and `tagger.json` (tasks, label maps, main task, settings). Every file is written atomically,
 * config.json last, so a folder with a config.json is complete.
 * @module
 */
import type { Backend } from "../backend/backend.ts";
import type { Random } from "../core/random.ts";
import { loadCheckpointFolder } from "../bert/checkpoint.ts";
import { saveCheckpointFolder } from "../bert/checkpoint.ts";
import type { BertConfig } from "../bert/config.ts";
import { type FileSystem, joinPath } from "../bert/file_system.ts";
import { readSafetensors, writeSafetensors } from "../bert/safetensors.ts";
import type { BertTokenizer } from "../bert/tokenizer.ts";
import { LabelMapFormatError } from "./errors.ts";
import { LabelMap, type LabelMapJson } from "./label_map.ts";
import { MultiTaskTagger } from "./multitask_tagger.ts";

/** File names inside a tagger folder. */
export const TAGGER_FILES = { heads: "heads.safetensors", meta: "tagger.json" } as const;

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
}

/** A tagger with everything needed to run it. */
export interface LoadedTagger {
  model: MultiTaskTagger;
  tokenizer: BertTokenizer;
  labelMaps: Record<string, LabelMap>;
  meta: TaggerMeta;
}

/** Label maps of `meta`, by task. */
export function labelMapsOf(meta: TaggerMeta): Record<string, LabelMap> {
  const out: Record<string, LabelMap> = {};
  for (const t of meta.tasks) out[t.name] = new LabelMap(t.labels.labels, t.name);
  return out;
}

/** A fresh tagger for `meta` (heads sized by its label maps). */
export function createTagger(
  config: BertConfig,
  meta: TaggerMeta,
  o: { backend?: Backend; random?: Random } = {},
): MultiTaskTagger {
  return new MultiTaskTagger(
    config,
    meta.tasks.map((t) => ({ name: t.name, numLabels: t.labels.labels.length, weight: t.weight })),
    { headDropout: meta.headDropout, ...o },
  );
}

/** Writes the folder (see the module doc). */
export async function saveTaggerFolder(
  fs: FileSystem,
  dir: string,
  input: { model: MultiTaskTagger; tokenizer: BertTokenizer; meta: TaggerMeta },
): Promise<void> {
  await fs.mkdirp(dir);
  await fs.writeFileAtomic(
    joinPath(dir, TAGGER_FILES.heads),
    writeSafetensors(await input.model.headWeights(), {
      tasks: input.meta.tasks.map((t) => t.name).join(","),
    }),
  );
  await fs.writeFileAtomic(
    joinPath(dir, TAGGER_FILES.meta),
    JSON.stringify({ format: "jointag-tagger", version: 1, ...input.meta }, null, 2) + "\n",
  );
  const labelsOfMain = input.meta.tasks.find((t) => t.name === input.meta.mainTask)?.labels.labels;
  await saveCheckpointFolder(fs, dir, {
    config: input.model.config,
    weights: await input.model.encoderWeights(),
    tokenizer: input.tokenizer,
    // Informational for transformers users: the main task's labels.
    metadata: labelsOfMain ? { jointag_main_task: input.meta.mainTask } : {},
  });
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
  return {
    tasks,
    mainTask: j.mainTask as string,
    headDropout: typeof j.headDropout === "number" ? j.headDropout : 0.3,
    maxLength: typeof j.maxLength === "number" ? j.maxLength : 512,
    labelAllSubwords: j.labelAllSubwords === true,
  };
}

/** Loads a folder written by {@link saveTaggerFolder}. */
export async function loadTaggerFolder(
  fs: FileSystem,
  dir: string,
  o: { backend?: Backend } = {},
): Promise<LoadedTagger> {
  const ckpt = await loadCheckpointFolder(fs, dir);
  const metaPath = joinPath(dir, TAGGER_FILES.meta);
  if (!(await fs.exists(metaPath))) {
    throw new LabelMapFormatError(metaPath, "file not found: this folder holds no trained tagger");
  }
  const meta = parseTaggerMeta(await fs.readTextFile(metaPath), metaPath);
  const model = createTagger(ckpt.config, meta, o);
  model.loadEncoder(ckpt.weights);
  const headsPath = joinPath(dir, TAGGER_FILES.heads);
  model.loadHeads(readSafetensors(await fs.readFile(headsPath), headsPath));
  model.eval();
  return { model, tokenizer: ckpt.tokenizer, labelMaps: labelMapsOf(meta), meta };
}
