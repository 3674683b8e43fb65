/**
 * Reader for the one-token-per-row CSV layout of the GMB/Kaggle NER corpus:
 *
 * ```
 * Sentence #,Word,POS,Tag
 * Sentence: 1,Thousands,NNS,O
 * ,of,IN,O
 * ```
 *
 * The sentence column is filled only on a sentence's first row (forward fill); files where every
 * row repeats the id work too, because a sentence starts only when the id changes.
 * @module
 */
import { decodeCorpus } from "./text_decode.ts";
import { forEachCsvRecord } from "./csv_records.ts";
import { CorpusFormatError, MissingColumnError, RaggedRowError } from "../errors.ts";
import type { ReaderOptions, Sentence } from "./sentence.ts";

/** Options for {@link readCsvCorpus}. */
export interface CsvReaderOptions extends ReaderOptions {
  /** Header of the sentence-id column; default `"Sentence #"`. */
  sentenceColumn?: string;
  /** Header of the word column; default `"Word"`. */
  wordColumn?: string;
  /**
   * Output column name → header name for the annotation columns to keep;
   * default `{ pos: "POS", ner: "Tag" }`.
   */
  columns?: Record<string, string>;
  /** Field delimiter; default `","`. */
  delimiter?: string;
}

/** Default mapping from output column names to the GMB header names. */
export const GMB_COLUMNS: Readonly<Record<string, string>> = Object.freeze({
  pos: "POS",
  ner: "Tag",
});

/**
 * Parses a sentence-per-id CSV corpus from text or bytes.
 *
 * @throws MissingColumnError when a configured header is absent (line 1).
 * @throws RaggedRowError when a row's field count differs from the header's.
 * @throws CorpusFormatError for an empty word/label, a first row without a sentence id, or a
 *   sentence id that reappears after another sentence.
 * @throws DecodeError when `encoding: "utf-8"` is forced and the bytes are not UTF-8.
 */
export function readCsvCorpus(
  input: string | Uint8Array,
  options: CsvReaderOptions = {},
): Sentence[] {
  const file = options.file ?? "<input>";
  const { text } = decodeCorpus(input, file, options.encoding);
  const sentenceHeader = options.sentenceColumn ?? "Sentence #";
  const wordHeader = options.wordColumn ?? "Word";
  const mapping = options.columns ?? GMB_COLUMNS;
  const outNames = Object.keys(mapping);

  let header: string[] | undefined;
  let sentenceIdx = -1;
  let wordIdx = -1;
  let colIdx: number[] = [];
  const sentences: Sentence[] = [];
  const seenIds = new Set<string>();
  let current: Sentence | undefined;
  let currentLines: number[] = [];
  let currentId = "";

  const finish = () => {
    if (current !== undefined) current.source.tokenLines = Int32Array.from(currentLines);
  };

  forEachCsvRecord(text, (fields, line) => {
    if (header === undefined) {
      header = fields.map((h) => h.trim());
      const find = (name: string) => {
        const i = header!.indexOf(name);
        if (i < 0) throw new MissingColumnError(file, line, name, header!);
        return i;
      };
      sentenceIdx = find(sentenceHeader);
      wordIdx = find(wordHeader);
      colIdx = outNames.map((o) => find(mapping[o]));
      return;
    }
    if (fields.length !== header.length) {
      throw new RaggedRowError(file, line, header.length, fields.length);
    }
    const id = fields[sentenceIdx].trim();
    if (id !== "" && id !== currentId) {
      if (seenIds.has(id)) {
        throw new CorpusFormatError(
          file,
          line,
          sentenceHeader,
          `sentence id ${JSON.stringify(id)} reappears after other sentences`,
        );
      }
      seenIds.add(id);
      finish();
      const columns: Record<string, string[]> = {};
      for (const o of outNames) columns[o] = [];
      current = { words: [], columns, source: { file, line }, id };
      currentLines = [];
      currentId = id;
      sentences.push(current);
    } else if (current === undefined) {
      throw new CorpusFormatError(file, line, sentenceHeader, "first row has no sentence id");
    }
    const word = fields[wordIdx];
    if (word === "") throw new CorpusFormatError(file, line, wordHeader, "empty word");
    current.words.push(word);
    currentLines.push(line);
    for (let k = 0; k < outNames.length; k++) {
      const value = fields[colIdx[k]];
      if (value === "") {
        throw new CorpusFormatError(file, line, mapping[outNames[k]], "empty label");
      }
      current.columns[outNames[k]].push(value);
    }
  }, { delimiter: options.delimiter, file, onProgress: options.onProgress });

  if (header === undefined) throw new MissingColumnError(file, 1, sentenceHeader, []);
  finish();
  return sentences;
}
