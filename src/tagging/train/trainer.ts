/**
 * The training loop of the multi-task tagger: AdamW (no decay on biases and LayerNorm weights),
 * linear warmup then linear decay, gradient clipping, seeded data order and dropout; an evaluation
 * on dev after every epoch keeping the best model by the main task's dev score (entity F1), early
 * stopping with patience; a JSONL log of every step and evaluation; resumable checkpoints; typed
 * events ({@link TrainEvents}) for whoever shows progress.
 *
 * The run is a sequence of named stages: {@link openRun} (fresh state, or the checkpoint's with
 * the logs cut back to it), then per epoch the updates ({@link TrainingRun.trainEpoch}), the dev
 * evaluation ({@link TrainingRun.evaluateEpoch}) and the checkpoint ({@link TrainingRun.endEpoch}),
 * and last the result and metrics.json ({@link TrainingRun.finish}). The output folder's layout and
 * clean-up are in output.ts.
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
import { replaceFolder } from "../../io/folder_swap.ts";
import type { BertTokenizer } from "../../bert/tokenizer.ts";
import { type Batch, type Example, makeBatches } from "../data/batching.ts";
import {
  type EpochRecord,
  loadTrainingCheckpoint,
  saveTrainingCheckpoint,
  type TrainingCheckpoint,
  type TrainingState,
} from "./checkpoint_state.ts";
import { type EncodedSentence, windowExamples } from "../data/encode_corpus.ts";
import { evaluateTagger, type Evaluation, summarizeEvaluation } from "../model/evaluate.ts";
import type { MultiTaskTagger } from "../model/multitask_tagger.ts";
import { evaluationProgress, ProgressBar } from "./progress.ts";
import {
  labelMapsOf,
  saveTaggerFolder,
  saveTaggerOutput,
  type TaggerMeta,
} from "../model/tagger_folder.ts";
import { CheckpointStateError, NonFiniteLossError } from "./errors.ts";
import { TaggingArgumentError } from "../errors.ts";
import {
  resolveTrainOptions,
  type StepRecord,
  type TrainControl,
  type TrainOptions,
} from "./options.ts";
import { CHECKPOINT_STATE, OUTPUT_FILES, recoverOutput, truncateJsonl } from "./output.ts";

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
  const start = await openRun(input, trainOptions, control);
  if (start.done) return finishedResult(start.state, (performance.now() - t0) / 1000);
  const run = new TrainingRun(input, control, start);
  try {
    await run.trainEpochs();
  } finally {
    run.dispose();
  }
  return await run.finish(t0);
}

/** Where {@link openRun} leaves a run: its state, and the checkpoint it resumes. */
interface RunStart {
  /** A resume of a run that had already finished: nothing to do. */
  done: boolean;
  state: TrainingState;
  examples: Example[];
  saved?: TrainingCheckpoint;
}

/**
 * Set-up: cleans up after an interrupted run, windows the training data, and either loads the
 * checkpoint (model parameters restored, logs cut back to its step) or starts a fresh state.
 */
async function openRun(
  input: TrainInput,
  trainOptions: TrainOptions,
  control: TrainControl,
): Promise<RunStart> {
  const { fs, outDir } = input;
  await fs.mkdirp(outDir);
  await recoverOutput(fs, outDir);
  const { examples } = windowExamples(input.train);
  if (examples.length === 0) throw new TaggingArgumentError("train", "no training sentences");
  const ckpt = joinPath(outDir, OUTPUT_FILES.checkpoint);
  const saved = control.resume ? await loadTrainingCheckpoint(fs, ckpt) : undefined;
  if (!saved) {
    const state = await startFresh(input, trainOptions, control, examples.length);
    return { done: false, state, examples };
  }
  const state = saved.state;
  if (state.trainExamples !== examples.length) {
    throw new CheckpointStateError(
      ckpt,
      `was made on ${state.trainExamples} training examples, this run has ${examples.length}: resume with the same data and settings`,
    );
  }
  const log = control.log ?? (() => {});
  if (control.extendEpochs !== undefined && control.extendEpochs > state.options.epochs) {
    extendRun(state, control.extendEpochs, examples.length, log);
  }
  if (finished(state) && (await fs.exists(joinPath(outDir, OUTPUT_FILES.metrics)))) {
    return { done: true, state, examples };
  }
  // Parameters first: AdamW holds the parameter tensors it updates.
  input.model.loadStateDict(saved.model);
  await cutLogsBack(fs, outDir, state, control.dumpBatches);
  log(`resuming at step ${state.step} (epoch ${state.epoch + 1}, batch ${state.batchInEpoch})`);
  return { done: false, state, examples, saved };
}

/** The log and batch dump hold exactly the checkpoint's steps: later ones are redone. */
async function cutLogsBack(
  fs: FileSystem,
  outDir: string,
  state: TrainingState,
  dumpBatches: string | undefined,
): Promise<void> {
  await truncateJsonl(
    fs,
    joinPath(outDir, OUTPUT_FILES.log),
    (e) =>
      e.type === "step"
        ? (e.step ?? Infinity) <= state.step
        : e.type === "eval" && (e.epoch ?? Infinity) <= state.history.length,
  );
  if (dumpBatches) await truncateJsonl(fs, dumpBatches, (e) => (e.step ?? Infinity) <= state.step);
}

/** A fresh run's state (the schedule sized from the data), an empty log and batch dump. */
async function startFresh(
  input: TrainInput,
  trainOptions: TrainOptions,
  control: TrainControl,
  examples: number,
): Promise<TrainingState> {
  const { model, fs, meta } = input;
  const options = resolveTrainOptions(trainOptions);
  const totalSteps = Math.ceil(examples / options.batchSize) * options.epochs;
  const state: TrainingState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    totalSteps,
    warmupSteps: Math.round(options.warmupFraction * totalSteps),
    random: globalRandom.getState(),
    trainExamples: examples,
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
  await fs.writeFileAtomic(joinPath(input.outDir, OUTPUT_FILES.log), "");
  if (control.dumpInit) {
    await saveTaggerFolder(fs, control.dumpInit, { model, tokenizer: input.tokenizer, meta });
  }
  if (control.dumpBatches) await fs.writeFileAtomic(control.dumpBatches, "");
  return state;
}

/** The losses and gradient norm of one update, read back from the device. */
interface UpdateValues {
  loss: number;
  tasks: Record<string, number>;
  gradNorm: number;
}

/** A run between {@link openRun} and its result: the optimizer, counters and the stages. */
class TrainingRun {
  readonly #opt: AdamW;
  readonly #bar: ProgressBar | null;
  readonly #state: TrainingState;
  readonly #examples: Example[];
  /** The tokenizer and config written next to the checkpoint, so a resume needs nothing else. */
  readonly #files: Record<string, Uint8Array>;
  #trainMs = 0;
  #trainSentences = 0;
  #trainTokens = 0;
  #bestDev: Omit<Evaluation, "predictions"> | null = null;
  #completed = true;
  #stoppedEarly: boolean;

  constructor(readonly input: TrainInput, readonly control: TrainControl, start: RunStart) {
    const state = start.state;
    const o = state.options;
    this.#state = state;
    this.#examples = start.examples;
    this.#files = checkpointFiles({
      config: input.model.config,
      weights: new Map(),
      tokenizer: input.tokenizer,
    });
    this.#opt = new AdamW(input.model.namedParameters(), {
      lr: o.lr,
      weightDecay: o.weightDecay,
      noDecay: bertNoDecay,
    });
    if (start.saved) {
      this.#opt.loadState(start.saved.optimizer);
      globalRandom.setState(state.random);
    }
    this.#bar = control.progress
      ? new ProgressBar(state.totalSteps, control.progress, state.step)
      : null;
    this.#stoppedEarly = state.badEpochs >= o.patience;
  }

  #path(p: string): string {
    return joinPath(this.input.outDir, p);
  }

  #log(line: string): void {
    this.control.log?.(line);
  }

  /** Epochs until the last, early stopping, or `stopAfterStep`. */
  async trainEpochs(): Promise<void> {
    this.input.model.train();
    const o = this.#state.options;
    while (this.#state.epoch < o.epochs && !this.#stoppedEarly) {
      if (!(await this.trainEpoch())) return;
      this.#bar?.break();
      await this.evaluateEpoch();
      await this.endEpoch();
    }
  }

  /** The rest of the current epoch's updates; false when stopped by `stopAfterStep`. */
  async trainEpoch(): Promise<boolean> {
    const state = this.#state;
    const control = this.control;
    const o = state.options;
    const batches = makeBatches(this.#examples, {
      batchSize: o.batchSize,
      shuffle: true,
      seed: o.seed * 1000 + state.epoch,
      // Checkpoints from before the option had length buckets.
      bucketByLength: o.lengthBuckets ?? true,
    });
    for (let b = state.batchInEpoch; b < batches.length; b++) {
      await this.trainStep(batches[b], b);
      if (control.checkpointEvery && state.step % control.checkpointEvery === 0) {
        await this.saveCheckpoint();
      }
      if (control.stopAfterStep !== undefined && state.step >= control.stopAfterStep) {
        await this.saveCheckpoint();
        this.#completed = false;
        return false;
      }
    }
    return true;
  }

  /** One update on batch `b` of the epoch: logged, reported, and stopped on a non-finite loss. */
  async trainStep(batch: Batch, b: number): Promise<void> {
    const state = this.#state;
    const ts = performance.now();
    this.#opt.lr = linearWarmupDecay(
      state.step,
      state.options.lr,
      state.warmupSteps,
      state.totalSteps,
    );
    if (this.control.dumpBatches) {
      await this.input.fs.appendFile(this.control.dumpBatches, batchJson(state, batch));
    }
    const values = await this.#update(batch);
    this.#trainMs += performance.now() - ts;
    state.step++;
    state.batchInEpoch = b + 1;
    const tokens = batch.attentionMask.reduce((s, x) => s + x, 0);
    this.#trainSentences += batch.batchSize;
    this.#trainTokens += tokens;
    const record: StepRecord = {
      step: state.step,
      epoch: state.epoch,
      lr: this.#opt.lr,
      loss: values.loss,
      tasks: values.tasks,
      gradNorm: values.gradNorm,
    };
    const line = JSON.stringify({ type: "step", ...record }) + "\n";
    await this.input.fs.appendFile(this.#path(OUTPUT_FILES.log), line);
    const sentences = batch.batchSize;
    await this.control.events?.onStep?.({
      ...record,
      totalSteps: state.totalSteps,
      sentences,
      tokens,
    });
    if (!Number.isFinite(values.loss)) {
      this.#bar?.break();
      throw new NonFiniteLossError(state.step, values.loss, this.#path(OUTPUT_FILES.checkpoint));
    }
    state.epochLossSum += values.loss;
    state.epochLossCount++;
    this.#bar?.update(state.step, { sentences, tokens, loss: values.loss, epoch: state.epoch });
  }

  /** Forward, backward, clip and AdamW step on `batch`; the values read back. */
  async #update(batch: Batch): Promise<UpdateValues> {
    const { model } = this.input;
    const params = model.parameters();
    const shape = [batch.batchSize, batch.seqLen];
    const { loss, perTask, norm } = tidy(() => {
      const labels: Record<string, ReturnType<typeof tensor>> = {};
      for (const [t, l] of Object.entries(batch.labels)) labels[t] = tensor(l, shape);
      const r = model.loss({
        inputIds: tensor(batch.inputIds, shape),
        attentionMask: tensor(batch.attentionMask, shape),
      }, labels);
      r.loss.backward();
      const { norm, scale } = clipGradNorm(params, this.#state.options.clipNorm);
      this.#opt.step(scale);
      model.zeroGrad();
      return { ...r, norm };
    });
    const value = await loss.item();
    const gradNorm = await norm.item();
    norm.dispose();
    const tasks: Record<string, number> = {};
    for (const [t, l] of Object.entries(perTask)) tasks[t] = await l.item(), l.dispose();
    loss.dispose();
    return { loss: value, tasks, gradNorm };
  }

  /** The epoch's dev evaluation: logged, reported, the model saved when best; true then. */
  async evaluateEpoch(): Promise<boolean> {
    const { model, fs, outDir, meta, tokenizer } = this.input;
    const state = this.#state;
    const progress = this.control.progress;
    const dev = await evaluateTagger(model, this.input.dev, labelMapsOf(meta), meta.mainTask, {
      batchSize: state.options.evalBatchSize,
      onBatch: progress && evaluationProgress(`epoch ${state.epoch + 1} dev`, progress),
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
      this.#path(OUTPUT_FILES.log),
      JSON.stringify({ type: "eval", ...record }) + "\n",
    );
    const improved = dev.mainScore > state.bestScore;
    this.#log(
      `epoch ${state.epoch + 1}: loss ${meanLoss.toFixed(4)} | dev ${
        summarizeEvaluation(dev, meta.mainTask)
      }${improved ? " (best)" : ""}`,
    );
    await this.control.events?.onEvaluation?.({ record, improved });
    if (improved) {
      state.bestScore = dev.mainScore;
      state.bestEpoch = state.epoch + 1;
      state.badEpochs = 0;
      this.#bestDev = devScores;
      await saveTaggerOutput(fs, outDir, { model, tokenizer, meta });
    } else state.badEpochs++;
    return improved;
  }

  /** Closes the epoch: counters reset, a checkpoint, early stopping by patience. */
  async endEpoch(): Promise<void> {
    const state = this.#state;
    const o = state.options;
    state.epoch++;
    state.batchInEpoch = 0;
    state.epochLossSum = 0;
    state.epochLossCount = 0;
    await this.saveCheckpoint();
    if (state.badEpochs >= o.patience && state.epoch < o.epochs) {
      this.#stoppedEarly = true;
      this.#log(
        `early stopping: no better dev ${this.input.meta.mainTask} score for ${o.patience} epochs`,
      );
    }
  }

  /** Writes `checkpoint/` as a whole (tokenizer and config beside the state, for a resume). */
  async saveCheckpoint(): Promise<void> {
    const { model, fs } = this.input;
    const files = this.#files;
    const state = this.#state;
    state.random = globalRandom.getState();
    const checkpoint = {
      state,
      model: await model.stateDict(),
      optimizer: await this.#opt.state(),
    };
    await replaceFolder(fs, this.#path(OUTPUT_FILES.checkpointDir), async (tmp) => {
      for (const name of ["vocab.txt", "tokenizer_config.json", "config.json"]) {
        await fs.writeFileAtomic(joinPath(tmp, name), files[name]);
      }
      await saveTrainingCheckpoint(fs, joinPath(tmp, CHECKPOINT_STATE), checkpoint);
    });
    await this.control.events?.onCheckpoint?.({
      step: state.step,
      epoch: state.epoch,
      path: this.#path(OUTPUT_FILES.checkpoint),
    });
  }

  /** Frees the optimizer's state. */
  dispose(): void {
    this.#opt.dispose();
  }

  /** The run's result; metrics.json when it completed. */
  async finish(t0: number): Promise<TrainResult> {
    const state = this.#state;
    const bestDev = this.#bestDev ??
      (state.bestEpoch > 0
        ? state.history[state.bestEpoch - 1]?.dev as Omit<Evaluation, "predictions">
        : null);
    const trainSeconds = this.#trainMs / 1000;
    const result: TrainResult = {
      completed: this.#completed,
      alreadyFinished: false,
      stoppedEarly: this.#stoppedEarly,
      steps: state.step,
      bestEpoch: state.bestEpoch,
      bestScore: state.bestScore,
      bestDev,
      history: state.history,
      seconds: (performance.now() - t0) / 1000,
      trainSeconds,
      sentencesPerSecond: this.#trainSentences / Math.max(1e-9, trainSeconds),
      tokensPerSecond: this.#trainTokens / Math.max(1e-9, trainSeconds),
    };
    if (this.#completed) {
      const { mainTask } = this.input.meta;
      await this.input.fs.writeFileAtomic(
        this.#path(OUTPUT_FILES.metrics),
        JSON.stringify({ mainTask, options: state.options, ...result }, null, 2) + "\n",
      );
    }
    return result;
  }
}

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
