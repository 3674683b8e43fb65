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
} from "./src/tagging/sentence.ts";
export { tokenLine } from "./src/tagging/sentence.ts";
export {
  decodeCorpus,
  type DecodedEncoding,
  type DecodedText,
  ENCODING_NAMES,
  firstInvalidUtf8,
} from "./src/tagging/text_decode.ts";
export { type CsvRecordOptions, forEachCsvRecord } from "./src/tagging/csv_records.ts";
export { type CsvReaderOptions, GMB_COLUMNS, readCsvCorpus } from "./src/tagging/csv_reader.ts";
export {
  CONLL2003_COLUMNS,
  type ConllReaderOptions,
  readConll,
} from "./src/tagging/conll_reader.ts";
export {
  CONLLU_FIELDS,
  type ConlluField,
  type ConlluReaderOptions,
  readConllu,
} from "./src/tagging/conllu_reader.ts";
export { joinColumn, type JoinColumnOptions } from "./src/tagging/column_join.ts";
export {
  type Entity,
  extractEntities,
  type LabelParts,
  splitLabel,
} from "./src/tagging/entities.ts";
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
} from "./src/tagging/tag_scheme.ts";
export { LabelMap, type LabelMapJson, type LabelSite } from "./src/tagging/label_map.ts";
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
} from "./src/tagging/entity_metrics.ts";
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
} from "./src/tagging/alignment.ts";
export {
  chooseWordPositions,
  type MergeOptions,
  mergeWindowPredictions,
  splitIntoWindows,
  type Window,
  type WindowOptions,
  type WordSources,
} from "./src/tagging/windowing.ts";
export {
  type Batch,
  type BatchOptions,
  type Example,
  makeBatches,
  padBatch,
} from "./src/tagging/batching.ts";
export { Rng } from "./src/tagging/random.ts";
export { type Split, type SplitOptions, trainDevSplit } from "./src/tagging/split.ts";
export {
  incompleteBeta,
  logGamma,
  mean,
  type PairedInterval,
  pairedTInterval,
  sampleStd,
  studentTCdf,
  studentTQuantile,
} from "./src/tagging/statistics.ts";
export {
  approximateRandomization,
  type BootstrapResult,
  type CountMetric,
  metricFromCounts,
  pairedBootstrap,
  type SignificanceOptions,
  type SignificanceResult,
} from "./src/tagging/significance.ts";
export {
  fromWeightMap,
  MultiTaskTagger,
  type MultiTaskTaggerOptions,
  type TaggerLoss,
  type TaskHeadSpec,
  toWeightMap,
} from "./src/tagging/multitask_tagger.ts";
export {
  type EncodedSentence,
  encodeSentences,
  type EncodeSentencesOptions,
  windowExamples,
} from "./src/tagging/encode_corpus.ts";
export {
  argmaxRows,
  decodePredictions,
  predictEncoded,
  type PredictOptions,
} from "./src/tagging/inference.ts";
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
} from "./src/tagging/evaluate.ts";
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
} from "./src/tagging/tagger_folder.ts";
export {
  decodeTrainingCheckpoint,
  encodeTrainingCheckpoint,
  type EpochRecord,
  loadTrainingCheckpoint,
  type ResolvedTrainOptions,
  saveTrainingCheckpoint,
  type TrainingCheckpoint,
  type TrainingState,
} from "./src/tagging/checkpoint_state.ts";
export {
  OUTPUT_FILES,
  recoverOutput,
  resolveTrainOptions,
  type TrainControl,
  type TrainInput,
  type TrainOptions,
  type TrainResult,
  trainTagger,
} from "./src/tagging/trainer.ts";
export { CheckpointStateError, NonFiniteLossError } from "./src/tagging/trainer_errors.ts";
export {
  evaluationProgress,
  fmtTime,
  ProgressBar,
  type ProgressOptions,
} from "./src/tagging/progress.ts";
export {
  formatTagged,
  splitText,
  splitWords,
  type TaggedFormat,
  type TaggedSentence,
  type TaggerBundle,
  tagWords,
} from "./src/tagging/predict.ts";
export {
  DEMO_COLUMNS,
  type DemoCorpusOptions,
  generateDemoCorpus,
} from "./src/tagging/demo_corpus.ts";
export {
  buildVocab,
  type BuildVocabOptions,
  DEMO_BERT_SIZE,
  demoBert,
  demoTaggerMeta,
  SPECIAL_TOKENS,
} from "./src/tagging/demo_model.ts";
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
} from "./src/tagging/browser_session.ts";
export {
  type ArmComparison,
  type ArmSummary,
  type CompareSummary,
  type Spread,
  summarize,
  type SummarizeOptions,
  verdictOf,
} from "./src/tagging/compare/aggregate.ts";
export {
  buildGrid,
  type CompareJob,
  type EnvLookup,
  type GridSpec,
  selectJobs,
  shareFromEnv,
} from "./src/tagging/compare/grid.ts";
export type { JobResult, Prf as JobPrf } from "./src/tagging/compare/job_result.ts";
export { buildReport, type ReportContext, type ReportFiles } from "./src/tagging/compare/report.ts";
