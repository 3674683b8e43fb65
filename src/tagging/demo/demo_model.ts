/**
 * A small BERT made by the project itself for the demo: a WordPiece vocabulary built from a corpus
 * (special tokens, the corpus's words, every character alone and as a `##` continuation so no
 * word becomes [UNK]) and a randomly initialised configuration sized to train in a minute on two
 * CPU cores.
 * @module
 */
import { BertConfig, type BertConfigFields } from "../../bert/config.ts";
import {
  normalizeBertText,
  preTokenizeBert,
  resolveNormalizerOptions,
} from "../../bert/basic_tokenizer.ts";
import { BertTokenizer } from "../../bert/tokenizer.ts";
import { LabelMap } from "../data/label_map.ts";
import type { Sentence } from "../data/sentence.ts";
import type { TaggerMeta } from "../model/tagger_folder.ts";

/** The five BERT special tokens, in the order (and so with the ids 0–4) the demo vocab uses. */
export const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/** Options of {@link buildVocab}. */
export interface BuildVocabOptions {
  /** Words seen fewer times are left to characters (default 1: keep every word). */
  minCount?: number;
  /** Lower-case (and strip accents) as the tokenizer will (default true). */
  lowercase?: boolean;
}

/**
 * Vocabulary (token → id) from the words of `sentences`, normalised as the tokenizer will see them.
 * Order: special tokens, whole words by descending count then alphabetically, single characters,
 * `##` characters.
 */
export function buildVocab(
  sentences: readonly Sentence[],
  options: BuildVocabOptions = {},
): Map<string, number> {
  const norm = resolveNormalizerOptions({ lowercase: options.lowercase ?? true });
  const counts = new Map<string, number>();
  const chars = new Set<string>();
  for (const s of sentences) {
    for (const w of s.words) {
      for (const piece of preTokenizeBert(normalizeBertText(w, norm))) {
        counts.set(piece, (counts.get(piece) ?? 0) + 1);
        for (const ch of piece) chars.add(ch);
      }
    }
  }
  const minCount = options.minCount ?? 1;
  const words = [...counts].filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w]) => w);
  const sortedChars = [...chars].sort();
  const vocab = new Map<string, number>();
  for (
    const t of [
      ...SPECIAL_TOKENS,
      ...words,
      ...sortedChars,
      ...sortedChars.map((c) => "##" + c),
    ]
  ) {
    if (!vocab.has(t)) vocab.set(t, vocab.size);
  }
  return vocab;
}

/** Architecture of the demo BERT (2 layers, hidden 64, 2 heads, feed-forward 256). */
export const DEMO_BERT_SIZE: Readonly<Partial<BertConfigFields>> = Object.freeze({
  hiddenSize: 64,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 256,
  maxPositionEmbeddings: 128,
});

/** Tokenizer and config of a fresh demo BERT for `sentences`. */
export function demoBert(
  sentences: readonly Sentence[],
  size: Partial<BertConfigFields> = DEMO_BERT_SIZE,
): { tokenizer: BertTokenizer; config: BertConfig } {
  const vocab = buildVocab(sentences);
  const tokenizer = new BertTokenizer(vocab, { modelMaxLength: size.maxPositionEmbeddings });
  const config = new BertConfig({ ...size, vocabSize: tokenizer.vocabSize, padTokenId: 0 });
  return { tokenizer, config };
}

/**
 * Settings of a demo tagger: one task per column of `sentences` in `tasks` (label maps from those
 * sentences, equal loss weights), the first task the main one, head dropout 0.3.
 */
export function demoTaggerMeta(
  sentences: readonly Sentence[],
  maxLength = 128,
  tasks: readonly string[] = ["ner", "pos"],
): TaggerMeta {
  return {
    tasks: tasks.map((name) => ({
      name,
      weight: 1,
      labels: LabelMap.fromSentences(sentences, name).toJSON(),
    })),
    mainTask: tasks[0],
    headDropout: 0.3,
    maxLength,
    labelAllSubwords: false,
  };
}
