/**
 * Tagging new text: raw text (one sentence per line, split into words and punctuation like BERT's
 * pre-tokenizer, case kept) or pre-split words → per-word labels of every task, formatted as an
 * aligned table, JSON or CoNLL columns.
 * @module
 */
import { preTokenizeBert } from "../../bert/basic_tokenizer.ts";
import type { BertTokenizer } from "../../bert/tokenizer.ts";
import { encodeSentences } from "../data/encode_corpus.ts";
import { fillLabelIds } from "./evaluate.ts";
import { predictEncoded } from "./inference.ts";
import type { LabelMap } from "../data/label_map.ts";
import type { MultiTaskTagger } from "./multitask_tagger.ts";
import type { Sentence } from "../data/sentence.ts";
import { TaggingArgumentError } from "../errors.ts";

/** A sentence with one label per word per task. */
export interface TaggedSentence {
  /** The sentence's words. */
  words: string[];
  /** Task name → one label per word. */
  tags: Record<string, string[]>;
}

/** Output formats of {@link formatTagged}. */
export type TaggedFormat = "table" | "json" | "conll";

/** What {@link tagWords} needs: a trained tagger as {@link loadTaggerFolder} returns it. */
export interface TaggerBundle {
  /** The trained tagger. */
  model: MultiTaskTagger;
  /** The tokenizer it was trained with. */
  tokenizer: BertTokenizer;
  /** Label map per task, to turn predicted ids into labels. */
  labelMaps: Record<string, LabelMap>;
  /** Longest window in sub-words; longer sentences are split into overlapping windows. */
  meta: { maxLength: number };
}

/** Splits raw text into sentences (non-empty lines) of words (whitespace and punctuation). */
export function splitText(text: string): string[][] {
  return text.split(/\r?\n/).map((l) => preTokenizeBert(l)).filter((w) => w.length > 0);
}

/** Splits pre-tokenised text: one sentence per line, words separated by whitespace. */
export function splitWords(text: string): string[][] {
  return text.split(/\r?\n/).map((l) => l.split(/\s+/).filter((w) => w !== "")).filter((w) =>
    w.length > 0
  );
}

/** Tags sentences of words with every task of the tagger (long sentences go through windows). */
export async function tagWords(
  tagger: TaggerBundle,
  sentences: readonly string[][],
  options: { batchSize?: number; onBatch?: (done: number, total: number) => void } = {},
): Promise<TaggedSentence[]> {
  const input: Sentence[] = sentences.map((words, i) => ({
    words: words.slice(),
    columns: {},
    source: { file: "<input>", line: i + 1 },
  }));
  const encoded = encodeSentences(input, tagger.tokenizer, tagger.labelMaps, {
    maxLength: tagger.meta.maxLength,
    withLabels: false,
  });
  const ids = await predictEncoded(tagger.model, encoded, {
    batchSize: options.batchSize,
    onBatch: options.onBatch,
    fillMissing: fillLabelIds(tagger.labelMaps),
  });
  return input.map((s, i) => {
    const tags: Record<string, string[]> = {};
    for (const [task, map] of Object.entries(tagger.labelMaps)) {
      tags[task] = map.decode(ids[task][i]);
    }
    return { words: s.words, tags };
  });
}

/**
 * Formats tagged sentences. `table`: aligned columns with a header; `json`: one array of
 * `{words, tags}`; `conll`: `word tag₁ tag₂ …` lines, a blank line after each sentence.
 * @throws TaggingArgumentError for an unknown format.
 */
export function formatTagged(
  tagged: readonly TaggedSentence[],
  format: TaggedFormat,
  tasks: readonly string[],
): string {
  if (format === "json") return JSON.stringify(tagged, null, 2) + "\n";
  if (format === "conll") {
    return tagged.map((s) =>
      s.words.map((w, i) => [w, ...tasks.map((t) => s.tags[t][i])].join(" ")).join("\n") + "\n"
    ).join("\n");
  }
  if (format !== "table") {
    throw new TaggingArgumentError(
      "formatTagged",
      `unknown format "${format}" (table, json, conll)`,
    );
  }
  return tagged.map((s) => {
    const rows = [
      ["word", ...tasks],
      ...s.words.map((w, i) => [w, ...tasks.map((t) => s.tags[t][i])]),
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    return rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join("  ").trimEnd()).join("\n") +
      "\n";
  }).join("\n");
}
