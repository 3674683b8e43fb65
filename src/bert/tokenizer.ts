/**
 * BertTokenizer: HF-exact BERT tokenization (BertNormalizer + BertPreTokenizer + WordPiece +
 * [CLS]/[SEP] template), including word ids for pre-split words, which is what a token
 * tagger needs to align sub-word predictions with input words.
 *
 * Own implementation rather than an npm tokenizer package: the BERT pipeline is small, this
 * one has no dependency, runs unchanged in Deno and browsers, and reproduces the Rust
 * `tokenizers` character classes for every code point (generated tables, see
 * tools/tokenizer_unicode_tables.py) instead of the JS engine's Unicode version.
 * @module
 */

import { type AddedToken, AddedTokenMatcher, type Segment } from "./added_tokens.ts";
import {
  type BertNormalizerOptions,
  normalizeBertText,
  preTokenizeBert,
  type ResolvedBertNormalizerOptions,
  resolveNormalizerOptions,
} from "./basic_tokenizer.ts";
import { TokenizerFormatError } from "./errors.ts";
import { WordPiece, type WordPieceOptions } from "./wordpiece.ts";

/** Decoder settings (tokenizer.json "decoder" of type "WordPiece"). */
export interface WordPieceDecoderOptions {
  /** Continuation prefix removed when joining (default "##"). */
  prefix: string;
  /** Apply HF's clean-up of spaces before punctuation and contractions (default true). */
  cleanup: boolean;
}

/** Everything that defines a BERT tokenizer besides its vocabulary. */
export interface BertTokenizerOptions extends BertNormalizerOptions, WordPieceOptions {
  /** Classification token that starts a sequence (default "[CLS]"). */
  clsToken?: string;
  /** Separator token that ends a sequence (default "[SEP]"). */
  sepToken?: string;
  /** Padding token (default "[PAD]"). */
  padToken?: string;
  /** Masked-language-model token (default "[MASK]"). */
  maskToken?: string;
  /**
   * Tokens matched verbatim before normalisation. Default: the five special tokens
   * ([PAD], [UNK], [CLS], [SEP], [MASK]) as special, non-normalized — what transformers'
   * BertTokenizer registers.
   */
  addedTokens?: Array<Partial<AddedToken> & { content: string }>;
  /**
   * Ids put around a single sequence. Default: [clsToken] before, [sepToken] after.
   * An empty object (no prefix, no suffix) disables special tokens.
   */
  template?: { prefix: number[]; suffix: number[] };
  /** Decoder settings (default WordPiece "##" with cleanup). */
  decoder?: WordPieceDecoderOptions | null;
  /** Longest sequence the model accepts (informational, from tokenizer_config.json). */
  modelMaxLength?: number;
}

/** Options for encode / encodeWords. */
export interface EncodeOptions {
  /** Add the [CLS] ... [SEP] template (default true). */
  addSpecialTokens?: boolean;
}

/** Result of {@link BertTokenizer.encodeWords}. */
export interface WordEncoding {
  /** Token ids, [CLS] and [SEP] included unless disabled. */
  ids: Int32Array;
  /** Index of the input word each token came from; -1 for template tokens. */
  wordIds: Int32Array;
}

/** Options for {@link BertTokenizer.decode}. */
export interface DecodeOptions {
  /** Leave out special tokens such as [CLS], [SEP], [PAD] (default false, as in HF). */
  skipSpecialTokens?: boolean;
}

/** A BERT WordPiece tokenizer producing exactly Hugging Face's ids. */
export class BertTokenizer {
  /** Resolved normalizer flags. */
  readonly normalizer: ResolvedBertNormalizerOptions;
  /** The WordPiece model that splits normalised words into vocabulary entries. */
  readonly wordPiece: WordPiece;
  /** Classification token put before a sequence. */
  readonly clsToken: string;
  /** Separator token put after a sequence. */
  readonly sepToken: string;
  /** Padding token. */
  readonly padToken: string;
  /** Masked-language-model token. */
  readonly maskToken: string;
  /** Token for words WordPiece cannot split into vocabulary entries. */
  readonly unkToken: string;
  /** Added tokens (special ones included), by id. */
  readonly addedTokens: ReadonlyMap<number, AddedToken>;
  /** Ids put before and after each encoded sequence (by default [CLS] and [SEP]). */
  readonly template: { readonly prefix: readonly number[]; readonly suffix: readonly number[] };
  /** How `decode` joins WordPiece tokens; null joins them with spaces as they are. */
  readonly decoder: WordPieceDecoderOptions | null;
  /** Longest sequence the model accepts, when tokenizer_config.json says (not enforced). */
  readonly modelMaxLength: number | undefined;
  readonly #vocab: Map<string, number>;
  readonly #idToToken: string[];
  readonly #raw: AddedTokenMatcher;
  readonly #normalized: AddedTokenMatcher;

  /**
   * Creates the tokenizer; added tokens missing from the vocabulary get ids after it.
   * @param vocab token → id of the WordPiece model
   * @param options normalizer, special tokens, template, decoder
   * @throws TokenizerFormatError when a required special token is missing from the vocab
   */
  constructor(vocab: ReadonlyMap<string, number>, options: BertTokenizerOptions = {}) {
    this.#vocab = new Map(vocab);
    this.normalizer = resolveNormalizerOptions(options);
    this.unkToken = options.unkToken ?? "[UNK]";
    this.clsToken = options.clsToken ?? "[CLS]";
    this.sepToken = options.sepToken ?? "[SEP]";
    this.padToken = options.padToken ?? "[PAD]";
    this.maskToken = options.maskToken ?? "[MASK]";
    // The model sees only its own vocabulary; added tokens are matched before it runs.
    this.wordPiece = new WordPiece(new Map(vocab), options);
    this.modelMaxLength = options.modelMaxLength;

    this.#idToToken = [];
    for (const [t, id] of this.#vocab) this.#idToToken[id] = t;
    const specs: Array<Partial<AddedToken> & { content: string }> = options.addedTokens ??
      [this.padToken, this.unkToken, this.clsToken, this.sepToken, this.maskToken].map((
        content,
      ) => ({
        content,
        special: true,
      }));
    const added = new Map<number, AddedToken>();
    let next = this.#idToToken.length;
    for (const s of specs) {
      // Same id policy as tokenizers' AddedVocabulary: reuse the vocab id, else append.
      const id = s.id ?? this.#vocab.get(s.content) ?? next++;
      const special = s.special ?? false;
      added.set(id, {
        id,
        content: s.content,
        special,
        normalized: s.normalized ?? !special,
        lstrip: s.lstrip ?? false,
        rstrip: s.rstrip ?? false,
        singleWord: s.singleWord ?? false,
      });
      if (this.#idToToken[id] === undefined) this.#idToToken[id] = s.content;
      if (!this.#vocab.has(s.content)) this.#vocab.set(s.content, id);
      next = Math.max(next, id + 1);
    }
    this.addedTokens = added;
    const list = [...added.values()];
    this.#raw = new AddedTokenMatcher(list.filter((t) => !t.normalized));
    this.#normalized = new AddedTokenMatcher(
      list.filter((t) => t.normalized),
      (t) => normalizeBertText(t.content, this.normalizer),
    );
    this.template = options.template ?? {
      prefix: [this.#requireId(this.clsToken, "clsToken")],
      suffix: [this.#requireId(this.sepToken, "sepToken")],
    };
    this.decoder = options.decoder === undefined
      ? { prefix: "##", cleanup: true }
      : options.decoder;
  }

  /** Number of ids (highest id + 1), the size the word-embedding matrix must have. */
  get vocabSize(): number {
    return this.#idToToken.length;
  }
  /** Id of `clsToken`; throws a TokenizerFormatError when the vocabulary lacks it. */
  get clsTokenId(): number {
    return this.#requireId(this.clsToken, "clsToken");
  }
  /** Id of `sepToken`; throws a TokenizerFormatError when the vocabulary lacks it. */
  get sepTokenId(): number {
    return this.#requireId(this.sepToken, "sepToken");
  }
  /** Id of `padToken`; throws a TokenizerFormatError when the vocabulary lacks it. */
  get padTokenId(): number {
    return this.#requireId(this.padToken, "padToken");
  }
  /** Id of `unkToken`. */
  get unkTokenId(): number {
    return this.wordPiece.unkId;
  }
  /** Id of `maskToken`; throws a TokenizerFormatError when the vocabulary lacks it. */
  get maskTokenId(): number {
    return this.#requireId(this.maskToken, "maskToken");
  }
  /** Ids of all special added tokens. */
  get specialTokenIds(): number[] {
    return [...this.addedTokens.values()].filter((t) => t.special).map((t) => t.id).sort((a, b) =>
      a - b
    );
  }

  /** Token strings of a text, without special tokens (HF `tokenizer.tokenize`). */
  tokenize(text: string): string[] {
    return this.convertIdsToTokens(this.#encodeText(text));
  }

  /** Token ids of a text, with [CLS] ... [SEP] unless addSpecialTokens is false. */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const body = this.#encodeText(text);
    if (options.addSpecialTokens === false) return Int32Array.from(body);
    return Int32Array.from([...this.template.prefix, ...body, ...this.template.suffix]);
  }

  /**
   * Encode pre-split words (HF `is_split_into_words=True`): each word is normalized and
   * tokenized on its own, and every resulting token records the index of its word.
   * Words that normalize to nothing (e.g. only control characters) produce no token.
   */
  encodeWords(words: readonly string[], options: EncodeOptions = {}): WordEncoding {
    const ids: number[] = [];
    const wordIds: number[] = [];
    const special = options.addSpecialTokens !== false;
    if (special) { for (const id of this.template.prefix) ids.push(id), wordIds.push(-1); }
    for (let w = 0; w < words.length; w++) {
      for (const id of this.#encodeText(words[w])) ids.push(id), wordIds.push(w);
    }
    if (special) { for (const id of this.template.suffix) ids.push(id), wordIds.push(-1); }
    return { ids: Int32Array.from(ids), wordIds: Int32Array.from(wordIds) };
  }

  /** Ids → token strings. @throws TokenizerFormatError for ids outside the vocabulary */
  convertIdsToTokens(ids: ArrayLike<number>): string[] {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const t = this.#idToToken[ids[i]];
      if (t === undefined) {
        throw new TokenizerFormatError(
          "convertIdsToTokens",
          `id ${ids[i]} at position ${i} is not in the vocabulary (size ${this.vocabSize})`,
        );
      }
      out.push(t);
    }
    return out;
  }

  /** Token strings → ids; unknown strings map to the [UNK] id (as in HF). */
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.#vocab.get(t) ?? this.unkTokenId);
  }

  /**
   * Ids → text like HF tokenizers' `decode`: "##" pieces glued to the previous token,
   * other tokens separated by a space, then the WordPiece decoder's clean-up (applied per
   * token, as the Rust decoder does). Ids outside the vocabulary are skipped.
   */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const t = this.#idToToken[ids[i]];
      if (t === undefined) continue;
      if (options.skipSpecialTokens && this.addedTokens.get(ids[i])?.special) continue;
      tokens.push(t);
    }
    const dec = this.decoder;
    if (!dec) return tokens.join(" ");
    let out = "";
    for (let i = 0; i < tokens.length; i++) {
      let t = tokens[i];
      if (i !== 0) t = t.startsWith(dec.prefix) ? t.slice(dec.prefix.length) : " " + t;
      out += dec.cleanup ? cleanupDecoded(t) : t;
    }
    return out;
  }

  /**
   * vocab.txt text: one token per line in id order, newline-terminated.
   * @throws TokenizerFormatError if some id below vocabSize has no token
   */
  saveVocab(): string {
    const lines: string[] = [];
    for (let id = 0; id < this.#idToToken.length; id++) {
      const t = this.#idToToken[id];
      if (t === undefined) throw new TokenizerFormatError("saveVocab", `no token has id ${id}`);
      lines.push(t);
    }
    return lines.join("\n") + "\n";
  }

  /** tokenizer_config.json content that transformers' BertTokenizer understands. */
  toTokenizerConfig(): Record<string, unknown> {
    const n = this.normalizer;
    return {
      tokenizer_class: "BertTokenizer",
      do_lower_case: n.lowercase,
      strip_accents: n.stripAccents === n.lowercase ? null : n.stripAccents,
      tokenize_chinese_chars: n.handleChineseChars,
      unk_token: this.unkToken,
      sep_token: this.sepToken,
      pad_token: this.padToken,
      cls_token: this.clsToken,
      mask_token: this.maskToken,
      ...(this.modelMaxLength !== undefined ? { model_max_length: this.modelMaxLength } : {}),
    };
  }

  /** special_tokens_map.json content (transformers' names for the special tokens). */
  specialTokensMap(): Record<string, string> {
    return {
      unk_token: this.unkToken,
      sep_token: this.sepToken,
      pad_token: this.padToken,
      cls_token: this.clsToken,
      mask_token: this.maskToken,
    };
  }

  /**
   * tokenizer.json content (the Rust `tokenizers` format) describing exactly this tokenizer:
   * BertNormalizer, BertPreTokenizer, WordPiece, the [CLS]/[SEP] template and the added tokens,
   * so transformers' fast tokenizer and transformers.js give the same ids.
   */
  toTokenizerJson(): Record<string, unknown> {
    const n = this.normalizer;
    const vocab: Record<string, number> = {};
    this.#idToToken.forEach((t, id) => (vocab[t] = id));
    const special = (ids: readonly number[]) =>
      ids.map((id) => ({ SpecialToken: { id: this.#idToToken[id], type_id: 0 } }));
    const seq = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
    const { prefix, suffix } = this.template;
    const specialTokens: Record<string, unknown> = {};
    for (const id of [...prefix, ...suffix]) {
      const t = this.#idToToken[id];
      specialTokens[t] = { id: t, ids: [id], tokens: [t] };
    }
    return {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [...this.addedTokens.values()].map((t) => ({
        id: t.id,
        content: t.content,
        single_word: t.singleWord,
        lstrip: t.lstrip,
        rstrip: t.rstrip,
        normalized: t.normalized,
        special: t.special,
      })),
      normalizer: {
        type: "BertNormalizer",
        clean_text: n.cleanText,
        handle_chinese_chars: n.handleChineseChars,
        strip_accents: n.stripAccents,
        lowercase: n.lowercase,
      },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: {
        type: "TemplateProcessing",
        single: [...special(prefix), seq("A", 0), ...special(suffix)],
        pair: [
          ...special(prefix),
          seq("A", 0),
          ...special(suffix),
          seq("B", 1),
          ...special(suffix).map((s) => ({ SpecialToken: { ...s.SpecialToken, type_id: 1 } })),
        ],
        special_tokens: specialTokens,
      },
      decoder: this.decoder
        ? { type: "WordPiece", prefix: this.decoder.prefix, cleanup: this.decoder.cleanup }
        : null,
      model: {
        type: "WordPiece",
        unk_token: this.wordPiece.unkToken,
        continuing_subword_prefix: this.wordPiece.continuingSubwordPrefix,
        max_input_chars_per_word: this.wordPiece.maxInputCharsPerWord,
        vocab,
      },
    };
  }

  /** Ids of one piece of text: added tokens, normalisation, pre-tokenisation, WordPiece. */
  #encodeText(text: string): number[] {
    const ids: number[] = [];
    for (const seg of this.#raw.split(text)) {
      if (seg.id !== undefined) {
        ids.push(seg.id);
        continue;
      }
      const normalized = normalizeBertText(seg.text, this.normalizer);
      const pieces: Segment[] = this.#normalized.isEmpty
        ? [{ text: normalized }]
        : this.#normalized.split(normalized);
      for (const p of pieces) {
        if (p.id !== undefined) {
          ids.push(p.id);
          continue;
        }
        for (const word of preTokenizeBert(p.text)) {
          for (const id of this.wordPiece.tokenizeToIds(word)) ids.push(id);
        }
      }
    }
    return ids;
  }

  #requireId(token: string, what: string): number {
    const id = this.#vocab.get(token);
    if (id === undefined) {
      throw new TokenizerFormatError(
        "BertTokenizer",
        `${what} ${JSON.stringify(token)} is not in the vocabulary`,
      );
    }
    return id;
  }
}

/** The WordPiece decoder's clean-up (tokenizers/src/decoders/wordpiece.rs). */
function cleanupDecoded(s: string): string {
  return s
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" do not", " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
