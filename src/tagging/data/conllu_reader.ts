/**
 * Reader for CoNLL-U (Universal Dependencies) files.
 *
 * Ten tab-separated fields per token line; `#` comment lines precede each sentence and
 * `# sent_id = X` becomes `Sentence.id`. Multiword token ranges (`1-2`) and empty nodes (`1.1`)
 * are skipped so `words` are the syntactic words that carry UPOS/XPOS.
 * @module
 */
import { decodeCorpus } from "./text_decode.ts";
import { forEachLine, isBlankLine } from "./lines.ts";
import { CorpusFormatError, EmptySentenceError, RaggedRowError } from "../errors.ts";
import type { ReaderOptions, Sentence } from "./sentence.ts";

/** The ten CoNLL-U field names in file order. */
export const CONLLU_FIELDS = [
  "ID",
  "FORM",
  "LEMMA",
  "UPOS",
  "XPOS",
  "FEATS",
  "HEAD",
  "DEPREL",
  "DEPS",
  "MISC",
] as const;

/** One of the CoNLL-U field names. */
export type ConlluField = typeof CONLLU_FIELDS[number];

/** Options for {@link readConllu}. */
export interface ConlluReaderOptions extends ReaderOptions {
  /**
   * Output column name → CoNLL-U field to keep; default `{ pos: "UPOS" }`
   * (use `{ pos: "XPOS" }` for language-specific tags). Values are kept verbatim, `_` included.
   */
  fields?: Record<string, ConlluField>;
}

const SENT_ID = /^#\s*sent_id\s*=\s*(.*?)\s*$/;
const INT_ID = /^[1-9][0-9]*$/;
const RANGE_ID = /^[1-9][0-9]*-[1-9][0-9]*$/;
const EMPTY_ID = /^[0-9]+\.[1-9][0-9]*$/;

/**
 * Parses a CoNLL-U file from text or bytes.
 *
 * @throws RaggedRowError when a token line does not have 10 tab-separated fields.
 * @throws CorpusFormatError for a malformed or out-of-sequence ID, or a comment after tokens.
 * @throws EmptySentenceError for a sentence block with no syntactic words.
 */
export function readConllu(
  input: string | Uint8Array,
  options: ConlluReaderOptions = {},
): Sentence[] {
  const file = options.file ?? "<input>";
  const { text } = decodeCorpus(input, file, options.encoding);
  const mapping = options.fields ?? { pos: "UPOS" };
  const outNames = Object.keys(mapping);
  const fieldIdx = outNames.map((o) => {
    const i = (CONLLU_FIELDS as readonly string[]).indexOf(mapping[o]);
    if (i < 0) {
      throw new CorpusFormatError(file, 1, mapping[o], `not a CoNLL-U field (column "${o}")`);
    }
    return i;
  });

  const sentences: Sentence[] = [];
  let blockLine = 0; // first line of the current block, 0 when between blocks
  let id: string | undefined;
  let words: string[] = [];
  let columns: Record<string, string[]> = {};
  let lines: number[] = [];
  let firstTokenLine = 0;

  const reset = () => {
    blockLine = 0;
    id = undefined;
    words = [];
    columns = {};
    for (const o of outNames) columns[o] = [];
    lines = [];
    firstTokenLine = 0;
  };
  const close = () => {
    if (blockLine === 0) return;
    if (words.length === 0) {
      throw new EmptySentenceError(
        file,
        blockLine,
        `sentence${id === undefined ? "" : ` ${id}`} has no syntactic words`,
      );
    }
    const s: Sentence = {
      words,
      columns,
      source: { file, line: firstTokenLine, tokenLines: Int32Array.from(lines) },
    };
    if (id !== undefined) s.id = id;
    sentences.push(s);
    reset();
  };
  reset();

  forEachLine(text, (line, lineNumber) => {
    if (isBlankLine(line)) {
      close();
      return;
    }
    if (blockLine === 0) blockLine = lineNumber;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (firstTokenLine !== 0) {
        throw new CorpusFormatError(file, lineNumber, undefined, "comment line inside a sentence");
      }
      const m = SENT_ID.exec(line);
      if (m !== null) id = m[1];
      return;
    }
    const fields = line.split("\t");
    if (fields.length !== 10) throw new RaggedRowError(file, lineNumber, 10, fields.length);
    if (firstTokenLine === 0) firstTokenLine = lineNumber;
    const tokenId = fields[0];
    if (RANGE_ID.test(tokenId) || EMPTY_ID.test(tokenId)) return;
    if (!INT_ID.test(tokenId)) {
      throw new CorpusFormatError(
        file,
        lineNumber,
        "ID",
        `malformed token id ${JSON.stringify(tokenId)}`,
      );
    }
    if (Number(tokenId) !== words.length + 1) {
      throw new CorpusFormatError(
        file,
        lineNumber,
        "ID",
        `token id ${tokenId} out of sequence (expected ${words.length + 1})`,
      );
    }
    words.push(fields[1]);
    lines.push(lineNumber);
    for (let k = 0; k < outNames.length; k++) columns[outNames[k]].push(fields[fieldIdx[k]]);
  }, options.onProgress);
  close();
  return sentences;
}
