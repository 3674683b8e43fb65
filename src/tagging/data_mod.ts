/**
 * Public API of the tensor-independent (data) side of the tagging pipeline: corpus readers, tag
 * schemes, label maps, entity metrics, sub-word alignment, windowing, batching, splitting and
 * significance statistics. Pure TypeScript, no Deno APIs.
 * @module
 */
export * from "./errors.ts";
export type {
  ProgressCallback,
  ReaderOptions,
  Sentence,
  SourceRef,
  TextEncodingName,
} from "./sentence.ts";
export { tokenLine } from "./sentence.ts";
export {
  decodeCorpus,
  type DecodedEncoding,
  type DecodedText,
  ENCODING_NAMES,
  firstInvalidUtf8,
} from "./text_decode.ts";
export { type CsvRecordOptions, forEachCsvRecord } from "./csv_records.ts";
export { type CsvReaderOptions, GMB_COLUMNS, readCsvCorpus } from "./csv_reader.ts";
export { CONLL2003_COLUMNS, type ConllReaderOptions, readConll } from "./conll_reader.ts";
export {
  CONLLU_FIELDS,
  type ConlluField,
  type ConlluReaderOptions,
  readConllu,
} from "./conllu_reader.ts";
export { joinColumn, type JoinColumnOptions } from "./column_join.ts";
export { type Entity, extractEntities, type LabelParts, splitLabel } from "./entities.ts";
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
} from "./tag_scheme.ts";
export { LabelMap, type LabelMapJson, type LabelSite } from "./label_map.ts";
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
} from "./entity_metrics.ts";
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
} from "./alignment.ts";
export {
  chooseWordPositions,
  type MergeOptions,
  mergeWindowPredictions,
  splitIntoWindows,
  type Window,
  type WindowOptions,
  type WordSources,
} from "./windowing.ts";
export { type Batch, type BatchOptions, type Example, makeBatches, padBatch } from "./batching.ts";
export { Rng } from "./random.ts";
export { type Split, type SplitOptions, trainDevSplit } from "./split.ts";
export {
  incompleteBeta,
  logGamma,
  mean,
  type PairedInterval,
  pairedTInterval,
  sampleStd,
  studentTCdf,
  studentTQuantile,
} from "./statistics.ts";
export {
  approximateRandomization,
  type BootstrapResult,
  type CountMetric,
  metricFromCounts,
  pairedBootstrap,
  type SignificanceOptions,
  type SignificanceResult,
} from "./significance.ts";
