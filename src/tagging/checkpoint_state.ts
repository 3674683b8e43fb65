/**
 * The resumable training checkpoint: one safetensors file holding the model's parameters
 * (`model.<name>`), AdamW's moments (`adam_m.<name>`, `adam_v.<name>`) and, in its metadata, the
 * schedule position, the random generators' state, the early-stopping state, the label maps and
 * the configuration. One file written atomically (temp + rename): a crash while saving leaves the
 * previous checkpoint whole, never a mix of two steps.
 * @module
 */
import type { RandomState } from "../core/random.ts";
import type { AdamWState } from "../nn/optim/adamw.ts";
import type { HostTensor } from "../nn/module.ts";
import type { FileSystem } from "../bert/file_system.ts";
import { readSafetensors, readSafetensorsHeader, writeSafetensors } from "../bert/safetensors.ts";
import type { WeightMap } from "../bert/weights.ts";
import { CheckpointStateError } from "./trainer_errors.ts";
import type { TaggerMeta } from "./tagger_folder.ts";

/** One epoch's record in the history. */
export interface EpochRecord {
  epoch: number;
  step: number;
  meanLoss: number;
  devScore: number;
  dev: unknown;
}

/** Hyper-parameters that define a run (saved so a resumed run continues the same one). */
export interface ResolvedTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmupFraction: number;
  clipNorm: number;
  seed: number;
  patience: number;
  evalBatchSize: number;
  /** Length-bucketed batches (absent in checkpoints from before the option: true). */
  lengthBuckets?: boolean;
}

/** Where training stands. */
export interface TrainingState {
  /** Updates done so far (global). */
  step: number;
  /** Current epoch (0-based) and batches of it done. */
  epoch: number;
  batchInEpoch: number;
  /** Schedule: total updates and warmup updates. */
  totalSteps: number;
  warmupSteps: number;
  /** State of the library-wide generator (dropout masks). */
  random: RandomState;
  /** Number of training examples (windows), to catch a resume on different data. */
  trainExamples: number;
  /** Early stopping. */
  bestScore: number;
  bestEpoch: number;
  badEpochs: number;
  /** Sum and count of the current epoch's losses. */
  epochLossSum: number;
  epochLossCount: number;
  history: EpochRecord[];
  options: ResolvedTrainOptions;
  meta: TaggerMeta;
  /** The encoder's config.json. */
  bertConfig: Record<string, unknown>;
}

/** A checkpoint read back. */
export interface TrainingCheckpoint {
  state: TrainingState;
  /** Model parameters by tagger name (`bert.…`, `heads.…`). */
  model: Map<string, HostTensor>;
  optimizer: AdamWState;
}

const STATE_KEY = "jointag_training_state";

/** Serialises a checkpoint to bytes. */
export function encodeTrainingCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const w: WeightMap = new Map();
  for (const [n, t] of c.model) w.set(`model.${n}`, { dtype: "f32", shape: t.shape, data: t.data });
  const shapes = new Map([...c.model].map(([n, t]) => [n, t.shape]));
  for (const m of c.optimizer.moments) {
    const shape = shapes.get(m.name) ?? [m.m.length];
    w.set(`adam_m.${m.name}`, { dtype: "f32", shape, data: Float32Array.from(m.m) });
    w.set(`adam_v.${m.name}`, { dtype: "f32", shape, data: Float32Array.from(m.v) });
  }
  return writeSafetensors(w, {
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
    // AdamW.loadState only reads the values (tensor() takes any ArrayLike): skip a huge copy.
    return { name, m: mm as unknown as number[], v: vv as unknown as number[] };
  });
  const { optimizerStep, ...state } = parsed;
  return { state, model, optimizer: { step: optimizerStep, moments } };
}

/** Writes a checkpoint atomically. */
export async function saveTrainingCheckpoint(
  fs: FileSystem,
  path: string,
  c: TrainingCheckpoint,
): Promise<void> {
  await fs.writeFileAtomic(path, encodeTrainingCheckpoint(c));
}

/** Reads a checkpoint, or undefined when there is none. */
export async function loadTrainingCheckpoint(
  fs: FileSystem,
  path: string,
): Promise<TrainingCheckpoint | undefined> {
  if (!(await fs.exists(path))) return undefined;
  return decodeTrainingCheckpoint(await fs.readFile(path), path);
}
