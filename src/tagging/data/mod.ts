/**
 * The data side of tagging: corpus readers (CoNLL, CoNLL-U, CSV) and text decoding, tag schemes
 * and entities, label maps, sub-word alignment, windows, encoding, batches, splits and the seeded
 * data-side generator. No tensors, no Deno API.
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
} from "../errors.ts";
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
  type EncodedSentence,
  encodeSentences,
  type EncodeSentencesOptions,
  windowExamples,
} from "./encode_corpus.ts";
