/**
 * `train`: fine-tune a multi-task tagger. With no arguments: the built-in demo (a generated NER +
 * POS corpus and a small BERT the project makes itself).
 * @module
 */
import { BertConfig } from "../src/bert/config.ts";
import { joinPath } from "../src/io/file_system.ts";
import { loadBertTokenizer } from "../src/bert/tokenizer_files.ts";
import { stdoutIsTerminal, writeStdout } from "../src/io/deno/terminal.ts";
import {
  loadTrainingCheckpoint,
  type TrainingCheckpoint,
} from "../src/tagging/train/checkpoint_state.ts";
import {
  type Evaluation,
  formatConllEvaluation,
  formatEntityTable,
  isEntityTask,
  summarizeEvaluation,
} from "../src/tagging/model/evaluate.ts";
import type { Sentence } from "../src/tagging/data/sentence.ts";
import type { TaggerMeta } from "../src/tagging/model/tagger_folder.ts";
import { trainingCharts } from "../src/tagging/train/charts.ts";
import { OUTPUT_FILES } from "../src/tagging/train/output.ts";
import {
  type PipelineControl,
  type PipelineSpec,
  runTrainingPipeline,
} from "../src/tagging/train/pipeline.ts";
import type { TrainResult } from "../src/tagging/train/trainer.ts";
import { fmtTime } from "../src/tagging/train/progress.ts";
import { ArgumentError, CORPUS_FLAGS, type FlagSpec, formatHelp, parseArgs } from "./args.ts";
import { parseTasks } from "./data.ts";
import { DEVICE_FLAGS, selectDevice } from "./device.ts";
import { REVISION_FLAG } from "./model_source.ts";
import { writeTrainCard } from "./train_card.ts";
import { reuseHeads } from "../src/tagging/model/head_reuse.ts";
import { fs, withPath, writtenLine } from "./files.ts";
import { validateRunFlags } from "./validate.ts";
import { checkOutRun, planResume, removeRun } from "./run_folder.ts";
import {
  buildLabelMaps,
  type Flags,
  loadBaseModel,
  loadRunData,
  type RunData,
  trainOptionsFromFlags,
} from "./run_setup.ts";

/** Flags of `train`. */
export const TRAIN_FLAGS: Record<string, FlagSpec> = {
  model: {
    type: "string",
    value: "id|dir",
    help:
      "Hugging Face model id or folder, a token classifier's too (default: a small BERT made from the training data)",
  },
  ...REVISION_FLAG,
  train: {
    type: "string",
    value: "file",
    help: "training corpus (default: the generated demo corpus)",
  },
  dev: { type: "string", value: "file", help: "dev corpus (default: a seeded split of --train)" },
  test: {
    type: "string",
    value: "file",
    help: "test corpus, scored with the best model at the end",
  },
  ...CORPUS_FLAGS,
  tasks: {
    type: "string",
    value: "name=column,…",
    help:
      "tasks and their columns (csv: ner=Tag,pos=POS; conll: ner=ner,pos=pos; conllu: pos=UPOS)",
  },
  "task-weights": {
    type: "string",
    value: "name=w,…",
    help: "loss weights (default: equal, i.e. the mean of the task losses)",
  },
  "main-task": {
    type: "string",
    value: "name",
    help: "task whose dev score picks the best model (default: the first entity task)",
  },
  split: {
    type: "number",
    value: "fraction",
    help: "dev fraction when no --dev is given",
    default: 0.1,
  },
  "test-split": {
    type: "number",
    value: "fraction",
    help:
      "test fraction held out of --train when no --test is given (seeded by --split-seed, before the dev split)",
  },
  "split-seed": { type: "integer", help: "seed of the train/dev (and test) split", default: 42 },
  epochs: { type: "integer", help: "passes over the training data (demo: 4, else 3)" },
  "batch-size": { type: "integer", help: "sentences per update (demo: 32, else 16)" },
  lr: { type: "number", help: "peak learning rate (demo: 1e-3, else 5e-5)" },
  "weight-decay": { type: "number", help: "AdamW decoupled weight decay", default: 0.01 },
  warmup: {
    type: "number",
    value: "fraction",
    help: "fraction of updates for linear warmup",
    default: 0.1,
  },
  patience: { type: "integer", help: "epochs without dev improvement before stopping", default: 3 },
  "length-buckets": {
    type: "boolean",
    help:
      "batch sentences of similar lengths together (less padding) instead of at random (transformers)",
  },
  "max-length": {
    type: "integer",
    help: "longest window in sub-words (longer sentences are split)",
    default: 128,
  },
  "label-all-subwords": {
    type: "boolean",
    help: "label every sub-word (the seed's behaviour) instead of the first",
  },
  "head-dropout": { type: "number", help: "dropout before the task heads", default: 0.3 },
  "encoder-dropout": {
    type: "number",
    value: "p",
    help: "BERT's hidden and attention dropout (default: the model's config.json, 0.1 for BERT)",
  },
  "join-task": {
    type: "string",
    value: "name",
    help:
      "task read from --train-join/--dev-join/--test-join (IOB2 label files joined on # sent_id)",
    default: "ner",
  },
  "train-join": {
    type: "string",
    value: "file",
    help: "labels of --train to join by sentence id (e.g. NER for CoNLL-U)",
  },
  "dev-join": { type: "string", value: "file", help: "labels of --dev to join by sentence id" },
  "test-join": { type: "string", value: "file", help: "labels of --test to join by sentence id" },
  "join-columns": {
    type: "string",
    value: "word=N,ner=M",
    help: "fields of the word and the label in the join files (default: word label, or " +
      "UniversalNER id word label …)",
  },
  "train-limit": {
    type: "integer",
    value: "N",
    help:
      "use only the first N training sentences (after the --split, which keeps the full dev part)",
  },
  "demo-sentences": { type: "integer", help: "size of the generated demo corpus", default: 3000 },
  seed: { type: "integer", help: "seed of initialisation, dropout and data order", default: 42 },
  out: { type: "string", value: "dir", help: "output folder", default: "runs/tagger" },
  resume: {
    type: "boolean",
    help: "continue the run in --out (flags that differ from its settings are refused; a " +
      "larger --epochs extends it)",
  },
  overwrite: {
    type: "boolean",
    help: "replace the run already in --out (without it, or --resume, such a folder is refused)",
  },
  "checkpoint-every": {
    type: "integer",
    value: "N",
    help: "also checkpoint every N updates (always at epoch ends)",
  },
  "stop-after": {
    type: "integer",
    value: "N",
    help: "stop after update N with a checkpoint, as if interrupted (--resume continues)",
  },
  "dump-init": {
    type: "string",
    value: "dir",
    help: "write the initial model (encoder + heads) there, for tools/reference_trainer.py",
  },
  "dump-batches": {
    type: "string",
    value: "file",
    help: "write every update's batch there (JSONL), for tools/reference_trainer.py",
  },
  ...DEVICE_FLAGS,
};

const DESCRIPTION =
  `Fine-tunes a BERT with one token-classification head per task (NER + POS by default).
With no arguments it trains on a generated demo corpus with a small BERT made by the project.
Writes to --out: the best model in model/ (a transformers BertForTokenClassification of the main
task, the other heads in heads.safetensors, tagger.json; replaced as a whole), beside it the files
that let transformers load --out itself, README.md (model card), metrics.json, train_log.jsonl and
checkpoint/ (for --resume).`;

/** `train --help` text. */
export const TRAIN_HELP = formatHelp("jointag train [options]", DESCRIPTION, TRAIN_FLAGS);

function say(line: string): void {
  writeStdout(line + "\n");
}

/** The terminal progress display of `train`. */
const progress = () => ({ write: writeStdout, tty: stdoutIsTerminal() });

/** Runs `train`: checks → resume plan → data and model → the training pipeline → report. */
export async function trainCommand(argv: string[]): Promise<void> {
  const { flags, positionals } = parseArgs(argv, TRAIN_FLAGS);
  if (positionals.length) throw new ArgumentError(`train: unexpected argument "${positionals[0]}"`);
  const f = flags as Flags;
  const t0 = performance.now();
  const out = (f.out as string) ?? "runs/tagger";
  await validateRunFlags(f, "runs/tagger");
  await checkOutRun(f, out);
  const ckptPath = joinPath(out, OUTPUT_FILES.checkpoint);
  const saved = f.resume === true
    ? await withPath("--out", out, () => loadTrainingCheckpoint(fs, ckptPath))
    : undefined;
  const plan = saved ? planResume(f, saved.state, out) : undefined;
  if (plan?.finished && (await fs.exists(joinPath(out, OUTPUT_FILES.metrics)))) {
    say(plan.note!);
    return;
  }
  if (plan?.note) say(plan.note);
  const device = await selectDevice(f);
  say(device.line);
  const data = await loadRunData(f, say);
  if (f.resume === true && !saved) say(`resume: no checkpoint at ${ckptPath}, starting fresh`);
  const spec: PipelineSpec = {
    ...(saved ? await resumedModel(out, saved) : await freshModel(f, data)),
    initSeed: (f.seed as number) ?? 42,
    train: data.train,
    dev: data.dev,
    test: data.test,
    fs,
    outDir: out,
  };
  if (f.overwrite === true) await withPath("--out", out, () => removeRun(out));
  const { train: result, test } = await withPath(
    "--out",
    out,
    () =>
      runTrainingPipeline(spec, trainOptionsFromFlags(f, spec.initSeed), runControl(f, spec, plan)),
  );
  if (!result.completed || result.alreadyFinished) return;
  const metrics = await saveTestAndMetrics(out, spec, test, device.line, t0);
  await writeCharts(out);
  await writeTrainCard(out, {
    argv,
    flags: f,
    meta: spec.meta,
    sizes: { train: data.train.length, dev: data.dev.length, test: data.test?.length },
    dev: result.bestDev ?? undefined,
    test: metrics.test as Evaluation | undefined,
  });
  say(
    `done in ${fmtTime(metrics.wallSeconds as number)} (training ${
      result.trainSeconds.toFixed(1)
    } s, ${result.sentencesPerSecond.toFixed(0)} sentences/s, ${
      result.tokensPerSecond.toFixed(0)
    } tokens/s)${result.stoppedEarly ? ", stopped early" : ""}; model and metrics in ${out}`,
  );
  say(await writtenLine(out, dumped(f)));
}

/** Run control and events of `train`: the progress bar, messages, the resume and dump flags. */
function runControl(
  f: Flags,
  spec: PipelineSpec,
  plan: { extendEpochs?: number } | undefined,
): PipelineControl {
  const out = spec.outDir;
  const started = (parameters: number) =>
    `training: ${parameters.toLocaleString("en")} parameters, main task ${spec.meta.mainTask}, ` +
    `output ${out}`;
  return {
    resume: f.resume === true,
    extendEpochs: plan?.extendEpochs,
    checkpointEvery: f["checkpoint-every"] as number | undefined,
    progress: progress(),
    log: say,
    stopAfterStep: f["stop-after"] as number | undefined,
    dumpInit: f["dump-init"] as string | undefined,
    dumpBatches: f["dump-batches"] as string | undefined,
    events: {
      onStart: ({ parameters }) => say(started(parameters)),
      onTrained: (r) => reportTraining(r, spec.meta, out, f),
    },
  };
}

/** The model of a resumed run: config, tokenizer and tagger settings from its checkpoint. */
async function resumedModel(out: string, saved: TrainingCheckpoint) {
  const dir = joinPath(out, OUTPUT_FILES.checkpointDir);
  const config = BertConfig.fromJSON(
    saved.state.bertConfig,
    joinPath(out, OUTPUT_FILES.checkpoint),
  );
  const tc = joinPath(dir, "tokenizer_config.json");
  const tokenizer = loadBertTokenizer({
    vocabTxt: await fs.readTextFile(joinPath(dir, "vocab.txt")),
    tokenizerConfig: (await fs.exists(tc)) ? await fs.readTextFile(tc) : undefined,
  }, dir);
  return { config, tokenizer, meta: saved.state.meta };
}

/** The model of a fresh run: --model (or the demo BERT), label maps and tasks from the flags. */
async function freshModel(f: Flags, data: RunData) {
  const taskNames = data.taskCols.map(([t]) => t);
  const maps = buildLabelMaps(taskNames, data.train, data.dev, say);
  const main = (f["main-task"] as string | undefined) ??
    taskNames.find((t) => isEntityTask(maps[t])) ?? taskNames[0];
  if (!taskNames.includes(main)) {
    throw new ArgumentError(`--main-task ${main} is not among the tasks ${taskNames.join(",")}`);
  }
  const weights = taskWeights(f, taskNames);
  const base = await loadBaseModel(f, data.train, say);
  const meta: TaggerMeta = {
    tasks: taskNames.map((t) => ({ name: t, weight: weights[t] ?? 1, labels: maps[t].toJSON() })),
    mainTask: main,
    headDropout: (f["head-dropout"] as number) ?? 0.3,
    maxLength: Math.min((f["max-length"] as number) ?? 128, base.config.maxPositionEmbeddings),
    labelAllSubwords: f["label-all-subwords"] === true,
    ...(base.source ? { baseModel: base.source } : {}),
  };
  const { tokenizer, config, encoder } = base;
  if (!base.heads) return { config, tokenizer, meta, encoder };
  const r = reuseHeads(meta, base.heads, f.model as string);
  r.notes.forEach((n) => say(`note: ${n}`));
  return { config, tokenizer, meta: r.meta, encoder, heads: r.heads };
}

/** --task-weights as task → weight. */
function taskWeights(f: Flags, taskNames: readonly string[]): Record<string, number> {
  const weights: Record<string, number> = {};
  if (f["task-weights"] === undefined) return weights;
  for (const [t, w] of parseTasks(f["task-weights"] as string)) {
    if (!taskNames.includes(t)) throw new ArgumentError(`--task-weights: unknown task ${t}`);
    const v = Number(w);
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new ArgumentError(`--task-weights: weight of ${t} must be a number >= 0, got "${w}"`);
    }
    weights[t] = v;
  }
  return weights;
}

/** After training, before the test set: what happened, and the best dev scores. */
async function reportTraining(r: TrainResult, meta: TaggerMeta, out: string, f: Flags) {
  say("");
  if (r.alreadyFinished) {
    say(`${out}: the run had already finished; nothing changed`);
  } else if (!r.completed) {
    const ckpt = joinPath(out, OUTPUT_FILES.checkpoint);
    say(`stopped after update ${r.steps}: checkpoint in ${ckpt} (--resume continues)`);
    say(await writtenLine(out, dumped(f)));
  } else if (r.bestDev) {
    say(`best dev (epoch ${r.bestEpoch}): ${summarizeEvaluation(r.bestDev, meta.mainTask)}`);
    say(formatEntityTable(r.bestDev.tasks[meta.mainTask]));
  }
}

/**
 * Save: the test predictions and scores, the wall time and device added to metrics.json.
 * Returns the metrics written.
 */
async function saveTestAndMetrics(
  out: string,
  spec: PipelineSpec,
  test: Evaluation | undefined,
  deviceLine: string,
  t0: number,
): Promise<Record<string, unknown>> {
  const path = joinPath(out, OUTPUT_FILES.metrics);
  const metrics: Record<string, unknown> = JSON.parse(await fs.readTextFile(path));
  const { meta } = spec;
  if (test && spec.test) {
    const taskNames = meta.tasks.map((t) => t.name);
    const order = [...taskNames.filter((t) => t !== meta.mainTask), meta.mainTask];
    await fs.writeFileAtomic(
      joinPath(out, "test_predictions.conll"),
      formatConllEvaluation(spec.test as Sentence[], test.predictions, order),
    );
    const { predictions: _p, ...scores } = test;
    metrics.test = scores;
    say(`test: ${summarizeEvaluation(test, meta.mainTask)}`);
    say(formatEntityTable(test.tasks[meta.mainTask]));
  }
  metrics.wallSeconds = (performance.now() - t0) / 1000;
  metrics.device = deviceLine.split("\n")[0];
  await fs.writeFileAtomic(path, JSON.stringify(metrics, null, 2) + "\n");
  return metrics;
}

/** The loss and dev-score charts (SVG) of the whole run, from its log. */
async function writeCharts(out: string): Promise<void> {
  const log = await fs.readTextFile(joinPath(out, OUTPUT_FILES.log));
  for (const [name, svg] of Object.entries(trainingCharts(log))) {
    await fs.writeFileAtomic(joinPath(out, name), svg);
  }
}

/** The --dump-init / --dump-batches paths that were written. */
function dumped(f: Record<string, unknown>): string[] {
  return ["dump-init", "dump-batches"].filter((k) => f[k] !== undefined).map((k) => `${f[k]}`);
}
