/**
 * WordPiece: greedy longest-match-first segmentation of one word into vocabulary pieces,
 * continuation pieces carrying the "##" prefix, exactly as HF tokenizers' WordPiece model.
 * @module
 */

import { TokenizerFormatError } from "./errors.ts";

/** WordPiece parameters (tokenizer.json "model" of type "WordPiece"). */
export interface WordPieceOptions {
  /** Token emitted for unmatched or over-long words (default "[UNK]"). */
  unkToken?: string;
  /** Prefix of word-internal pieces (default "##"). */
  continuingSubwordPrefix?: string;
  /** Words longer than this many code points become [UNK] (default 100). */
  maxInputCharsPerWord?: number;
}

// Distinct words in a corpus are few compared to tokens; caching them makes tokenizing a
// whole corpus several times faster. Bounded so memory stays flat on endless streams.
const CACHE_LIMIT = 50_000;

/** A WordPiece model over a fixed vocabulary. */
export class WordPiece {
  /** Token emitted for words that cannot be split into vocabulary pieces. */
  readonly unkToken: string;
  /** Prefix of word-internal pieces, e.g. "##". */
  readonly continuingSubwordPrefix: string;
  /** Words longer than this many code points become `unkToken` without being split. */
  readonly maxInputCharsPerWord: number;
  /** Id of `unkToken`. */
  readonly unkId: number;
  readonly #vocab: ReadonlyMap<string, number>;
  readonly #cache = new Map<string, readonly number[]>();

  /**
   * Creates the model; missing options take HF's defaults.
   * @param vocab token → id
   * @throws TokenizerFormatError when the unknown token is not in the vocabulary
   */
  constructor(vocab: ReadonlyMap<string, number>, options: WordPieceOptions = {}) {
    this.#vocab = vocab;
    this.unkToken = options.unkToken ?? "[UNK]";
    this.continuingSubwordPrefix = options.continuingSubwordPrefix ?? "##";
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    const unk = vocab.get(this.unkToken);
    if (unk === undefined) {
      throw new TokenizerFormatError(
        "WordPiece",
        `unknown token ${JSON.stringify(this.unkToken)} is not in the vocabulary`,
      );
    }
    this.unkId = unk;
  }

  /** Ids of the pieces of one (already normalized, pre-tokenized) word. */
  tokenizeToIds(word: string): readonly number[] {
    const hit = this.#cache.get(word);
    if (hit) return hit;
    const ids = this.#segment(word);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(word, ids);
    return ids;
  }

  #segment(word: string): number[] {
    // Code point boundaries (UTF-16 indices): pieces never split a surrogate pair, and the
    // length limit counts characters like Rust's `chars().count()`.
    const bounds: number[] = [0];
    for (let i = 0; i < word.length;) {
      i += word.codePointAt(i)! > 0xffff ? 2 : 1;
      bounds.push(i);
    }
    const nChars = bounds.length - 1;
    if (nChars > this.maxInputCharsPerWord) return [this.unkId];
    const ids: number[] = [];
    let start = 0;
    while (start < nChars) {
      let end = nChars;
      let found = -1;
      while (start < end) {
        const piece = word.slice(bounds[start], bounds[end]);
        const id = this.#vocab.get(start > 0 ? this.continuingSubwordPrefix + piece : piece);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }
}
