/**
 * The corpus-independent sentence record every reader produces, plus shared reader options.
 * @module
 */

/** Where a sentence came from: file name, line of its first token, and each token's line. */
export interface SourceRef {
  /** File name as passed to the reader (used in error messages only). */
  file: string;
  /** 1-based line of the sentence's first token. */
  line: number;
  /**
   * 1-based line of every token. Readers always fill it: token lines are not `line + i` once
   * comments, multiword ranges or quoted multi-line fields intervene.
   */
  tokenLines?: Int32Array;
}

/** One tokenised sentence with any number of per-token annotation columns (POS, NER, ...). */
export interface Sentence {
  /** Surface forms, one per token. */
  words: string[];
  /** Per-token annotations keyed by column name; every array has `words.length` entries. */
  columns: Record<string, string[]>;
  /** Origin of the sentence, for messages. */
  source: SourceRef;
  /** Sentence id when the format has one (`# sent_id`, CSV `Sentence #` value). */
  id?: string;
}

/** Progress callback: `done` out of `total` units (characters of decoded text) processed. */
export type ProgressCallback = (done: number, total: number) => void;

/** Options every reader accepts. */
export interface ReaderOptions {
  /** File name used in error messages and `Sentence.source.file`; default `"<input>"`. */
  file?: string;
  /** Called periodically while parsing and once at the end with `done === total`. */
  onProgress?: ProgressCallback;
  /**
   * Byte decoding when the input is a `Uint8Array`: `"auto"` (default) follows a byte-order mark,
   * recognises BOM-less UTF-16, tries strict UTF-8 and falls back to windows-1252; a named encoding
   * fails with `DecodeError` on bytes that do not fit it.
   */
  encoding?: TextEncodingName;
}

/** Encodings the readers can decode. Latin-1 labels map to windows-1252, as in WHATWG. */
export type TextEncodingName =
  | "auto"
  | "utf-8"
  | "utf-16le"
  | "utf-16be"
  | "windows-1252"
  | "cp1252"
  | "latin1"
  | "iso-8859-1";

/** Line (1-based) of token `i` of `sentence`, falling back to `source.line + i`. */
export function tokenLine(sentence: Sentence, i: number): number {
  const lines = sentence.source.tokenLines;
  return lines !== undefined && i < lines.length ? lines[i] : sentence.source.line + i;
}
