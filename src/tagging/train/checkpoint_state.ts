/**
 * The resumable training checkpoint: one safetensors file holding the model's parameters
 * (`model.<name>`), AdamW's moments (`adam_m.<name>`, `adam_v.<name>`) and, in its metadata, the
 * schedule position, the random generators' state, the early-stopping state, the label maps and
 * the configuration. One file written atomically (temp + rename): a crash while saving leaves the
 * previous checkpoint whole, never a mix of two steps.
 * @module
 */
import type { RandomState } from "../../core/random.ts";
import type { AdamWState } from "../../nn/optim/adamw.ts";
import type { HostTensor } from "../../nn/module.ts";
import { concatBytes, type FileSystem } from "../../io/file_system.ts";
import {
  readSafetensors,
  readSafetensorsHeader,
  safetensorsParts,
} from "../../bert/safetensors.ts";
import type { WeightMap } from "../../bert/weights.ts";
import { CheckpointStateError } from "./errors.ts";
import type { TaggerMeta } from "../model/tagger_folder.ts";

/** One epoch's record in the history. */
export interface EpochRecord {
  /** The epoch that ended (1-based). */
  epoch: number;
  /** Global updates done at its end. */
  step: number;
  /** Mean training loss over the epoch's updates. */
  meanLoss: number;
  /** The dev set's model-selection score (`Evaluation.mainScore`: entity micro F1 or accuracy). */
  devScore: number;
  /** The dev evaluation without its predictions (an `Evaluation` less `predictions`, as JSON). */
  dev: unknown;
}

/** Hyper-parameters that define a run (saved so a resumed run continues the same one). */
export interface ResolvedTrainOptions {
  /** Passes over the training data. */
  epochs: number;
  /** Windows per update. */
  batchSize: number;
  /** Peak learning rate (after warmup; decays linearly to 0). */
  lr: number;
  /** AdamW decoupled weight decay. */
  weightDecay: number;
  /** Fraction of all updates spent warming the learning rate up from 0. */
  warmupFraction: number;
  /** Global gradient-norm clip. */
  clipNorm: number;
  /** Seed of the data order. */
  seed: number;
  /** Epochs without a better dev score before stopping. */
  patience: number;
  /** Windows per evaluation forward pass. */
  evalBatchSize: number;
  /** Length-bucketed batches (absent in checkpoints from before the option: true). */
  lengthBuckets?: boolean;
}

/** Where training stands. */
export interface TrainingState {
  /** Updates done so far (global). */
  step: number;
  /** Current epoch (0-based). */
  epoch: number;
  /** Batches of the current epoch done. */
  batchInEpoch: number;
  /** Updates the learning-rate schedule spans. */
  totalSteps: number;
  /** Updates of linear warmup at the start of the schedule. */
  warmupSteps: number;
  /** State of the library-wide generator (dropout masks). */
  random: RandomState;
  /** Number of training examples (windows), to catch a resume on different data. */
  trainExamples: number;
  /** Early stopping: the best dev score so far. */
  bestScore: number;
  /** The epoch (1-based) that reached `bestScore`; its model is the saved tagger. */
  bestEpoch: number;
  /** Epochs since the last improvement (stops at `options.patience`). */
  badEpochs: number;
  /** Sum of the current epoch's losses. */
  epochLossSum: number;
  /** Number of losses in `epochLossSum`. */
  epochLossCount: number;
  /** One record per finished epoch. */
  history: EpochRecord[];
  /** The run's hyper-parameters; a resume continues with these. */
  options: ResolvedTrainOptions;
  /** The tagger's metadata (tasks, label maps, base model). */
  meta: TaggerMeta;
  /** The encoder's config.json. */
  bertConfig: Record<string, unknown>;
}

/** A checkpoint read back. */
export interface TrainingCheckpoint {
  /** Where training stands, from the file's metadata. */
  state: TrainingState;
  /** Model parameters by tagger name (`bert.…`, `heads.…`). */
  model: Map<string, HostTensor>;
  /** AdamW's step count and moments, for `AdamW.loadState`. */
  optimizer: AdamWState;
}

const STATE_KEY = "jointag_training_state";

/** Serialises a checkpoint to bytes. */
export function encodeTrainingCheckpoint(c: TrainingCheckpoint): Uint8Array {
  return concatBytes(trainingCheckpointParts(c));
}

/** The bytes of {@link encodeTrainingCheckpoint} as parts (views of the tensors, no copy). */
function trainingCheckpointParts(c: TrainingCheckpoint): Uint8Array[] {
  const w: WeightMap = new Map();
  for (const [n, t] of c.model) w.set(`model.${n}`, { dtype: "f32", shape: t.shape, data: t.data });
  const shapes = new Map([...c.model].map(([n, t]) => [n, t.shape]));
  for (const m of c.optimizer.moments) {
    const shape = shapes.get(m.name) ?? [m.m.length];
    w.set(`adam_m.${m.name}`, { dtype: "f32", shape, data: m.m });
    w.set(`adam_v.${m.name}`, { dtype: "f32", shape, data: m.v });
  }
  return safetensorsParts(w, {
    [STATE_KEY]: JSON.stringify({ ...c.state, optimizerStep: c.optimizer.step }),
  });
}

/** Parses bytes from {@link encodeTrainingCheckpoint}. @throws CheckpointStateError */
export function decodeTrainingCheckpoint(bytes: Uint8Array, source: string): TrainingCheckpoint {
  const header = readSafetensorsHeader(bytes, source);
  const raw = header.metadata[STATE_KEY];
  if (raw === undefined) throw new CheckpointStateError(source, `no ${STATE_KEY} metadata`);
  const parsed = JSON.parse(raw) as TrainingState & { optimizerStep: number };
  const weights = readSafetensors(bytes, source);
  const model = new Map<string, HostTensor>();
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const [name, t] of weights) {
    const dot = name.indexOf(".");
    const kind = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (kind === "model") model.set(rest, { shape: t.shape, data: t.data });
    else if (kind === "adam_m") m.set(rest, t.data);
    else if (kind === "adam_v") v.set(rest, t.data);
    else throw new CheckpointStateError(source, `unexpected tensor ${name}`);
  }
  const moments = [...m].map(([name, mm]) => {
    const vv = v.get(name);
    if (!vv) throw new CheckpointStateError(source, `adam_v.${name} missing`);
    return { name, m: mm, v: vv };
  });
  const { optimizerStep, ...state } = parsed;
  return { state, model, optimizer: { step: optimizerStep, moments } };
}

/** Writes a checkpoint atomically, tensor by tensor (the file is never assembled in memory). */
export async function saveTrainingCheckpoint(
  fs: FileSystem,
  path: string,
  c: TrainingCheckpoint,
): Promise<void> {
  await fs.writeFileAtomic(path, trainingCheckpointParts(c));
}

/** Reads a checkpoint, or undefined when there is none. */
export async function loadTrainingCheckpoint(
  fs: FileSystem,
  path: string,
): Promise<TrainingCheckpoint | undefined> {
  if (!(await fs.exists(path))) return undefined;
  return decodeTrainingCheckpoint(await fs.readFile(path), path);
}
