/**
 * Setting up a training run from command-line flags, shared by `train` and `compare`: the corpora
 * (files or the generated demo corpus), the label maps, and the base model (a Hugging Face
 * checkpoint, or a small BERT made for the corpus).
 * @module
 */
import type { BertConfig } from "../src/bert/config.ts";
import { loadCheckpointFolder } from "../src/bert/checkpoint.ts";
import { resolveModel } from "../src/bert/hub.ts";
import type { BertTokenizer } from "../src/bert/tokenizer.ts";
import type { WeightMap } from "../src/bert/weights.ts";
import { hubOptionsFromEnv } from "../src/io/deno/hub_env.ts";
import { generateDemoCorpus } from "../src/tagging/demo_corpus.ts";
import { DEMO_BERT_SIZE, demoBert } from "../src/tagging/demo_model.ts";
import { LabelMap } from "../src/tagging/label_map.ts";
import type { Sentence } from "../src/tagging/sentence.ts";
import { trainDevSplit } from "../src/tagging/split.ts";
import type { TrainOptions } from "../src/tagging/trainer.ts";
import { ArgumentError } from "./args.ts";
import { fs, readInput } from "./common.ts";
import {
  defaultTasks,
  formatOf,
  joinLabelFile,
  normalizeSchemes,
  parseCorpus,
  parseTasks,
  type TaskColumns,
} from "./data.ts";

/** Parsed flags. */
export type Flags = Record<string, string | number | boolean | undefined>;

/** The corpora of a run. */
export interface RunData {
  train: Sentence[];
  dev: Sentence[];
  test?: Sentence[];
  taskCols: TaskColumns;
  /** True when the generated demo corpus is used (no --train). */
  demo: boolean;
}

/** The seeded train/dev split of `--split` and `--split-seed`. */
function splitByFlags(corpus: Sentence[], f: Flags): { train: Sentence[]; dev: Sentence[] } {
  return trainDevSplit(corpus, {
    devFraction: (f.split as number) ?? 0.1,
    seed: (f["split-seed"] as number) ?? 42,
  });
}

/**
 * Reads --train/--dev/--test (or generates the demo corpus), applies --train-limit, the seeded
 * split when no --dev is given, and the sentence-id joins; normalises tag schemes to IOB2.
 */
export async function loadRunData(f: Flags, say: (line: string) => void): Promise<RunData> {
  let train: Sentence[];
  let dev: Sentence[];
  let test: Sentence[] | undefined;
  let taskCols: TaskColumns;
  if (f.train !== undefined) {
    const file = f.train as string;
    const format = formatOf(file, f.format as string | undefined);
    taskCols = f.tasks !== undefined ? parseTasks(f.tasks as string) : defaultTasks(format);
    const ro = {
      format: f.format as string | undefined,
      tasks: taskCols,
      encoding: f.encoding as string | undefined,
      columns: f.columns !== undefined ? (f.columns as string).split(",") : undefined,
    };
    const joinTask = (f["join-task"] as string | undefined) ?? "ner";
    const join = async (sents: Sentence[], flag: string): Promise<Sentence[]> => {
      const path = f[flag] as string | undefined;
      if (path === undefined) return sents;
      return joinLabelFile(
        sents,
        await readInput(path, `--${flag}`),
        path,
        joinTask,
        f.encoding as string | undefined,
      );
    };
    if (f["train-join"] !== undefined && !taskCols.some(([t]) => t === joinTask)) {
      taskCols = [[joinTask, joinTask], ...taskCols];
    }
    const own = {
      ...ro,
      tasks: taskCols.filter(([t]) => f["train-join"] === undefined || t !== joinTask),
    };
    train = await join(parseCorpus(await readInput(file, "--train"), file, own), "train-join");
    if (f.dev !== undefined) {
      dev = await join(
        parseCorpus(await readInput(f.dev as string, "--dev"), f.dev as string, own),
        "dev-join",
      );
    } else ({ train, dev } = splitByFlags(train, f));
    if (f.test !== undefined) {
      test = await join(
        parseCorpus(await readInput(f.test as string, "--test"), f.test as string, own),
        "test-join",
      );
    }
  } else {
    if (f.dev !== undefined || f.test !== undefined) {
      throw new ArgumentError("--dev/--test need --train");
    }
    taskCols = parseTasks("ner,pos");
    const corpus = generateDemoCorpus({ sentences: (f["demo-sentences"] as number) ?? 3000 });
    ({ train, dev } = splitByFlags(corpus, f));
    say(`data: generated demo corpus (${corpus.length} sentences: NER PER/ORG/LOC/MISC + POS)`);
  }
  // After the split, so a limited run keeps the same (full) dev part as an unlimited one.
  if (f["train-limit"] !== undefined) train = train.slice(0, f["train-limit"] as number);
  if (train.length === 0) throw new ArgumentError("no training sentences");
  if (dev.length === 0) {
    throw new ArgumentError("no dev sentences (give --dev or a --split above 0)");
  }
  if (train.length === 0) throw new ArgumentError("no training sentences");
  if (dev.length === 0) {
    throw new ArgumentError("no dev sentences (give --dev or a --split above 0)");
  }
  const taskNames = taskCols.map(([t]) => t);
  for (const note of normalizeSchemes([train, dev, ...(test ? [test] : [])], taskNames)) say(note);
  say(
    `data: ${train.length} train, ${dev.length} dev${
      test ? `, ${test.length} test` : ""
    } sentences; tasks ${taskCols.map(([t, c]) => `${t}=${c}`).join(", ")}`,
  );
  return { train, dev, test, taskCols, demo: f.train === undefined };
}

/**
 * Label maps of every task from train + dev. Dev labels are known when training starts: give them
 * a head output too (a rare POS tag missing from a --train-limit subset must not make dev
 * unscorable). Test labels must be among these, else the test file's line is reported.
 */
export function buildLabelMaps(
  taskNames: readonly string[],
  train: readonly Sentence[],
  dev: readonly Sentence[],
  say: (line: string) => void,
): Record<string, LabelMap> {
  const maps: Record<string, LabelMap> = {};
  for (const t of taskNames) {
    maps[t] = LabelMap.fromSentences([...train, ...dev], t);
    const inTrain = LabelMap.fromSentences(train, t);
    const devOnly = maps[t].labels.filter((l) => !inTrain.has(l));
    if (devOnly.length) {
      say(`note: ${t} labels only in dev (never trained on): ${devOnly.join(" ")}`);
    }
  }
  return maps;
}

/** The encoder a run starts from. */
export interface BaseModel {
  tokenizer: BertTokenizer;
  config: BertConfig;
  /** Pretrained encoder weights; null for the random-init demo BERT. */
  encoder: WeightMap | null;
  /** What it is, for reports. */
  label: string;
}

/** --model (a Hugging Face id or folder), or without it a small BERT made for `train`. */
export async function loadBaseModel(
  f: Flags,
  train: readonly Sentence[],
  say: (line: string) => void,
): Promise<BaseModel> {
  if (f.model === undefined) {
    const { tokenizer, config } = demoBert(train as Sentence[], {
      ...DEMO_BERT_SIZE,
      maxPositionEmbeddings: Math.max(128, (f["max-length"] as number) ?? 128),
    });
    const label =
      `small BERT made for this corpus (L${config.numHiddenLayers} H${config.hiddenSize} A${config.numAttentionHeads} I${config.intermediateSize}, vocab ${config.vocabSize}), random init`;
    say(`model: ${label}`);
    return { tokenizer, config, encoder: null, label };
  }
  const dir = await resolveModel(f.model as string, hubOptionsFromEnv({ fs }));
  const ck = await loadCheckpointFolder(fs, dir, { onNotice: (m) => say(`note: ${m}`) });
  const label = `${f.model} (${dir}; L${ck.config.numHiddenLayers} H${ck.config.hiddenSize})`;
  say(`model: ${label}`);
  return { tokenizer: ck.tokenizer, config: ck.config, encoder: ck.weights, label };
}

/** The training hyper-parameters of --epochs, --batch-size, --lr, … (the demo has its own defaults). */
export function trainOptionsFromFlags(f: Flags, seed: number): TrainOptions {
  const demo = f.model === undefined;
  return {
    epochs: (f.epochs as number) ?? (demo ? 4 : 3),
    batchSize: (f["batch-size"] as number) ?? (demo ? 32 : 16),
    lr: (f.lr as number) ?? (demo ? 1e-3 : 5e-5),
    weightDecay: (f["weight-decay"] as number) ?? 0.01,
    warmupFraction: (f.warmup as number) ?? 0.1,
    patience: (f.patience as number) ?? 3,
    seed,
  };
}
