/**
 * Word ↔ sub-word alignment as pure functions over a tokenizer's output.
 *
 * A tokenizer yields, per sentence, sub-word `ids` and the word index of each sub-word
 * (`wordIds`, −1 for special tokens such as [CLS]/[SEP]). Training labels go on the first
 * sub-word of each word; predictions are read back from the same positions.
 * @module
 */
import { AlignmentError } from "../errors.ts";

/** Sub-word encoding of one sentence (or one window of it). */
export interface SubwordEncoding {
  /** Sub-word token ids. */
  ids: Int32Array;
  /** Word index of each sub-word; −1 for special tokens. */
  wordIds: Int32Array;
}

/** Label value ignored by the loss (PyTorch's `ignore_index` convention). */
export const IGNORE_INDEX: -100 = -100;

/** Options for {@link alignLabels}. */
export interface AlignOptions {
  /**
   * Label every sub-word with its word's label instead of only the first (reproduces the seed
   * project's behaviour). Default false.
   */
  labelAllSubwords?: boolean;
  /**
   * Accept words that received no sub-word (their labels are then simply not trained on).
   * Default false: such a word is reported, because dropping it silently would skew training.
   */
  allowUnrepresentedWords?: boolean;
}

/**
 * Checks that `enc` is well formed for a sentence of `nWords` words: equal lengths, word ids in
 * `[-1, nWords)`, and each word's sub-words contiguous and in word order.
 * @throws AlignmentError naming the position and values.
 */
export function validateEncoding(enc: SubwordEncoding, nWords: number, op = "validateEncoding") {
  if (enc.ids.length !== enc.wordIds.length) {
    throw new AlignmentError(
      op,
      `ids has ${enc.ids.length} entries but wordIds has ${enc.wordIds.length}`,
    );
  }
  let last = -1;
  for (let i = 0; i < enc.wordIds.length; i++) {
    const w = enc.wordIds[i];
    if (w === -1) continue;
    if (w < -1 || w >= nWords) {
      throw new AlignmentError(op, `wordIds[${i}] = ${w} is outside [-1, ${nWords})`);
    }
    if (w < last) {
      throw new AlignmentError(op, `wordIds[${i}] = ${w} after word ${last}: words out of order`);
    }
    last = w;
  }
}

/** Position of each word's first sub-word, −1 for a word without sub-words. */
export function firstSubwordPositions(enc: SubwordEncoding, nWords: number): Int32Array {
  validateEncoding(enc, nWords, "firstSubwordPositions");
  const first = new Int32Array(nWords).fill(-1);
  for (let i = 0; i < enc.wordIds.length; i++) {
    const w = enc.wordIds[i];
    if (w >= 0 && first[w] === -1) first[w] = i;
  }
  return first;
}

/** 1 at positions holding the first sub-word of a word, 0 elsewhere (specials included). */
export function firstSubwordMask(enc: SubwordEncoding): Uint8Array {
  const mask = new Uint8Array(enc.wordIds.length);
  let prev = -1;
  for (let i = 0; i < enc.wordIds.length; i++) {
    const w = enc.wordIds[i];
    if (w >= 0 && w !== prev) mask[i] = 1;
    if (w >= 0) prev = w;
  }
  return mask;
}

/**
 * Per-position label ids for one sentence: the first sub-word of word `w` gets `wordLabels[w]`,
 * specials and other sub-words get {@link IGNORE_INDEX} (or the word label with
 * `labelAllSubwords`).
 * @throws AlignmentError for a malformed encoding or a word without sub-words (see options).
 */
export function alignLabels(
  enc: SubwordEncoding,
  wordLabels: ArrayLike<number>,
  options: AlignOptions = {},
): Int32Array {
  const nWords = wordLabels.length;
  const first = firstSubwordPositions(enc, nWords);
  if (!options.allowUnrepresentedWords) {
    const missing = first.indexOf(-1);
    if (missing >= 0) {
      throw new AlignmentError("alignLabels", `word ${missing} of ${nWords} has no sub-words`);
    }
  }
  const out = new Int32Array(enc.wordIds.length).fill(IGNORE_INDEX);
  for (let i = 0; i < out.length; i++) {
    const w = enc.wordIds[i];
    if (w < 0) continue;
    if (options.labelAllSubwords || first[w] === i) out[i] = wordLabels[w];
  }
  return out;
}

/** Options for {@link wordPredictions}. */
export interface WordPredictionOptions {
  /** Value for words without sub-words; when absent such a word is an error. */
  fillMissing?: number;
}

/**
 * Reads per-word predictions from per-position predictions (the first sub-word's value).
 * @throws AlignmentError when `positionPredictions` is shorter than the encoding or a word has
 *   no sub-word and `fillMissing` is not given.
 */
export function wordPredictions(
  enc: SubwordEncoding,
  positionPredictions: ArrayLike<number>,
  nWords: number,
  options: WordPredictionOptions = {},
): Int32Array {
  if (positionPredictions.length < enc.wordIds.length) {
    throw new AlignmentError(
      "wordPredictions",
      `${positionPredictions.length} predictions for ${enc.wordIds.length} positions`,
    );
  }
  const first = firstSubwordPositions(enc, nWords);
  const out = new Int32Array(nWords);
  for (let w = 0; w < nWords; w++) {
    if (first[w] >= 0) out[w] = positionPredictions[first[w]];
    else if (options.fillMissing !== undefined) out[w] = options.fillMissing;
    else throw new AlignmentError("wordPredictions", `word ${w} of ${nWords} has no sub-words`);
  }
  return out;
}
