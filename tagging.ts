/**
 * `jointag/tagging`: the multi-task token tagger on `jointag/bert` — corpus readers (CoNLL,
 * CoNLL-U, CSV), tag schemes, label maps, sub-word alignment, windows and batches, the
 * MultiTaskTagger with its training loop and resumable checkpoints, inference, seqeval-style
 * metrics, significance statistics, the `compare` grid and report, the browser session, and the
 * generated demo corpus and BERT. No Deno API.
 *
 * @example
 * ```ts
 * import { demoBert, demoTaggerMeta, generateDemoCorpus } from "jointag/tagging";
 * const corpus = generateDemoCorpus({ sentences: 100, seed: 1 });
 * ```
 * @module
 */
export {
  AlignmentError,
  CorpusError,
  CorpusFormatError,
  DecodeError,
  EmptySentenceError,
  LabelMapFormatError,
  MissingColumnError,
  RaggedRowError,
  TaggingArgumentError,
  TagSchemeError,
  UnknownLabelError,
} from "./src/tagging/errors.ts";
export type {
  ProgressCallback,
  ReaderOptions,
  Sentence,
  SourceRef,
  TextEncodingName,
} from "./src/tagging/data/mod.ts";
export { tokenLine } from "./src/tagging/data/mod.ts";
export {
  decodeCorpus,
  type DecodedEncoding,
  type DecodedText,
  ENCODING_NAMES,
  firstInvalidUtf8,
} from "./src/tagging/data/mod.ts";
export { type CsvRecordOptions, forEachCsvRecord } from "./src/tagging/data/mod.ts";
export { type CsvReaderOptions, GMB_COLUMNS, readCsvCorpus } from "./src/tagging/data/mod.ts";
export { CONLL2003_COLUMNS, type ConllReaderOptions, readConll } from "./src/tagging/data/mod.ts";
export {
  CONLLU_FIELDS,
  type ConlluField,
  type ConlluReaderOptions,
  readConllu,
} from "./src/tagging/data/mod.ts";
export { joinColumn, type JoinColumnOptions } from "./src/tagging/data/mod.ts";
export {
  type Entity,
  extractEntities,
  type LabelParts,
  splitLabel,
} from "./src/tagging/data/mod.ts";
export {
  convertScheme,
  detectScheme,
  detectSchemeByMajority,
  entitiesToLabels,
  isChunkLabel,
  type SchemeVote,
  type TagScheme,
  toBioes,
  toIob2,
} from "./src/tagging/data/mod.ts";
export { LabelMap, type LabelMapJson, type LabelSite } from "./src/tagging/data/mod.ts";
export {
  type EntityCounts,
  type EntityReport,
  EntityScorer,
  evaluateEntities,
  f1FromCounts,
  type Prf,
  prfFromCounts,
  sentenceEntityCounts,
  tokenAccuracy,
} from "./src/tagging/metrics/mod.ts";
export {
  alignLabels,
  type AlignOptions,
  firstSubwordMask,
  firstSubwordPositions,
  IGNORE_INDEX,
  type SubwordEncoding,
  validateEncoding,
  type WordPredictionOptions,
  wordPredictions,
} from "./src/tagging/data/mod.ts";
export {
  chooseWordPositions,
  type MergeOptions,
  mergeWindowPredictions,
  splitIntoWindows,
  type Window,
  type WindowOptions,
  type WordSources,
} from "./src/tagging/data/mod.ts";
export {
  type Batch,
  type BatchOptions,
  type Example,
  makeBatches,
  padBatch,
} from "./src/tagging/data/mod.ts";
export { Rng } from "./src/tagging/data/mod.ts";
export { type Split, type SplitOptions, trainDevSplit } from "./src/tagging/data/mod.ts";
export {
  incompleteBeta,
  logGamma,
  mean,
  type PairedInterval,
  pairedTInterval,
  sampleStd,
  studentTCdf,
  studentTQuantile,
} from "./src/tagging/metrics/mod.ts";
export {
  approximateRandomization,
  type BootstrapResult,
  type CountMetric,
  metricFromCounts,
  pairedBootstrap,
  type SignificanceOptions,
  type SignificanceResult,
} from "./src/tagging/metrics/mod.ts";
export {
  fromWeightMap,
  MultiTaskTagger,
  type MultiTaskTaggerOptions,
  type TaggerLoss,
  type TaskHeadSpec,
  toWeightMap,
} from "./src/tagging/model/mod.ts";
export {
  type EncodedSentence,
  encodeSentences,
  type EncodeSentencesOptions,
  windowExamples,
} from "./src/tagging/data/mod.ts";
export {
  argmaxRows,
  decodePredictions,
  predictEncoded,
  type PredictOptions,
} from "./src/tagging/model/mod.ts";
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
} from "./src/tagging/model/mod.ts";
export {
  type BaseModelRef,
  createTagger,
  labelMapsOf,
  type LoadedTagger,
  loadTaggerFolder,
  MODEL_DIR,
  parseTaggerMeta,
  saveTaggerFolder,
  saveTaggerOutput,
  TAGGER_FILES,
  taggerFolderFiles,
  type TaggerFolderInput,
  type TaggerMeta,
  taggerModelDir,
  WEIGHTS_INDEX,
} from "./src/tagging/model/mod.ts";
export {
  decodeTrainingCheckpoint,
  encodeTrainingCheckpoint,
  type EpochRecord,
  loadTrainingCheckpoint,
  type ResolvedTrainOptions,
  saveTrainingCheckpoint,
  type TrainingCheckpoint,
  type TrainingState,
} from "./src/tagging/train/mod.ts";
export {
  type CheckpointEvent,
  type EvaluationEvent,
  OUTPUT_FILES,
  recoverOutput,
  resolveTrainOptions,
  type StepEvent,
  type TrainControl,
  type TrainEvents,
  type TrainInput,
  type TrainOptions,
  type TrainResult,
  trainTagger,
} from "./src/tagging/train/mod.ts";
export { CheckpointStateError, NonFiniteLossError } from "./src/tagging/train/mod.ts";
export {
  evaluationProgress,
  fmtTime,
  ProgressBar,
  type ProgressOptions,
} from "./src/tagging/train/mod.ts";
export {
  formatTagged,
  splitText,
  splitWords,
  type TaggedFormat,
  type TaggedSentence,
  type TaggerBundle,
  tagWords,
} from "./src/tagging/model/mod.ts";
export {
  DEMO_COLUMNS,
  type DemoCorpusOptions,
  generateDemoCorpus,
} from "./src/tagging/demo/mod.ts";
export {
  buildVocab,
  type BuildVocabOptions,
  DEMO_BERT_SIZE,
  demoBert,
  demoTaggerMeta,
  SPECIAL_TOKENS,
} from "./src/tagging/demo/mod.ts";
export {
  formatConllCorpus,
  type ModelSource,
  parseCorpusFile,
  SESSION_TASKS,
  SessionStateError,
  type SessionTrainOptions,
  type StepRecord,
  type TaggedWord,
  TaggerSession,
  type TrainCallbacks,
} from "./src/tagging/demo/mod.ts";
export {
  type ArmComparison,
  type ArmSummary,
  type CompareSummary,
  type Spread,
  summarize,
  type SummarizeOptions,
  verdictOf,
} from "./src/tagging/compare/mod.ts";
export {
  buildGrid,
  type CompareJob,
  type EnvLookup,
  type GridSpec,
  selectJobs,
  shareFromEnv,
} from "./src/tagging/compare/mod.ts";
export type { JobResult, Prf as JobPrf } from "./src/tagging/compare/mod.ts";
export { buildReport, type ReportContext, type ReportFiles } from "./src/tagging/compare/mod.ts";
