/**
 * Building a {@link BertTokenizer} from the files of a Hugging Face model folder:
 * vocab.txt (+ tokenizer_config.json) or tokenizer.json.
 * @module
 */

import type { AddedToken } from "./added_tokens.ts";
import { TokenizerFormatError } from "./errors.ts";
import { BertTokenizer, type BertTokenizerOptions } from "./tokenizer.ts";

/**
 * Parse vocab.txt: one token per line, line number = id. Lines are split on "\n" with a
 * trailing "\r" removed, and trailing whitespace trimmed like tokenizers' `read_file`.
 * @throws TokenizerFormatError on an empty file
 */
export function parseVocabTxt(text: string, source = "vocab.txt"): Map<string, number> {
  const lines = text.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new TokenizerFormatError(source, "empty vocabulary");
  if (lines[0].startsWith("\uFEFF")) lines[0] = lines[0].slice(1);
  const vocab = new Map<string, number>();
  // Rust's trim_end strips White_Space characters; the vocab entries never end in one.
  lines.forEach((l, i) =>
    vocab.set(
      l.replace(
        /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u,
        "",
      ),
      i,
    )
  );
  return vocab;
}

/**
 * Tokenizer options from a transformers tokenizer_config.json (do_lower_case,
 * strip_accents, tokenize_chinese_chars, special token strings, model_max_length,
 * added_tokens_decoder).
 */
export function optionsFromTokenizerConfig(
  json: unknown,
  source = "tokenizer_config.json",
): BertTokenizerOptions {
  const o = asObject(json, source, "");
  const opts: BertTokenizerOptions = {};
  const bool = (k: string): boolean | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") {
      throw new TokenizerFormatError(
        source,
        `field "${k}": expected a boolean, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
  const lower = bool("do_lower_case");
  if (lower !== undefined) opts.lowercase = lower;
  const strip = bool("strip_accents");
  if (strip !== undefined) opts.stripAccents = strip;
  const cjk = bool("tokenize_chinese_chars");
  if (cjk !== undefined) opts.handleChineseChars = cjk;
  const tokenName = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "object" && typeof (v as { content?: unknown }).content === "string") {
      return (v as { content: string }).content;
    }
    throw new TokenizerFormatError(
      source,
      `field "${k}": expected a token string, got ${JSON.stringify(v)}`,
    );
  };
  opts.unkToken = tokenName("unk_token");
  opts.clsToken = tokenName("cls_token");
  opts.sepToken = tokenName("sep_token");
  opts.padToken = tokenName("pad_token");
  opts.maskToken = tokenName("mask_token");
  for (const k of Object.keys(opts) as (keyof BertTokenizerOptions)[]) {
    if (opts[k] === undefined) delete opts[k];
  }
  // transformers writes 1e30 for "no limit".
  if (typeof o.model_max_length === "number" && o.model_max_length < 1e9) {
    opts.modelMaxLength = o.model_max_length;
  }
  if (o.added_tokens_decoder !== undefined) {
    const dec = asObject(o.added_tokens_decoder, source, "added_tokens_decoder");
    opts.addedTokens = Object.entries(dec).map(([id, t]) =>
      addedToken(
        { id: Number(id), ...asObject(t, source, `added_tokens_decoder.${id}`) },
        source,
        `added_tokens_decoder.${id}`,
      )
    );
  }
  return opts;
}

/** Build a tokenizer from vocab.txt text and optional tokenizer_config.json options. */
export function tokenizerFromVocabTxt(
  text: string,
  options: BertTokenizerOptions = {},
  source = "vocab.txt",
): BertTokenizer {
  const vocab = parseVocabTxt(text, source);
  try {
    return new BertTokenizer(vocab, options);
  } catch (e) {
    if (e instanceof TokenizerFormatError) throw new TokenizerFormatError(source, e.message);
    throw e;
  }
}

/**
 * Build a tokenizer from a parsed tokenizer.json. Supported pipeline: normalizer
 * BertNormalizer (or none), pre_tokenizer BertPreTokenizer, model WordPiece,
 * post_processor TemplateProcessing / BertProcessing (or none), decoder WordPiece (or none).
 * The file's "truncation" and "padding" settings are not applied: callers decide those.
 * @throws TokenizerFormatError naming the JSON path of anything unsupported
 */
export function tokenizerFromTokenizerJson(
  json: unknown,
  source = "tokenizer.json",
  extra: BertTokenizerOptions = {},
): BertTokenizer {
  const root = asObject(json, source, "");
  const model = asObject(root.model, source, "model");
  if (model.type !== undefined && model.type !== "WordPiece") {
    throw new TokenizerFormatError(
      source,
      `model.type ${JSON.stringify(model.type)} is not supported (expected "WordPiece")`,
    );
  }
  const vocabObj = asObject(model.vocab, source, "model.vocab");
  const vocab = new Map<string, number>();
  for (const [t, id] of Object.entries(vocabObj)) {
    if (!Number.isInteger(id) || (id as number) < 0) {
      throw new TokenizerFormatError(
        source,
        `model.vocab[${JSON.stringify(t)}]: invalid id ${JSON.stringify(id)}`,
      );
    }
    vocab.set(t, id as number);
  }
  const opts: BertTokenizerOptions = { ...extra };
  if (typeof model.unk_token === "string") opts.unkToken = model.unk_token;
  if (typeof model.continuing_subword_prefix === "string") {
    opts.continuingSubwordPrefix = model.continuing_subword_prefix;
  }
  if (typeof model.max_input_chars_per_word === "number") {
    opts.maxInputCharsPerWord = model.max_input_chars_per_word;
  }

  const norm = root.normalizer;
  if (norm === null || norm === undefined) {
    Object.assign(opts, {
      cleanText: false,
      handleChineseChars: false,
      stripAccents: false,
      lowercase: false,
    });
  } else {
    const n = asObject(norm, source, "normalizer");
    if (n.type !== "BertNormalizer") {
      throw new TokenizerFormatError(
        source,
        `normalizer.type ${JSON.stringify(n.type)} is not supported (expected "BertNormalizer")`,
      );
    }
    opts.cleanText = n.clean_text !== false;
    opts.handleChineseChars = n.handle_chinese_chars !== false;
    opts.lowercase = n.lowercase !== false;
    opts.stripAccents = typeof n.strip_accents === "boolean" ? n.strip_accents : null;
  }
  const pre = root.pre_tokenizer as { type?: unknown } | null | undefined;
  if (!pre || pre.type !== "BertPreTokenizer") {
    throw new TokenizerFormatError(
      source,
      `pre_tokenizer ${
        JSON.stringify(pre?.type ?? pre)
      } is not supported (expected "BertPreTokenizer")`,
    );
  }
  const added = root.added_tokens;
  if (added !== undefined && added !== null) {
    if (!Array.isArray(added)) {
      throw new TokenizerFormatError(source, "added_tokens: expected an array");
    }
    opts.addedTokens = added.map((t, i) =>
      addedToken(asObject(t, source, `added_tokens[${i}]`), source, `added_tokens[${i}]`)
    );
  } else {
    opts.addedTokens = [];
  }
  opts.template = parsePostProcessor(root.post_processor, vocab, source);
  const dec = root.decoder as
    | { type?: unknown; prefix?: unknown; cleanup?: unknown }
    | null
    | undefined;
  if (dec === null || dec === undefined) opts.decoder = null;
  else if (dec.type === "WordPiece") {
    opts.decoder = {
      prefix: typeof dec.prefix === "string" ? dec.prefix : "##",
      cleanup: dec.cleanup !== false,
    };
  } else {
    throw new TokenizerFormatError(
      source,
      `decoder.type ${JSON.stringify(dec.type)} is not supported (expected "WordPiece")`,
    );
  }
  try {
    return new BertTokenizer(vocab, opts);
  } catch (e) {
    if (e instanceof TokenizerFormatError) throw new TokenizerFormatError(source, e.message);
    throw e;
  }
}

function parsePostProcessor(
  pp: unknown,
  vocab: Map<string, number>,
  source: string,
): { prefix: number[]; suffix: number[] } {
  if (pp === null || pp === undefined) return { prefix: [], suffix: [] };
  const p = asObject(pp, source, "post_processor");
  if (p.type === "BertProcessing") {
    const pair = (k: string) => {
      const v = p[k];
      if (!Array.isArray(v) || typeof v[1] !== "number") {
        throw new TokenizerFormatError(source, `post_processor.${k}: expected [token, id]`);
      }
      return v[1] as number;
    };
    return { prefix: [pair("cls")], suffix: [pair("sep")] };
  }
  if (p.type !== "TemplateProcessing") {
    throw new TokenizerFormatError(
      source,
      `post_processor.type ${JSON.stringify(p.type)} is not supported`,
    );
  }
  if (!Array.isArray(p.single)) {
    throw new TokenizerFormatError(source, "post_processor.single: expected an array");
  }
  const specials = (p.special_tokens ?? {}) as Record<string, { ids?: number[] }>;
  const prefix: number[] = [];
  const suffix: number[] = [];
  let seenSequence = false;
  p.single.forEach((piece: unknown, i: number) => {
    const where = `post_processor.single[${i}]`;
    const o = asObject(piece, source, where);
    if (o.Sequence !== undefined) {
      if (seenSequence) throw new TokenizerFormatError(source, `${where}: more than one sequence`);
      seenSequence = true;
      return;
    }
    const st = asObject(o.SpecialToken, source, `${where}.SpecialToken`);
    const name = String(st.id);
    const ids = specials[name]?.ids ?? (vocab.has(name) ? [vocab.get(name)!] : undefined);
    if (!ids) {
      throw new TokenizerFormatError(
        source,
        `${where}: special token ${JSON.stringify(name)} has no id`,
      );
    }
    (seenSequence ? suffix : prefix).push(...ids);
  });
  if (!seenSequence) {
    throw new TokenizerFormatError(source, "post_processor.single has no $A sequence");
  }
  return { prefix, suffix };
}

function addedToken(
  o: Record<string, unknown>,
  source: string,
  where: string,
): Partial<AddedToken> & { content: string } {
  if (typeof o.content !== "string") {
    throw new TokenizerFormatError(source, `${where}.content: expected a string`);
  }
  const b = (k: string) => (typeof o[k] === "boolean" ? (o[k] as boolean) : undefined);
  return {
    content: o.content,
    ...(typeof o.id === "number" ? { id: o.id } : {}),
    special: b("special") ?? false,
    normalized: b("normalized"),
    lstrip: b("lstrip"),
    rstrip: b("rstrip"),
    singleWord: b("single_word"),
  };
}

function asObject(v: unknown, source: string, where: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new TokenizerFormatError(source, `${where || "root"}: expected a JSON object`);
  }
  return v as Record<string, unknown>;
}

/** Convenience: choose tokenizer.json when given, else vocab.txt (+ tokenizer_config.json). */
export function loadBertTokenizer(files: {
  tokenizerJson?: string;
  vocabTxt?: string;
  tokenizerConfig?: string;
}, sourceDir = ""): BertTokenizer {
  const label = (f: string) => (sourceDir ? `${sourceDir.replace(/\/$/, "")}/${f}` : f);
  let config: BertTokenizerOptions = {};
  if (files.tokenizerConfig !== undefined) {
    config = optionsFromTokenizerConfig(
      parseJson(files.tokenizerConfig, label("tokenizer_config.json")),
      label("tokenizer_config.json"),
    );
  }
  if (files.tokenizerJson !== undefined) {
    const extra: BertTokenizerOptions = config.modelMaxLength !== undefined
      ? { modelMaxLength: config.modelMaxLength }
      : {};
    return tokenizerFromTokenizerJson(
      parseJson(files.tokenizerJson, label("tokenizer.json")),
      label("tokenizer.json"),
      extra,
    );
  }
  if (files.vocabTxt !== undefined) {
    return tokenizerFromVocabTxt(files.vocabTxt, config, label("vocab.txt"));
  }
  throw new TokenizerFormatError(
    sourceDir || "tokenizer",
    "neither tokenizer.json nor vocab.txt was provided",
  );
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TokenizerFormatError(source, `invalid JSON: ${(e as Error).message}`);
  }
}
