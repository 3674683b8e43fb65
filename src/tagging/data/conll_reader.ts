/**
 * Reader for whitespace-separated column files in the CoNLL-2003 style:
 *
 * ```
 * -DOCSTART- -X- -X- O
 *
 * EU NNP B-NP B-ORG
 * rejects VBZ B-VP O
 * ```
 *
 * One token per line, a blank line ends a sentence, `-DOCSTART-` lines are skipped. Fields are
 * separated by runs of spaces and tabs; a line with tabs whose tab-separated fields are exactly the
 * column count is split on tabs only, so a word may contain spaces (`Smith, Jr.` in a
 * tab-separated file, as `evaluate` writes its predictions). With
 * `comments: true` lines starting with `#` before a sentence's first token are comments and
 * `# sent_id = X` sets the sentence id (the layout of IOB files joined onto CoNLL-U).
 * @module
 */
import { decodeCorpus } from "./text_decode.ts";
import { forEachLine, isBlankLine, splitFields } from "./lines.ts";
import { EmptySentenceError, MissingColumnError, RaggedRowError } from "../errors.ts";
import type { ReaderOptions, Sentence } from "./sentence.ts";

/** Options for {@link readConll}. */
export interface ConllReaderOptions extends ReaderOptions {
  /** Names of the columns in file order; default `["word", "pos", "chunk", "ner"]`. */
  columns?: readonly string[];
  /** Which of `columns` holds the surface form; default `"word"`. */
  wordColumn?: string;
  /** First-field marker of document separator lines to skip; default `"-DOCSTART-"`. */
  docstart?: string;
  /** Treat `#` lines before a sentence's first token as comments (see module doc). */
  comments?: boolean;
}

/** Column layout of the CoNLL-2003 English NER files. */
export const CONLL2003_COLUMNS: readonly string[] = Object.freeze([
  "word",
  "pos",
  "chunk",
  "ner",
]);

const SENT_ID = /^#\s*sent_id\s*[=:]?\s*(.*?)\s*$/;

/**
 * The fields of a token line: split on tabs when that gives exactly `count` fields (words with
 * spaces in a tab-separated file), else on runs of spaces/tabs.
 */
export function splitTokenLine(line: string, count: number): string[] {
  if (line.includes("\t")) {
    const tabbed = line.split("\t");
    if (tabbed.length === count && tabbed[0] !== "") return tabbed;
  }
  return splitFields(line);
}

/**
 * Parses a CoNLL column file from text or bytes.
 *
 * @throws RaggedRowError when a token line has a different number of fields than `columns`.
 * @throws MissingColumnError when `wordColumn` is not among `columns`.
 * @throws EmptySentenceError when a `# sent_id` comment block has no token lines.
 */
export function readConll(
  input: string | Uint8Array,
  options: ConllReaderOptions = {},
): Sentence[] {
  const file = options.file ?? "<input>";
  const names = options.columns ?? CONLL2003_COLUMNS;
  const wordColumn = options.wordColumn ?? "word";
  const wordIdx = names.indexOf(wordColumn);
  if (wordIdx < 0) throw new MissingColumnError(file, 1, wordColumn, names);
  const docstart = options.docstart ?? "-DOCSTART-";
  const comments = options.comments ?? false;
  const { text } = decodeCorpus(input, file, options.encoding);
  const others = names.map((_, i) => i).filter((i) => i !== wordIdx);

  const sentences: Sentence[] = [];
  let current: Sentence | undefined;
  let lines: number[] = [];
  let pendingId: string | undefined;
  let pendingLine = 0;

  const close = () => {
    if (current !== undefined) {
      current.source.tokenLines = Int32Array.from(lines);
      sentences.push(current);
    }
    current = undefined;
    pendingId = undefined;
  };

  forEachLine(text, (line, lineNumber) => {
    if (isBlankLine(line)) {
      if (current === undefined && pendingId !== undefined) {
        throw new EmptySentenceError(file, pendingLine, `sentence ${pendingId} has no tokens`);
      }
      close();
      return;
    }
    if (comments && current === undefined && line.charCodeAt(0) === 35 /* # */) {
      const m = SENT_ID.exec(line);
      if (m !== null) {
        pendingId = m[1];
        pendingLine = lineNumber;
      }
      return;
    }
    const fields = splitTokenLine(line, names.length);
    if (fields[0] === docstart) {
      close();
      return;
    }
    if (fields.length !== names.length) {
      throw new RaggedRowError(file, lineNumber, names.length, fields.length);
    }
    if (current === undefined) {
      const columns: Record<string, string[]> = {};
      for (const i of others) columns[names[i]] = [];
      current = { words: [], columns, source: { file, line: lineNumber } };
      if (pendingId !== undefined) current.id = pendingId;
      lines = [];
    }
    current.words.push(fields[wordIdx]);
    lines.push(lineNumber);
    for (const i of others) current.columns[names[i]].push(fields[i]);
  }, options.onProgress);
  if (current === undefined && pendingId !== undefined) {
    throw new EmptySentenceError(file, pendingLine, `sentence ${pendingId} has no tokens`);
  }
  close();
  return sentences;
}
