/**
 * The training loop of the multi-task tagger: AdamW (no decay on biases and LayerNorm weights),
 * linear warmup then linear decay, gradient clipping, seeded data order and dropout; an evaluation
 * on dev after every epoch keeping the best model by the main task's dev score (entity F1), early
 * stopping with patience; a JSONL log of every step and evaluation; resumable checkpoints.
 *
 * Every save is one unit: the best model (`model/`) and the checkpoint (`checkpoint/`) are written
 * as new folders and swapped in by rename; a start first cleans up what an interrupted run left
 * (half-written folders and temp files), and a resume cuts the log back to the checkpoint's step.
 * @module
 */
import { tidy } from "../../core/engine.ts";
import { globalRandom } from "../../core/random.ts";
import { tensor } from "../../ops/creation.ts";
import { AdamW, bertNoDecay } from "../../nn/optim/adamw.ts";
import { clipGradNorm } from "../../nn/optim/clip.ts";
import { linearWarmupDecay } from "../../nn/optim/schedule.ts";
import { checkpointFiles } from "../../bert/checkpoint.ts";
import { type FileSystem, joinPath } from "../../io/file_system.ts";
import { recoverFolder, removeTempFiles, replaceFolder } from "../../io/folder_swap.ts";
import type { BertTokenizer } from "../../bert/tokenizer.ts";
import { type Batch, makeBatches } from "../data/batching.ts";
import {
  type EpochRecord,
  loadTrainingCheckpoint,
  type ResolvedTrainOptions,
  saveTrainingCheckpoint,
  type TrainingState,
} from "./checkpoint_state.ts";
import { type EncodedSentence, windowExamples } from "../data/encode_corpus.ts";
import { evaluateTagger, type Evaluation, summarizeEvaluation } from "../model/evaluate.ts";
import type { MultiTaskTagger } from "../model/multitask_tagger.ts";
import { evaluationProgress, ProgressBar, type ProgressOptions } from "./progress.ts";
import {
  labelMapsOf,
  MODEL_DIR,
  saveTaggerFolder,
  saveTaggerOutput,
  type TaggerMeta,
} from "../model/tagger_folder.ts";
import { CheckpointStateError, NonFiniteLossError } from "./errors.ts";
import { TaggingArgumentError } from "../errors.ts";

/** Training hyper-parameters (defaults in brackets). */
export interface TrainOptions {
  /** Passes over the training data [3]. */
  epochs?: number;
  /** Sentences (windows) per update [16]. */
  batchSize?: number;
  /** Peak learning rate [5e-5]. */
  lr?: number;
  /** AdamW decoupled weight decay [0.01]. */
  weightDecay?: number;
  /** Fraction of all updates spent warming up [0.1]. */
  warmupFraction?: number;
  /** Global gradient-norm clip [1.0]. */
  clipNorm?: number;
  /** Seed of the data order (dropout and init are seeded by the caller's `setSeed`) [42]. */
  seed?: number;
  /** Epochs without a better dev score before stopping [3]. */
  patience?: number;
  /** Windows per evaluation forward pass [64]. */
  evalBatchSize?: number;
  /**
   * Batches of similar lengths (length buckets inside pools of 50 batches: less padding, but each
   * batch's mean loss then weighs its tokens by how short its sentences are) instead of batches
   * drawn at random as transformers' Trainer does [false].
   */
  lengthBuckets?: boolean;
}

/** Run control that is not part of the run's identity. */
export interface TrainControl {
  /** Continue from `<out>/checkpoint/training_state.safetensors` when present. */
  resume?: boolean;
  /**
   * On resume: train to this many epochs instead of the run's own (more only; the learning-rate
   * schedule then decays to 0 at the new end, from the step the run is at).
   */
  extendEpochs?: number;
  /** Also checkpoint every N updates (always at each epoch end). */
  checkpointEvery?: number;
  /** Stop (with a checkpoint) after this global update, as if interrupted. */
  stopAfterStep?: number;
  /** Progress display; none when absent. */
  progress?: ProgressOptions;
  /** Messages for people (device, evaluations, early stopping). */
  log?: (line: string) => void;
  /**
   * Before the first update of a fresh run, write the initial model here as a tagger folder
   * (config.json, model.safetensors, heads.safetensors, …), for a reference trainer to start from
   * (tools/reference_trainer.py).
   */
  dumpInit?: string;
  /**
   * Append one JSON line per update to this file: the update's padded batch (example indices,
   * input ids, attention mask, labels per task), for a reference trainer to replay.
   */
  dumpBatches?: string;
}

/** What to train. */
export interface TrainInput {
  /** The tagger, freshly initialised (or loaded from a pretrained encoder). */
  model: MultiTaskTagger;
  /** The model's tokenizer (saved with the model and the checkpoint). */
  tokenizer: BertTokenizer;
  /** Tasks, label maps and settings of the tagger. */
  meta: TaggerMeta;
  /** Encoded training sentences. */
  train: readonly EncodedSentence[];
  /** Encoded dev sentences (evaluated after every epoch). */
  dev: readonly EncodedSentence[];
  /** The file system the output folder is written through. */
  fs: FileSystem;
  /** Where the output folder goes. */
  outDir: string;
}

/** Outcome of {@link trainTagger}. */
export interface TrainResult {
  /** False when stopped by `stopAfterStep`. */
  completed: boolean;
  /** A resume of a run that had already finished: nothing was trained or written. */
  alreadyFinished: boolean;
  /** Stopped by patience before the last epoch. */
  stoppedEarly: boolean;
  /** Updates done in all (this call and the ones it resumed). */
  steps: number;
  /** The epoch (1-based) of the saved best model; -1 when none. */
  bestEpoch: number;
  /** Its dev score (entity F1 or accuracy of the main task). */
  bestScore: number;
  /** Dev evaluation of the best epoch (without predictions). */
  bestDev: Omit<Evaluation, "predictions"> | null;
  /** One record per finished epoch. */
  history: EpochRecord[];
  /** Seconds spent in this call. */
  seconds: number;
  /** Of which training (evaluation excluded). */
  trainSeconds: number;
  /** Training throughput of this call. */
  sentencesPerSecond: number;
  /** Training throughput of this call, in (unpadded) sub-word tokens. */
  tokensPerSecond: number;
}

/** Paths inside the output folder. */
export const OUTPUT_FILES = {
  /** The best model, a complete tagger folder (swapped in as a whole). */
  modelDir: MODEL_DIR,
  checkpointDir: "checkpoint",
  checkpoint: "checkpoint/training_state.safetensors",
  log: "train_log.jsonl",
  metrics: "metrics.json",
} as const;

/** Resolves defaults and checks ranges. @throws TaggingArgumentError */
export function resolveTrainOptions(o: TrainOptions = {}): ResolvedTrainOptions {
  const r: ResolvedTrainOptions = {
    epochs: o.epochs ?? 3,
    batchSize: o.batchSize ?? 16,
    lr: o.lr ?? 5e-5,
    weightDecay: o.weightDecay ?? 0.01,
    warmupFraction: o.warmupFraction ?? 0.1,
    clipNorm: o.clipNorm ?? 1,
    seed: o.seed ?? 42,
    patience: o.patience ?? 3,
    evalBatchSize: o.evalBatchSize ?? 64,
    lengthBuckets: o.lengthBuckets ?? false,
  };
  const posInt = ["epochs", "batchSize", "patience", "evalBatchSize"] as const;
  for (const k of posInt) {
    if (!Number.isInteger(r[k]) || r[k] < 1) {
      throw new TaggingArgumentError("train", `${k} must be a positive integer, got ${r[k]}`);
    }
  }
  if (!(r.lr > 0)) throw new TaggingArgumentError("train", `lr must be > 0, got ${r.lr}`);
  if (!(r.warmupFraction >= 0 && r.warmupFraction < 1)) {
    throw new TaggingArgumentError(
      "train",
      `warmupFraction must be in [0, 1), got ${r.warmupFraction}`,
    );
  }
  if (!(r.weightDecay >= 0) || !(r.clipNorm > 0) || !Number.isSafeInteger(r.seed)) {
    throw new TaggingArgumentError("train", "weightDecay >= 0, clipNorm > 0 and an integer seed");
  }
  return r;
}

/**
 * One line of the `dumpBatches` file: the update's number (from 1), epoch, the schedule's total
 * and warmup updates, and the batch as nested arrays, row by row.
 */
function batchJson(state: TrainingState, batch: Batch): string {
  const rows = (a: Int32Array) =>
    Array.from(
      { length: batch.batchSize },
      (_, r) => Array.from(a.subarray(r * batch.seqLen, (r + 1) * batch.seqLen)),
    );
  const labels: Record<string, number[][]> = {};
  for (const [t, l] of Object.entries(batch.labels)) labels[t] = rows(l);
  return JSON.stringify({
    step: state.step + 1,
    epoch: state.epoch,
    totalSteps: state.totalSteps,
    warmupSteps: state.warmupSteps,
    indices: Array.from(batch.indices),
    inputIds: rows(batch.inputIds),
    attentionMask: rows(batch.attentionMask),
    labels,
  }) + "\n";
}

/**
 * Removes what an interrupted run left in `outDir`: half-written `.model.new/` and
 * `.checkpoint.new/` (or the old folder put back when a swap stopped between its renames) and the
 * temp files of atomic writes.
 */
export async function recoverOutput(fs: FileSystem, outDir: string): Promise<void> {
  for (const dir of [OUTPUT_FILES.modelDir, OUTPUT_FILES.checkpointDir]) {
    await recoverFolder(fs, joinPath(outDir, dir));
    await removeTempFiles(fs, joinPath(outDir, dir));
  }
  await removeTempFiles(fs, outDir);
}

/**
 * Keeps the lines of a JSONL file that `keep` accepts, rewriting it atomically when any go (a
 * half-written last line, which does not parse, goes too).
 */
async function truncateJsonl(
  fs: FileSystem,
  path: string,
  keep: (entry: { type?: string; step?: number; epoch?: number }) => boolean,
): Promise<void> {
  if (!(await fs.exists(path))) return;
  const lines = (await fs.readTextFile(path)).split("\n").filter((l) => l !== "");
  const kept = lines.filter((l) => {
    try {
      return keep(JSON.parse(l));
    } catch {
      return false;
    }
  });
  if (kept.length < lines.length) {
    await fs.writeFileAtomic(path, kept.map((l) => l + "\n").join(""));
  }
}

/** Whether training of `state` is over (every epoch done, or stopped early). */
function finished(state: TrainingState): boolean {
  return state.epoch >= state.options.epochs || state.badEpochs >= state.options.patience;
}

/**
 * Trains `input.model` and writes the output folder: the best model (Hugging Face layout +
 * heads + tagger.json), metrics.json, train_log.jsonl and the resumable checkpoint.
 * @throws NonFiniteLossError when the loss becomes NaN/Inf (the last checkpoint is kept).
 */
export async function trainTagger(
  input: TrainInput,
  trainOptions: TrainOptions = {},
  control: TrainControl = {},
): Promise<TrainResult> {
  const t0 = performance.now();
  const { model, fs, outDir, meta } = input;
  const log = control.log ?? (() => {});
  const path = (p: string) => joinPath(outDir, p);
  await fs.mkdirp(outDir);
  await recoverOutput(fs, outDir);
  const { examples } = windowExamples(input.train);
  if (examples.length === 0) throw new TaggingArgumentError("train", "no training sentences");
  const labelMaps = labelMapsOf(meta);

  let state: TrainingState;
  const saved = control.resume
    ? await loadTrainingCheckpoint(fs, path(OUTPUT_FILES.checkpoint))
    : undefined;
  if (saved) {
    state = saved.state;
    if (state.trainExamples !== examples.length) {
      throw new CheckpointStateError(
        path(OUTPUT_FILES.checkpoint),
        `was made on ${state.trainExamples} training examples, this run has ${examples.length}: resume with the same data and settings`,
      );
    }
    if (control.extendEpochs !== undefined && control.extendEpochs > state.options.epochs) {
      extendRun(state, control.extendEpochs, examples.length, log);
    }
    if (finished(state) && (await fs.exists(path(OUTPUT_FILES.metrics)))) {
      return finishedResult(state, (performance.now() - t0) / 1000);
    }
    // Parameters first: AdamW holds the parameter tensors it updates.
    model.loadStateDict(saved.model);
    // The log and batch dump hold exactly the checkpoint's steps: later ones are redone.
    await truncateJsonl(
      fs,
      path(OUTPUT_FILES.log),
      (e) =>
        e.type === "step"
          ? (e.step ?? Infinity) <= state.step
          : e.type === "eval" && (e.epoch ?? Infinity) <= state.history.length,
    );
    if (control.dumpBatches) {
      await truncateJsonl(fs, control.dumpBatches, (e) => (e.step ?? Infinity) <= state.step);
    }
    log(`resuming at step ${state.step} (epoch ${state.epoch + 1}, batch ${state.batchInEpoch})`);
  } else {
    const options = resolveTrainOptions(trainOptions);
    const perEpoch = Math.ceil(examples.length / options.batchSize);
    const totalSteps = perEpoch * options.epochs;
    state = {
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      totalSteps,
      warmupSteps: Math.round(options.warmupFraction * totalSteps),
      random: globalRandom.getState(),
      trainExamples: examples.length,
      bestScore: -1,
      bestEpoch: -1,
      badEpochs: 0,
      epochLossSum: 0,
      epochLossCount: 0,
      history: [],
      options,
      meta,
      bertConfig: model.config.toJSON(),
    };
    await fs.writeFileAtomic(path(OUTPUT_FILES.log), "");
    if (control.dumpInit) {
      await saveTaggerFolder(fs, control.dumpInit, { model, tokenizer: input.tokenizer, meta });
    }
    if (control.dumpBatches) await fs.writeFileAtomic(control.dumpBatches, "");
  }
  const o = state.options;
  const opt = new AdamW(model.namedParameters(), {
    lr: o.lr,
    weightDecay: o.weightDecay,
    noDecay: bertNoDecay,
  });
  if (saved) {
    opt.loadState(saved.optimizer);
    globalRandom.setState(state.random);
  }

  // The tokenizer and config next to the checkpoint, so a resume needs nothing else.
  const files = checkpointFiles({
    config: model.config,
    weights: new Map(),
    tokenizer: input.tokenizer,
  });
  const saveCheckpoint = async () => {
    state.random = globalRandom.getState();
    const checkpoint = {
      state,
      model: await model.stateDict(),
      optimizer: await opt.state(),
    };
    await replaceFolder(fs, path(OUTPUT_FILES.checkpointDir), async (tmp) => {
      for (const name of ["vocab.txt", "tokenizer_config.json", "config.json"]) {
        await fs.writeFileAtomic(joinPath(tmp, name), files[name]);
      }
      await saveTrainingCheckpoint(fs, joinPath(tmp, CHECKPOINT_STATE), checkpoint);
    });
  };
  const bar = control.progress
    ? new ProgressBar(state.totalSteps, control.progress, state.step)
    : null;
  const mainTask = meta.mainTask;
  let trainMs = 0;
  let trainSentences = 0;
  let trainTokens = 0;
  let bestDev: Omit<Evaluation, "predictions"> | null = null;
  let completed = true;
  let stoppedEarly = state.badEpochs >= o.patience;
  const params = model.parameters();
  model.train();

  try {
    outer: while (state.epoch < o.epochs && !stoppedEarly) {
      const batches = makeBatches(examples, {
        batchSize: o.batchSize,
        shuffle: true,
        seed: o.seed * 1000 + state.epoch,
        // Checkpoints from before the option had length buckets.
        bucketByLength: o.lengthBuckets ?? true,
      });
      for (let b = state.batchInEpoch; b < batches.length; b++) {
        const batch = batches[b];
        const ts = performance.now();
        opt.lr = linearWarmupDecay(state.step, o.lr, state.warmupSteps, state.totalSteps);
        const shape = [batch.batchSize, batch.seqLen];
        if (control.dumpBatches) {
          await fs.appendFile(control.dumpBatches, batchJson(state, batch));
        }
        const { loss, perTask, norm } = tidy(() => {
          const labels: Record<string, ReturnType<typeof tensor>> = {};
          for (const [t, l] of Object.entries(batch.labels)) labels[t] = tensor(l, shape);
          const r = model.loss({
            inputIds: tensor(batch.inputIds, shape),
            attentionMask: tensor(batch.attentionMask, shape),
          }, labels);
          r.loss.backward();
          const { norm, scale } = clipGradNorm(params, o.clipNorm);
          opt.step(scale);
          model.zeroGrad();
          return { ...r, norm };
        });
        const value = await loss.item();
        const gradNorm = await norm.item();
        norm.dispose();
        const taskLoss: Record<string, number> = {};
        for (const [t, l] of Object.entries(perTask)) taskLoss[t] = await l.item(), l.dispose();
        loss.dispose();
        trainMs += performance.now() - ts;
        state.step++;
        state.batchInEpoch = b + 1;
        const tokens = batch.attentionMask.reduce((s, x) => s + x, 0);
        trainSentences += batch.batchSize;
        trainTokens += tokens;
        await fs.appendFile(
          path(OUTPUT_FILES.log),
          JSON.stringify({
            type: "step",
            step: state.step,
            epoch: state.epoch,
            lr: opt.lr,
            loss: value,
            tasks: taskLoss,
            gradNorm,
          }) + "\n",
        );
        if (!Number.isFinite(value)) {
          bar?.break();
          throw new NonFiniteLossError(state.step, value, path(OUTPUT_FILES.checkpoint));
        }
        state.epochLossSum += value;
        state.epochLossCount++;
        bar?.update(state.step, {
          sentences: batch.batchSize,
          tokens,
          loss: value,
          epoch: state.epoch,
        });
        if (control.checkpointEvery && state.step % control.checkpointEvery === 0) {
          await saveCheckpoint();
        }
        if (control.stopAfterStep !== undefined && state.step >= control.stopAfterStep) {
          await saveCheckpoint();
          completed = false;
          break outer;
        }
      }
      bar?.break();
      const dev = await evaluateTagger(model, input.dev, labelMaps, mainTask, {
        batchSize: o.evalBatchSize,
        onBatch: control.progress &&
          evaluationProgress(`epoch ${state.epoch + 1} dev`, control.progress),
      });
      model.train();
      const { predictions: _p, ...devScores } = dev;
      const meanLoss = state.epochLossSum / Math.max(1, state.epochLossCount);
      const record: EpochRecord = {
        epoch: state.epoch + 1,
        step: state.step,
        meanLoss,
        devScore: dev.mainScore,
        dev: devScores,
      };
      state.history.push(record);
      await fs.appendFile(
        path(OUTPUT_FILES.log),
        JSON.stringify({ type: "eval", ...record }) + "\n",
      );
      const improved = dev.mainScore > state.bestScore;
      log(
        `epoch ${state.epoch + 1}: loss ${meanLoss.toFixed(4)} | dev ${
          summarizeEvaluation(dev, mainTask)
        }${improved ? " (best)" : ""}`,
      );
      if (improved) {
        state.bestScore = dev.mainScore;
        state.bestEpoch = state.epoch + 1;
        state.badEpochs = 0;
        bestDev = devScores;
        await saveTaggerOutput(fs, outDir, { model, tokenizer: input.tokenizer, meta });
      } else state.badEpochs++;
      state.epoch++;
      state.batchInEpoch = 0;
      state.epochLossSum = 0;
      state.epochLossCount = 0;
      await saveCheckpoint();
      if (state.badEpochs >= o.patience && state.epoch < o.epochs) {
        stoppedEarly = true;
        log(`early stopping: no better dev ${mainTask} score for ${o.patience} epochs`);
      }
    }
  } finally {
    opt.dispose();
  }
  if (!bestDev && state.bestEpoch > 0) {
    bestDev = state.history[state.bestEpoch - 1]?.dev as Omit<Evaluation, "predictions">;
  }
  const trainSeconds = trainMs / 1000;
  const result: TrainResult = {
    completed,
    alreadyFinished: false,
    stoppedEarly,
    steps: state.step,
    bestEpoch: state.bestEpoch,
    bestScore: state.bestScore,
    bestDev,
    history: state.history,
    seconds: (performance.now() - t0) / 1000,
    trainSeconds,
    sentencesPerSecond: trainSentences / Math.max(1e-9, trainSeconds),
    tokensPerSecond: trainTokens / Math.max(1e-9, trainSeconds),
  };
  if (completed) {
    await fs.writeFileAtomic(
      path(OUTPUT_FILES.metrics),
      JSON.stringify({ mainTask, options: o, ...result }, null, 2) + "\n",
    );
  }
  return result;
}

/** The checkpoint's file inside `checkpoint/`. */
const CHECKPOINT_STATE = OUTPUT_FILES.checkpoint.slice(OUTPUT_FILES.checkpointDir.length + 1);

/**
 * Lengthens a resumed run to `epochs`: the schedule's end moves to the new last update (warmup,
 * long past, stays), so the learning rate decays from where it is now to 0 at the new end.
 */
function extendRun(
  state: TrainingState,
  epochs: number,
  examples: number,
  log: (line: string) => void,
): void {
  const before = state.options.epochs;
  state.options = { ...state.options, epochs };
  state.totalSteps = Math.ceil(examples / state.options.batchSize) * epochs;
  log(
    `extending the run from ${before} to ${epochs} epochs: the learning rate now decays to 0 ` +
      `at update ${state.totalSteps}`,
  );
}

/** The result of resuming a finished run: its history, nothing done now. */
function finishedResult(state: TrainingState, seconds: number): TrainResult {
  const best = state.history[state.bestEpoch - 1]?.dev as Omit<Evaluation, "predictions">;
  return {
    completed: true,
    alreadyFinished: true,
    stoppedEarly: state.badEpochs >= state.options.patience && state.epoch < state.options.epochs,
    steps: state.step,
    bestEpoch: state.bestEpoch,
    bestScore: state.bestScore,
    bestDev: best ?? null,
    history: state.history,
    seconds,
    trainSeconds: 0,
    sentencesPerSecond: 0,
    tokensPerSecond: 0,
  };
}
