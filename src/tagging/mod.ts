/**
 * Public API of the tagging side: everything in `data_mod.ts` (readers, schemes, label maps,
 * metrics, alignment, windows, batches, splits, statistics) plus the model side — the multi-task
 * tagger, encoding, inference, evaluation, training with resumable checkpoints, prediction
 * formatting, the saved-folder layout, and the generated demo corpus and BERT. No Deno APIs.
 * @module
 */
export * from "./data_mod.ts";
export {
  fromWeightMap,
  MultiTaskTagger,
  type MultiTaskTaggerOptions,
  type TaggerLoss,
  type TaskHeadSpec,
  toWeightMap,
} from "./multitask_tagger.ts";
export {
  type EncodedSentence,
  encodeSentences,
  type EncodeSentencesOptions,
  windowExamples,
} from "./encode_corpus.ts";
export { argmaxRows, decodePredictions, predictEncoded, type PredictOptions } from "./inference.ts";
export {
  evaluateTagger,
  type Evaluation,
  fillLabelIds,
  formatConllEvaluation,
  formatEntityTable,
  isEntityTask,
  scorePredictions,
  summarizeEvaluation,
  type TaskScores,
} from "./evaluate.ts";
export {
  createTagger,
  labelMapsOf,
  type LoadedTagger,
  loadTaggerFolder,
  parseTaggerMeta,
  saveTaggerFolder,
  TAGGER_FILES,
  type TaggerMeta,
} from "./tagger_folder.ts";
export {
  decodeTrainingCheckpoint,
  encodeTrainingCheckpoint,
  type EpochRecord,
  loadTrainingCheckpoint,
  type ResolvedTrainOptions,
  saveTrainingCheckpoint,
  type TrainingCheckpoint,
  type TrainingState,
} from "./checkpoint_state.ts";
export {
  OUTPUT_FILES,
  resolveTrainOptions,
  type TrainControl,
  type TrainInput,
  type TrainOptions,
  type TrainResult,
  trainTagger,
} from "./trainer.ts";
export { CheckpointStateError, NonFiniteLossError } from "./trainer_errors.ts";
export { fmtTime, ProgressBar, type ProgressOptions } from "./progress.ts";
export {
  formatTagged,
  splitText,
  splitWords,
  type TaggedFormat,
  type TaggedSentence,
  type TaggerBundle,
  tagWords,
} from "./predict.ts";
export { DEMO_COLUMNS, type DemoCorpusOptions, generateDemoCorpus } from "./demo_corpus.ts";
export {
  buildVocab,
  type BuildVocabOptions,
  DEMO_BERT_SIZE,
  demoBert,
  demoTaggerMeta,
  SPECIAL_TOKENS,
} from "./demo_model.ts";
