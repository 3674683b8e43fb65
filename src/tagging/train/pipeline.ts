/**
 * The one training pipeline behind `train`, `compare` and the browser page: set-up (seed, model,
 * pretrained encoder and heads, encoded data) → epochs ({@link trainTagger}) → evaluation of the
 * best model on the test set → save (the output folder the trainer writes). Callers differ only in
 * where the model and data come from and in what they do with the events and the result.
 * @module
 */
import { setSeed } from "../../core/random.ts";
import type { BertConfig } from "../../bert/config.ts";
import type { BertTokenizer } from "../../bert/tokenizer.ts";
import type { WeightMap } from "../../bert/weights.ts";
import type { FileSystem } from "../../io/file_system.ts";
import { type EncodedSentence, encodeSentences } from "../data/encode_corpus.ts";
import type { Sentence } from "../data/sentence.ts";
import { evaluateTagger, type Evaluation } from "../model/evaluate.ts";
import type { MultiTaskTagger } from "../model/multitask_tagger.ts";
import {
  createTagger,
  labelMapsOf,
  loadTaggerFolder,
  type TaggerMeta,
} from "../model/tagger_folder.ts";
import type { TrainControl, TrainEvents, TrainOptions } from "./options.ts";
import { evaluationProgress } from "./progress.ts";
import { type TrainResult, trainTagger } from "./trainer.ts";

/** What a pipeline run trains: the model's parts and the sentences (encoded by the pipeline). */
export interface PipelineSpec {
  /** The encoder's config. */
  config: BertConfig;
  /** Its tokenizer. */
  tokenizer: BertTokenizer;
  /** Tasks, label maps and settings of the tagger. */
  meta: TaggerMeta;
  /** Pretrained encoder weights; a random encoder when absent. */
  encoder?: WeightMap | null;
  /** Task heads taken over from a fine-tuned checkpoint. */
  heads?: WeightMap;
  /** Seed of the initialisation and dropout, set before any parameter exists. */
  initSeed: number;
  /** Training sentences. */
  train: readonly Sentence[];
  /** Dev sentences (evaluated after every epoch). */
  dev: readonly Sentence[];
  /** Test sentences, scored with the best model once training is complete. */
  test?: readonly Sentence[];
  /** The file system the output folder is written through. */
  fs: FileSystem;
  /** Where the output folder goes. */
  outDir: string;
}

/** The trainer's events plus the pipeline's own. */
export interface PipelineEvents extends TrainEvents {
  /** After set-up, before the first update. */
  onStart?: (info: { parameters: number }) => void | Promise<void>;
  /** After training, before the test set is scored. */
  onTrained?: (result: TrainResult) => void | Promise<void>;
}

/** Run control of a pipeline run. */
export interface PipelineControl extends TrainControl {
  /** Typed progress events. */
  events?: PipelineEvents;
  /** Label of the test evaluation's progress line ["test"]. */
  testLabel?: string;
}

/** Outcome of {@link runTrainingPipeline}. */
export interface PipelineResult {
  /** What the trainer reports. */
  train: TrainResult;
  /** The best model's evaluation on `spec.test` (with predictions); absent without a test set or
   * when training stopped before the end. */
  test?: Evaluation;
}

/** The pipeline's encoded data. */
interface EncodedData {
  train: EncodedSentence[];
  dev: EncodedSentence[];
  test?: EncodedSentence[];
}

/** Set-up: the seeded model with its pretrained parts, and the encoded sentences. */
export function setUpTraining(spec: PipelineSpec): { model: MultiTaskTagger; data: EncodedData } {
  const { meta } = spec;
  // Seeded before any parameter exists: the same seed gives the same initial weights.
  setSeed(spec.initSeed);
  const model = createTagger(spec.config, meta, { pretrainedEncoder: !!spec.encoder });
  if (spec.encoder) model.loadEncoder(spec.encoder);
  if (spec.heads) model.loadHeads(spec.heads);
  const labelMaps = labelMapsOf(meta);
  const encode = (s: readonly Sentence[]) =>
    encodeSentences(s, spec.tokenizer, labelMaps, {
      maxLength: meta.maxLength,
      labelAllSubwords: meta.labelAllSubwords,
    });
  const data = {
    train: encode(spec.train),
    dev: encode(spec.dev),
    test: spec.test ? encode(spec.test) : undefined,
  };
  return { model, data };
}

/**
 * Set-up, training and the test evaluation of the best model saved in `spec.outDir`.
 * @throws what {@link trainTagger} throws (NonFiniteLossError, CheckpointStateError, …).
 */
export async function runTrainingPipeline(
  spec: PipelineSpec,
  options: TrainOptions = {},
  control: PipelineControl = {},
): Promise<PipelineResult> {
  const { model, data } = setUpTraining(spec);
  let train: TrainResult;
  try {
    await control.events?.onStart?.({ parameters: model.numParameters() });
    const { tokenizer, meta, fs, outDir } = spec;
    train = await trainTagger(
      { model, tokenizer, meta, train: data.train, dev: data.dev, fs, outDir },
      options,
      control,
    );
  } finally {
    model.dispose();
  }
  await control.events?.onTrained?.(train);
  if (!data.test || !train.completed) return { train };
  return { train, test: await scoreTest(spec, data.test, control) };
}

/** The best model (read back from the output folder) on the test set. */
async function scoreTest(
  spec: PipelineSpec,
  test: readonly EncodedSentence[],
  control: PipelineControl,
): Promise<Evaluation> {
  const best = await loadTaggerFolder(spec.fs, spec.outDir);
  try {
    const progress = control.progress;
    return await evaluateTagger(best.model, test, best.labelMaps, spec.meta.mainTask, {
      onBatch: progress && evaluationProgress(control.testLabel ?? "test", progress),
    });
  } finally {
    best.model.dispose();
  }
}
