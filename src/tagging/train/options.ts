/**
 * What a training run is told: its hyper-parameters ({@link TrainOptions}, part of the run's
 * identity and saved in its checkpoint), run control that is not ({@link TrainControl}), and the
 * typed events it reports progress through ({@link TrainEvents}: every update, every dev
 * evaluation, every checkpoint), which the terminal's progress bar, the page's live plot and the
 * logs all read.
 * @module
 */
import type { EpochRecord, ResolvedTrainOptions } from "./checkpoint_state.ts";
import type { ProgressOptions } from "./progress.ts";
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
  /** Typed progress events. */
  events?: TrainEvents;
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

/** One update, as the trainer logs it (a `"step"` line of `train_log.jsonl`). */
export interface StepRecord {
  /** Global update number (1-based). */
  step: number;
  /** Epoch of the update (0-based). */
  epoch: number;
  /** Learning rate the update used. */
  lr: number;
  /** Weighted mean loss over the tasks. */
  loss: number;
  /** Each task's own loss. */
  tasks: Record<string, number>;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** What {@link TrainEvents.onStep} receives: the update's record and the run's size. */
export interface StepEvent extends StepRecord {
  /** Updates the run plans in all. */
  totalSteps: number;
  /** Sentences (windows) in the update's batch. */
  sentences: number;
  /** Unpadded sub-word tokens in the update's batch. */
  tokens: number;
}

/** What {@link TrainEvents.onEvaluation} receives after an epoch's dev evaluation. */
export interface EvaluationEvent {
  /** The epoch's record (also logged as an `"eval"` line). */
  record: EpochRecord;
  /** Whether the dev score is the best so far (the model was saved). */
  improved: boolean;
}

/** What {@link TrainEvents.onCheckpoint} receives after a checkpoint is in place. */
export interface CheckpointEvent {
  /** Global updates done. */
  step: number;
  /** Epochs done. */
  epoch: number;
  /** The checkpoint file. */
  path: string;
}

/** Progress of a run as typed events; each may be async (the run waits for it). */
export interface TrainEvents {
  /** After every update (also for a non-finite loss, before the run stops on it). */
  onStep?: (event: StepEvent) => void | Promise<void>;
  /** After every dev evaluation. */
  onEvaluation?: (event: EvaluationEvent) => void | Promise<void>;
  /** After every checkpoint. */
  onCheckpoint?: (event: CheckpointEvent) => void | Promise<void>;
}

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
