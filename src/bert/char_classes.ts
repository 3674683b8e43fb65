/**
 * Character classes of HF `tokenizers`' BertNormalizer / BertPreTokenizer, backed by the
 * generated tables in unicode_tables.ts so results do not depend on the JS engine's
 * Unicode version. Code points below 0x10000 use a flag table built on first use;
 * astral code points use binary search over the range tables.
 * @module
 */

import {
  CJK_RANGES,
  CLEAN_SPACE_RANGES,
  CONTROL_RANGES,
  LOWERCASE_MULTI,
  LOWERCASE_RUNS,
  NONSPACING_MARK_RANGES,
  PUNCT_RANGES,
  STRIPPABLE_RANGES,
  WHITESPACE_RANGES,
} from "./unicode_tables.ts";

const CONTROL = 1;
const CLEAN_SPACE = 2;
const WHITESPACE = 4;
const PUNCT = 8;
const MARK = 16;
const STRIPPABLE = 32;
const CJK = 64;

const TABLES: ReadonlyArray<readonly [number, readonly number[]]> = [
  [CONTROL, CONTROL_RANGES],
  [CLEAN_SPACE, CLEAN_SPACE_RANGES],
  [WHITESPACE, WHITESPACE_RANGES],
  [PUNCT, PUNCT_RANGES],
  [MARK, NONSPACING_MARK_RANGES],
  [STRIPPABLE, STRIPPABLE_RANGES],
  [CJK, CJK_RANGES],
];

let BMP: Uint8Array | undefined;
function bmp(): Uint8Array {
  if (BMP) return BMP;
  BMP = new Uint8Array(0x10000);
  for (const [flag, r] of TABLES) {
    for (let i = 0; i < r.length; i += 2) {
      for (let c = r[i]; c <= Math.min(r[i + 1], 0xffff); c++) BMP[c] |= flag;
    }
  }
  return BMP;
}

function inRanges(r: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (cp < r[2 * m]) hi = m - 1;
    else if (cp > r[2 * m + 1]) lo = m + 1;
    else return true;
  }
  return false;
}

function has(flag: number, table: readonly number[], cp: number): boolean {
  return cp < 0x10000 ? (bmp()[cp] & flag) !== 0 : inRanges(table, cp);
}

/** Removed by clean_text: NUL, U+FFFD and control/format/private-use characters. */
export function isRemovedByCleanText(cp: number): boolean {
  return has(CONTROL, CONTROL_RANGES, cp);
}

/** Turned into a plain space by clean_text (tab, newlines, exotic spaces). */
export function isCleanTextSpace(cp: number): boolean {
  return has(CLEAN_SPACE, CLEAN_SPACE_RANGES, cp);
}

/** Whitespace the pre-tokenizer splits on (Rust `char::is_whitespace`). */
export function isWhitespace(cp: number): boolean {
  return has(WHITESPACE, WHITESPACE_RANGES, cp);
}

/** Punctuation the pre-tokenizer isolates: ASCII punctuation/symbols plus Unicode P*. */
export function isPunctuation(cp: number): boolean {
  return has(PUNCT, PUNCT_RANGES, cp);
}

/** CJK ideograph padded with spaces by handle_chinese_chars. */
export function isCjk(cp: number): boolean {
  return has(CJK, CJK_RANGES, cp);
}

/** Nonspacing mark (Mn), dropped by strip_accents. */
export function isNonspacingMark(cp: number): boolean {
  return has(MARK, NONSPACING_MARK_RANGES, cp);
}

/** Has a canonical decomposition that strip_accents applies. */
export function isStrippable(cp: number): boolean {
  return has(STRIPPABLE, STRIPPABLE_RANGES, cp);
}

const MULTI = new Map(LOWERCASE_MULTI);

/** Per-code-point lower-casing exactly as Rust `char::to_lowercase` in tokenizers. */
export function lowercaseCodePoint(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp);
  const multi = MULTI.get(cp);
  if (multi !== undefined) return multi;
  const r = LOWERCASE_RUNS;
  let lo = 0;
  let hi = r.length / 4 - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const start = r[4 * m];
    if (cp < start) hi = m - 1;
    else if (cp > r[4 * m + 1]) lo = m + 1;
    else {
      return (cp - start) % r[4 * m + 2] === 0
        ? String.fromCodePoint(cp + r[4 * m + 3])
        : String.fromCodePoint(cp);
    }
  }
  return String.fromCodePoint(cp);
}
