/**
 * From sentences to model inputs: tokenise each sentence's words, align every task's word labels
 * to the first sub-word (−100 elsewhere, or every sub-word with `labelAllSubwords`), and split
 * sentences longer than the model's limit into overlapping windows (nothing is truncated).
 * @module
 */
import type { BertTokenizer } from "../../bert/tokenizer.ts";
import { alignLabels, IGNORE_INDEX } from "./alignment.ts";
import type { Example } from "./batching.ts";
import type { LabelMap } from "./label_map.ts";
import type { Sentence } from "./sentence.ts";
import { splitIntoWindows, type Window } from "./windowing.ts";

/** One sentence ready for the model. */
export interface EncodedSentence {
  /** The sentence (words and gold columns). */
  sentence: Sentence;
  /** Its windows (one when it fits in `maxLength`). */
  windows: Window[];
}

/** Options of {@link encodeSentences}. */
export interface EncodeSentencesOptions {
  /** Longest window in sub-words, [CLS] and [SEP] included. */
  maxLength: number;
  /** Label every sub-word of a word (the seed's behaviour) instead of the first only. */
  labelAllSubwords?: boolean;
  /** Encode gold labels (training, evaluation); false for raw prediction input. Default true. */
  withLabels?: boolean;
}

/**
 * Encodes sentences for the tasks in `labelMaps` (task name → map; the sentence column of the same
 * name holds the word labels).
 * @throws UnknownLabelError / MissingColumnError (naming file and line) for bad gold labels.
 */
export function encodeSentences(
  sentences: readonly Sentence[],
  tokenizer: BertTokenizer,
  labelMaps: Readonly<Record<string, LabelMap>>,
  options: EncodeSentencesOptions,
): EncodedSentence[] {
  const withLabels = options.withLabels ?? true;
  return sentences.map((sentence) => {
    const enc = tokenizer.encodeWords(sentence.words);
    const labels: Record<string, Int32Array> = {};
    for (const [task, map] of Object.entries(labelMaps)) {
      labels[task] = withLabels
        ? alignLabels(enc, map.encode(sentence), {
          labelAllSubwords: options.labelAllSubwords,
          // A word that tokenises to nothing (e.g. only control characters) cannot be trained on;
          // at prediction time it gets the fill label.
          allowUnrepresentedWords: true,
        })
        : new Int32Array(enc.ids.length).fill(IGNORE_INDEX);
    }
    return { sentence, windows: splitIntoWindows(enc, labels, { maxLength: options.maxLength }) };
  });
}

/** Every window of every sentence as a batching example, with its (sentence, window) origin. */
export function windowExamples(
  encoded: readonly EncodedSentence[],
): { examples: Example[]; origin: Int32Array[] } {
  const examples: Example[] = [];
  const origin: Int32Array[] = [];
  encoded.forEach((e, s) =>
    e.windows.forEach((w, k) => {
      examples.push({ inputIds: w.ids, labels: w.labels });
      origin.push(Int32Array.of(s, k));
    })
  );
  return { examples, origin };
}
