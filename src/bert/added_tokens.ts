/**
 * Added (mostly special) tokens such as [CLS] or [MASK] that are matched verbatim in the
 * input before normalisation, like HF tokenizers' AddedVocabulary: leftmost-longest
 * matching, optional lstrip / rstrip of surrounding whitespace and single-word matching.
 * @module
 */

import { isWhitespace } from "./char_classes.ts";

/** One added token (tokenizer.json "added_tokens" entry). */
export interface AddedToken {
  /** Id the token encodes to. */
  id: number;
  /** The text that is matched, e.g. `[CLS]`. */
  content: string;
  /** Skipped by decode(…, { skipSpecialTokens: true }). */
  special: boolean;
  /** Matched against the normalized text instead of the raw text. */
  normalized: boolean;
  /** Swallow whitespace on the left of a match. */
  lstrip: boolean;
  /** Swallow whitespace on the right of a match. */
  rstrip: boolean;
  /** Only match when not inside a word. */
  singleWord: boolean;
}

/** A piece of input: plain text to tokenize, or an added token already resolved to an id. */
export type Segment = { text: string; id?: undefined } | { text: string; id: number };

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

/** Leftmost-longest matcher over a set of added tokens. */
export class AddedTokenMatcher {
  readonly #tokens: ReadonlyArray<{ pattern: string; token: AddedToken }>;

  /**
   * Prepares matching of `tokens`; tokens whose pattern is empty never match.
   * @param tokens tokens to match
   * @param patternOf the string each token matches (its content, or its normalized form)
   */
  constructor(
    tokens: readonly AddedToken[],
    patternOf: (t: AddedToken) => string = (t) => t.content,
  ) {
    this.#tokens = tokens
      .map((token) => ({ pattern: patternOf(token), token }))
      .filter((t) => t.pattern.length > 0);
  }

  /** Whether any pattern exists (lets callers skip the scan). */
  get isEmpty(): boolean {
    return this.#tokens.length === 0;
  }

  /** Split text into plain segments and matched tokens, covering the input in order. */
  split(text: string): Segment[] {
    if (this.#tokens.length === 0 || text.length === 0) return [{ text }];
    const out: Segment[] = [];
    let emitted = 0; // end of what has been emitted so far
    let pos = 0;
    while (pos < text.length) {
      const m = this.#findFrom(text, pos);
      if (!m) break;
      let start = m.start;
      let stop = m.start + m.pattern.length;
      pos = stop; // like aho-corasick's non-overlapping iteration, even if discarded below
      const t = m.token;
      if (t.singleWord) {
        const before = start > 0 && WORD_CHAR.test(charBefore(text, start));
        const after = stop < text.length && WORD_CHAR.test(charAt(text, stop));
        if (before || after) continue;
      }
      if (t.lstrip) {
        let s = start;
        while (s > emitted) {
          const c = charBefore(text, s);
          if (!isWhitespace(c.codePointAt(0)!)) break;
          s -= c.length;
        }
        start = s;
      }
      if (t.rstrip) {
        while (stop < text.length) {
          const c = charAt(text, stop);
          if (!isWhitespace(c.codePointAt(0)!)) break;
          stop += c.length;
        }
        pos = stop;
      }
      if (emitted < start) out.push({ text: text.slice(emitted, start) });
      out.push({ text: text.slice(start, stop), id: t.id });
      emitted = stop;
    }
    if (emitted < text.length) out.push({ text: text.slice(emitted) });
    return out;
  }

  #findFrom(
    text: string,
    from: number,
  ): { start: number; pattern: string; token: AddedToken } | undefined {
    let best: { start: number; pattern: string; token: AddedToken } | undefined;
    for (const t of this.#tokens) {
      const i = text.indexOf(t.pattern, from);
      if (i < 0) continue;
      if (!best || i < best.start || (i === best.start && t.pattern.length > best.pattern.length)) {
        best = { start: i, pattern: t.pattern, token: t.token };
      }
    }
    return best;
  }
}

function charAt(s: string, i: number): string {
  return String.fromCodePoint(s.codePointAt(i)!);
}

function charBefore(s: string, i: number): string {
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.slice(i - 2, i);
  }
  return s[i - 1];
}
