/**
 * Overlapping windows for sentences longer than the model's maximum length, and merging of the
 * windows' predictions back to one prediction per word. Nothing is truncated: windows cover every
 * sub-word, and each word is read from the window where it has the most context.
 * @module
 */
import { AlignmentError, TaggingArgumentError } from "../errors.ts";
import { firstSubwordMask, type SubwordEncoding, validateEncoding } from "./alignment.ts";

/** Options for {@link splitIntoWindows}. */
export interface WindowOptions {
  /** Maximum window length in sub-words, special tokens included (e.g. 512 for BERT). */
  maxLength: number;
  /**
   * Step between window starts, in content sub-words; default half the content budget. (The
   * overlap between consecutive windows is `budget − stride`, which is what HF tokenizers call
   * `stride`.)
   */
  stride?: number;
}

/** One window of a sentence's encoding, ready to batch. */
export interface Window extends SubwordEncoding {
  /** Per-task position labels sliced from the sentence's aligned labels. */
  labels: Record<string, Int32Array>;
  /** 1 where the position holds the first sub-word of a word in the full sentence. */
  isFirstSubword: Uint8Array;
  /** Number of leading special tokens copied from the sentence (e.g. 1 for [CLS]). */
  prefixLength: number;
  /** First content position covered, in content coordinates (specials excluded). */
  contentStart: number;
  /** One past the last content position covered. */
  contentEnd: number;
  /** Content length of the whole sentence. */
  contentLength: number;
}

/**
 * Splits an encoding (with its leading/trailing special tokens) into windows of at most
 * `maxLength` positions. Each window repeats the sentence's special prefix and suffix around a
 * slice of the content. Window starts are moved back to a word boundary when that still makes
 * progress, so words are split across windows only when one word exceeds the budget.
 * @throws TaggingArgumentError when `maxLength` leaves no room for content or `stride` is invalid.
 * @throws AlignmentError for a malformed encoding or label arrays of the wrong length.
 */
export function splitIntoWindows(
  enc: SubwordEncoding,
  labels: Record<string, Int32Array>,
  options: WindowOptions,
): Window[] {
  const n = enc.ids.length;
  validateEncoding(enc, Number.MAX_SAFE_INTEGER, "splitIntoWindows");
  for (const [task, l] of Object.entries(labels)) {
    if (l.length !== n) {
      throw new AlignmentError(
        "splitIntoWindows",
        `labels.${task} has ${l.length} entries for ${n} positions`,
      );
    }
  }
  let prefix = 0;
  while (prefix < n && enc.wordIds[prefix] === -1) prefix++;
  let suffix = 0;
  while (suffix < n - prefix && enc.wordIds[n - 1 - suffix] === -1) suffix++;
  const contentLength = n - prefix - suffix;
  const budget = options.maxLength - prefix - suffix;
  if (!Number.isInteger(options.maxLength) || budget < 1) {
    throw new TaggingArgumentError(
      "splitIntoWindows",
      `maxLength ${options.maxLength} leaves no room for content next to ${
        prefix + suffix
      } special tokens`,
    );
  }
  const stride = options.stride ?? Math.max(1, Math.floor(budget / 2));
  if (!Number.isInteger(stride) || stride < 1 || stride > budget) {
    throw new TaggingArgumentError(
      "splitIntoWindows",
      `stride must be an integer in [1, ${budget}], got ${stride}`,
    );
  }
  const mask = firstSubwordMask(enc);
  const cw = enc.wordIds.subarray(prefix, prefix + contentLength);

  const make = (cs: number, ce: number): Window => {
    const pick = <A extends Int32Array | Uint8Array>(a: A): A => {
      const len = prefix + (ce - cs) + suffix;
      const out = new (a.constructor as { new (n: number): A })(len);
      out.set(a.subarray(0, prefix), 0);
      out.set(a.subarray(prefix + cs, prefix + ce), prefix);
      out.set(a.subarray(n - suffix, n), prefix + (ce - cs));
      return out;
    };
    const wl: Record<string, Int32Array> = {};
    for (const [task, l] of Object.entries(labels)) wl[task] = pick(l);
    return {
      ids: pick(enc.ids),
      wordIds: pick(enc.wordIds),
      labels: wl,
      isFirstSubword: pick(mask),
      prefixLength: prefix,
      contentStart: cs,
      contentEnd: ce,
      contentLength,
    };
  };

  const windows: Window[] = [];
  let start = 0;
  for (;;) {
    const end = Math.min(start + budget, contentLength);
    windows.push(make(start, end));
    if (end >= contentLength) break;
    // The last window is kept full length (more context) by not starting past C - budget.
    const next = Math.min(start + stride, contentLength - budget);
    start = snapToWord(cw, next, start, end);
  }
  return windows;
}

/**
 * Moves a window start `next` onto a word boundary: back to the start of the word containing it
 * when that is still after the previous window's start, else forward to the next word start when
 * that leaves no gap after the previous window's end, else keeps `next` (a word longer than the
 * stride has to be cut somewhere).
 */
function snapToWord(cw: Int32Array, next: number, prevStart: number, prevEnd: number): number {
  const w = cw[next];
  if (w === -1 || next === 0 || cw[next - 1] !== w) return next;
  let back = next;
  while (back > 0 && cw[back - 1] === w) back--;
  if (back > prevStart) return back;
  let fwd = next;
  while (fwd < cw.length && cw[fwd] === w) fwd++;
  return fwd <= prevEnd && fwd < cw.length ? fwd : next;
}

/** Which window and position each word is read from (see {@link chooseWordPositions}). */
export interface WordSources {
  /** Window index per word, −1 when the word has no sub-word in any window. */
  window: Int32Array;
  /** Position inside that window, −1 likewise. */
  position: Int32Array;
}

/**
 * For each word, picks the window where its first sub-word has the most context: the largest
 * distance to a window edge that cuts the sentence (the sentence's own ends do not count as
 * cuts). Ties go to the earlier window.
 */
export function chooseWordPositions(windows: readonly Window[], nWords: number): WordSources {
  const window = new Int32Array(nWords).fill(-1);
  const position = new Int32Array(nWords).fill(-1);
  const best = new Float64Array(nWords).fill(-1);
  windows.forEach((win, k) => {
    const leftCut = win.contentStart > 0;
    const rightCut = win.contentEnd < win.contentLength;
    for (let i = win.prefixLength; i < win.prefixLength + win.contentEnd - win.contentStart; i++) {
      if (win.isFirstSubword[i] !== 1) continue;
      const w = win.wordIds[i];
      if (w < 0 || w >= nWords) {
        throw new AlignmentError(
          "chooseWordPositions",
          `window ${k} position ${i} has word ${w} outside [0, ${nWords})`,
        );
      }
      const c = win.contentStart + (i - win.prefixLength);
      const left = leftCut ? c - win.contentStart : Infinity;
      const right = rightCut ? win.contentEnd - 1 - c : Infinity;
      const score = Math.min(left, right);
      if (score > best[w]) {
        best[w] = score;
        window[w] = k;
        position[w] = i;
      }
    }
  });
  return { window, position };
}

/** Options for {@link mergeWindowPredictions}. */
export interface MergeOptions {
  /** Value for words that no window covers with a first sub-word; absent → error. */
  fillMissing?: number;
}

/**
 * Per-word predictions from per-window, per-position predictions (`predictions[k][i]` for window
 * `k`, position `i`; longer, padded arrays are fine).
 * @throws AlignmentError for a missing/short prediction array or an uncovered word.
 */
export function mergeWindowPredictions(
  windows: readonly Window[],
  predictions: readonly ArrayLike<number>[],
  nWords: number,
  options: MergeOptions = {},
): Int32Array {
  if (predictions.length !== windows.length) {
    throw new AlignmentError(
      "mergeWindowPredictions",
      `${predictions.length} prediction arrays for ${windows.length} windows`,
    );
  }
  windows.forEach((w, k) => {
    if (predictions[k].length < w.ids.length) {
      throw new AlignmentError(
        "mergeWindowPredictions",
        `window ${k} has ${w.ids.length} positions but ${predictions[k].length} predictions`,
      );
    }
  });
  const src = chooseWordPositions(windows, nWords);
  const out = new Int32Array(nWords);
  for (let w = 0; w < nWords; w++) {
    if (src.window[w] >= 0) out[w] = predictions[src.window[w]][src.position[w]];
    else if (options.fillMissing !== undefined) out[w] = options.fillMissing;
    else {
      throw new AlignmentError("mergeWindowPredictions", `word ${w} of ${nWords} is in no window`);
    }
  }
  return out;
}
