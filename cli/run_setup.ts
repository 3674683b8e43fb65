/**
 * Setting up a training run from command-line flags, shared by `train` and `compare`: the corpora
 * (files or the generated demo corpus), the label maps, and the base model (a Hugging Face
 * checkpoint, or a small BERT made for the corpus).
 * @module
 */
import { BertConfig, type BertTokenizer } from "../mod.ts";
import { loadCheckpointFolder, type WeightMap } from "../bert.ts";
import {
  DEMO_BERT_SIZE,
  demoBert,
  generateDemoCorpus,
  LabelMap,
  type Sentence,
  trainDevSplit,
  type TrainOptions,
} from "../tagging.ts";
import {
  type BaseModelRef,
  type PretrainedHeads,
  readPretrainedHeads,
  taggerModelDir,
} from "../src/tagging/model/tagger_folder.ts";
import { ArgumentError } from "./args.ts";
import { fs } from "./files.ts";
import { resolveModelFlag } from "./model_source.ts";
import {
  defaultTasks,
  formatOf,
  loadCorpusFile,
  loadJoinFile,
  normalizeSchemes,
  parseColumns,
  parseJoinColumns,
  parseTasks,
  type ReadCorpusOptions,
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
 * The seeded test part of `--test-split` (a corpus in one file, such as the Kaggle CSV): taken out
 * of --train first, so the dev split and --train-limit never see it.
 */
function heldOutTest(corpus: Sentence[], f: Flags): { train: Sentence[]; test: Sentence[] } {
  const { train, dev } = trainDevSplit(corpus, {
    devFraction: f["test-split"] as number,
    seed: (f["split-seed"] as number) ?? 42,
  });
  return { train, test: dev };
}

/**
 * Reads --train/--dev/--test (or generates the demo corpus), applies --train-limit, the seeded
 * split when no --dev is given, and the sentence-id joins; normalises tag schemes to IOB2. Says
 * per file its encoding, column layout and sentence count.
 */
export async function loadRunData(f: Flags, say: (line: string) => void): Promise<RunData> {
  let train: Sentence[];
  let dev: Sentence[];
  let test: Sentence[] | undefined;
  let taskCols: TaskColumns;
  if (f.train !== undefined) {
    ({ train, dev, test, taskCols } = await readRunFiles(f, say));
  } else {
    taskCols = f.tasks !== undefined ? parseTasks(f.tasks as string) : parseTasks("ner,pos");
    const corpus = generateDemoCorpus({ sentences: (f["demo-sentences"] as number) ?? 3000 })
      .map((s) => ({
        ...s,
        columns: Object.fromEntries(taskCols.map(([t, c]) => [t, s.columns[c]])),
      }));
    ({ train, dev } = splitByFlags(corpus, f));
    say(`data: generated demo corpus (${corpus.length} sentences: NER PER/ORG/LOC/MISC + POS)`);
  }
  // After the split, so a limited run keeps the same (full) dev part as an unlimited one.
  if (f["train-limit"] !== undefined) train = train.slice(0, f["train-limit"] as number);
  const from = f.train === undefined ? "the demo corpus" : `--train ${f.train}`;
  if (train.length === 0) {
    throw new ArgumentError(`${from}: no training sentences left after the dev split`);
  }
  if (dev.length === 0) {
    throw new ArgumentError(`${from}: no dev sentences (give --dev or a --split above 0)`);
  }
  const taskNames = taskCols.map(([t]) => t);
  for (const note of normalizeSchemes([train, dev, ...(test ? [test] : [])], taskNames)) {
    say(`data: ${note}`);
  }
  say(
    `data: ${train.length} train, ${dev.length} dev${
      test ? `, ${test.length} test` : ""
    } sentences; tasks ${taskCols.map(([t, c]) => `${t}=${c}`).join(", ")}`,
  );
  return { train, dev, test, taskCols, demo: f.train === undefined };
}

/** --train, --dev, --test and their --*-join label files. */
async function readRunFiles(
  f: Flags,
  say: (line: string) => void,
): Promise<{ train: Sentence[]; dev: Sentence[]; test?: Sentence[]; taskCols: TaskColumns }> {
  const file = f.train as string;
  const format = formatOf(file, f.format as string | undefined);
  const joinTask = (f["join-task"] as string | undefined) ?? "ner";
  const joining = f["train-join"] !== undefined;
  // Without --tasks, the default tasks of the format that the file's columns have.
  let own = f.tasks !== undefined ? parseTasks(f.tasks as string) : defaultTasks(format);
  if (joining) own = own.filter(([t]) => t !== joinTask);
  const ro: ReadCorpusOptions = {
    format: f.format as string | undefined,
    tasks: own,
    optionalTasks: f.tasks === undefined,
    encoding: f.encoding as string | undefined,
    columns: f.columns !== undefined ? parseColumns(f.columns as string) : undefined,
    onNote: (line) => say(`data: ${line}`),
  };
  const joinCols = f["join-columns"] !== undefined
    ? parseJoinColumns(f["join-columns"] as string, joinTask)
    : undefined;
  const read = async (flag: string): Promise<Sentence[]> => {
    const sents = await loadCorpusFile(`--${flag}`, f[flag] as string, ro);
    const path = f[`${flag}-join`] as string | undefined;
    if (path === undefined) return sents;
    const joined = await loadJoinFile(`--${flag}-join`, path, sents, joinTask, {
      encoding: f.encoding as string | undefined,
      joinColumns: joinCols,
    });
    say(`data: ${path}: ${joinTask} joined onto ${joined.length} sentences by # sent_id`);
    return joined;
  };
  let train = await read("train");
  // The tasks the training file has: dev and test must have the same.
  own = own.filter(([t]) => train[0].columns[t] !== undefined);
  Object.assign(ro, { tasks: own, optionalTasks: false });
  const taskCols: TaskColumns = joining ? [[joinTask, joinTask], ...own] : own;
  let test = f.test !== undefined ? await read("test") : undefined;
  if (f["test-split"]) ({ train, test } = heldOutTest(train, f));
  let dev: Sentence[];
  if (f.dev !== undefined) dev = await read("dev");
  else ({ train, dev } = splitByFlags(train, f));
  return { train, dev, test, taskCols };
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
  /** `--model` and its resolved revision (absent for the demo BERT). */
  source?: BaseModelRef;
  /** Heads of a fine-tuned checkpoint (a tagger or token classifier) to continue from. */
  heads?: PretrainedHeads | null;
}

/** --model (a Hugging Face id or folder), or without it a small BERT made for `train`. */
export async function loadBaseModel(
  f: Flags,
  train: readonly Sentence[],
  say: (line: string) => void,
): Promise<BaseModel> {
  if (f.model === undefined) {
    const made = demoBert(train as Sentence[], {
      ...DEMO_BERT_SIZE,
      maxPositionEmbeddings: Math.max(128, (f["max-length"] as number) ?? 128),
    });
    const tokenizer = made.tokenizer;
    const config = withEncoderDropout(made.config, f);
    const label =
      `small BERT made for this corpus (L${config.numHiddenLayers} H${config.hiddenSize} A${config.numAttentionHeads} I${config.intermediateSize}, vocab ${config.vocabSize}), random init`;
    say(`model: ${label}`);
    return { tokenizer, config, encoder: null, label };
  }
  const src = await resolveModelFlag(f.model as string, f.revision as string | undefined);
  // A training output folder: its model/ (the best model, replaced as a whole).
  const dir = await taggerModelDir(fs, src.dir);
  const ck = await loadCheckpointFolder(fs, dir, { onNotice: (m) => say(`note: ${m}`) });
  const config = withEncoderDropout(ck.config, f);
  const label = `${f.model} (${dir}; L${config.numHiddenLayers} H${config.hiddenSize})`;
  say(`model: ${label}`);
  const source = { id: f.model as string, ...(src.revision ? { revision: src.revision } : {}) };
  const heads = await readPretrainedHeads(fs, dir, ck);
  return { tokenizer: ck.tokenizer, config, encoder: ck.weights, label, source, heads };
}

/** `config` with --encoder-dropout (when given) as its hidden and attention dropout. */
function withEncoderDropout(config: BertConfig, f: Flags): BertConfig {
  const p = f["encoder-dropout"] as number | undefined;
  if (p === undefined) return config;
  return BertConfig.fromJSON(
    { ...config.toJSON(), hidden_dropout_prob: p, attention_probs_dropout_prob: p },
    "--encoder-dropout",
  );
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
    lengthBuckets: f["length-buckets"] === true,
    seed,
  };
}
