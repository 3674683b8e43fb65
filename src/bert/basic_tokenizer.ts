/**
 * The text normalisation and word splitting that run before WordPiece, reproducing HF
 * `tokenizers`' BertNormalizer and BertPreTokenizer (what BertTokenizerFast uses):
 *
 * 1. clean_text: drop NUL, U+FFFD and control/format characters; map whitespace to ' '.
 * 2. handle_chinese_chars: surround each CJK ideograph with spaces.
 * 3. strip_accents (defaults to the lowercase flag): NFD, then drop nonspacing marks.
 * 4. lowercase: per code point (no context-dependent final sigma, as in Rust).
 * 5. pre-tokenize: split on whitespace, isolate every punctuation character, where
 *    punctuation is ASCII 33-47, 58-64, 91-96, 123-126 plus Unicode category P*.
 * @module
 */

import {
  isCjk,
  isCleanTextSpace,
  isNonspacingMark,
  isPunctuation,
  isRemovedByCleanText,
  isStrippable,
  isWhitespace,
  lowercaseCodePoint,
} from "./char_classes.ts";

/** BertNormalizer flags, as in tokenizer.json ("normalizer" of type "BertNormalizer"). */
export interface BertNormalizerOptions {
  /** Remove control characters and normalise whitespace (default true). */
  cleanText?: boolean;
  /** Put spaces around CJK ideographs (default true). */
  handleChineseChars?: boolean;
  /** Strip accents; null/undefined follows `lowercase` like original BERT. */
  stripAccents?: boolean | null;
  /** Lower-case the text (default true). */
  lowercase?: boolean;
}

/** Fully resolved normalizer flags. */
export interface ResolvedBertNormalizerOptions {
  /** Remove control characters and normalise whitespace. */
  cleanText: boolean;
  /** Put spaces around CJK ideographs. */
  handleChineseChars: boolean;
  /** Strip accents (NFD, then drop combining marks). */
  stripAccents: boolean;
  /** Lower-case the text. */
  lowercase: boolean;
}

/** Fill defaults: everything on, strip_accents following lowercase. */
export function resolveNormalizerOptions(
  o: BertNormalizerOptions = {},
): ResolvedBertNormalizerOptions {
  const lowercase = o.lowercase ?? true;
  return {
    cleanText: o.cleanText ?? true,
    handleChineseChars: o.handleChineseChars ?? true,
    stripAccents: o.stripAccents ?? lowercase,
    lowercase,
  };
}

/**
 * Apply BertNormalizer to a string. Every step is per code point, so one pass suffices.
 * (Rust runs NFD over the whole string; the canonical reordering that adds only matters
 * among non-Mn combining marks, which no BERT vocabulary distinguishes.)
 */
export function normalizeBertText(text: string, options: ResolvedBertNormalizerOptions): string {
  const { cleanText, handleChineseChars, stripAccents, lowercase } = options;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 && cp > 0x20 && cp !== 0x7f) {
      // Printable ASCII fast path: only lower-casing can change it.
      out += lowercase && cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : ch;
      continue;
    }
    if (cleanText) {
      if (isRemovedByCleanText(cp)) continue;
      if (isCleanTextSpace(cp)) {
        out += " ";
        continue;
      }
    }
    // Padding comes before accent stripping and lower-casing, which still apply to the
    // ideograph itself (CJK compatibility ideographs have singleton NFD decompositions).
    if (stripAccents && isNonspacingMark(cp)) continue;
    const pad = handleChineseChars && isCjk(cp);
    if (pad) out += " ";
    if (stripAccents && isStrippable(cp)) {
      for (const d of ch.normalize("NFD")) {
        const dc = d.codePointAt(0)!;
        if (!isNonspacingMark(dc)) out += lowercase ? lowercaseCodePoint(dc) : d;
      }
    } else {
      out += lowercase ? lowercaseCodePoint(cp) : ch;
    }
    if (pad) out += " ";
  }
  return out;
}

/**
 * BertPreTokenizer: split on whitespace (dropped) and isolate punctuation characters.
 * @returns the non-empty pieces in order
 */
export function preTokenizeBert(text: string): string[] {
  const words: string[] = [];
  let cur = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isWhitespace(cp)) {
      if (cur) words.push(cur), (cur = "");
    } else if (isPunctuation(cp)) {
      if (cur) words.push(cur), (cur = "");
      words.push(ch);
    } else {
      cur += ch;
    }
  }
  if (cur) words.push(cur);
  return words;
}

/** Normalizer + pre-tokenizer: text → words ready for WordPiece. */
export class BasicTokenizer {
  /** Resolved flags in use. */
  readonly options: ResolvedBertNormalizerOptions;
  /** Creates the tokenizer; missing flags take BERT's defaults (see `resolveNormalizerOptions`). */
  constructor(options: BertNormalizerOptions = {}) {
    this.options = resolveNormalizerOptions(options);
  }
  /** Normalize only (what tokenizers' `normalizer.normalize_str` returns). */
  normalize(text: string): string {
    return normalizeBertText(text, this.options);
  }
  /** Normalize, then split into words and punctuation. */
  tokenize(text: string): string[] {
    return preTokenizeBert(this.normalize(text));
  }
}
