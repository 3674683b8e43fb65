/**
 * Running a tagger without dropout and gradients over encoded sentences, and reading the per-word
 * predictions back: arg-max per sub-word, the first sub-word of each word, windows merged (each
 * word read from the window where it has the most context).
 * @module
 */
import { noGrad, tidy } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import { tensor } from "../../ops/creation.ts";
import { makeBatches } from "../data/batching.ts";
import { type EncodedSentence, windowExamples } from "../data/encode_corpus.ts";
import type { LabelMap } from "../data/label_map.ts";
import type { MultiTaskTagger } from "./multitask_tagger.ts";
import { mergeWindowPredictions } from "../data/windowing.ts";

/** Options of {@link predictEncoded}. */
export interface PredictOptions {
  /** Windows per forward pass (default 64). */
  batchSize?: number;
  /** Label id per task for a word no window covers with a sub-word (default 0). */
  fillMissing?: Record<string, number>;
  /**
   * Called after each batch with the sentences done (every window of them predicted) and the
   * total.
   */
  onBatch?: (done: number, total: number) => void;
}

/** Index of the largest of each row of `cols` values. */
export function argmaxRows(data: ArrayLike<number>, cols: number): Int32Array {
  const rows = data.length / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestV = data[r * cols];
    for (let c = 1; c < cols; c++) {
      const v = data[r * cols + c];
      if (v > bestV) bestV = v, best = c;
    }
    out[r] = best;
  }
  return out;
}

/**
 * Per task, per sentence, the predicted label id of every word. The model is put in evaluation
 * mode for the call and its previous mode restored after.
 */
export async function predictEncoded(
  model: MultiTaskTagger,
  encoded: readonly EncodedSentence[],
  options: PredictOptions = {},
): Promise<Record<string, Int32Array[]>> {
  const { examples, origin } = windowExamples(encoded);
  const tasks = model.tasks.map((t) => t.name);
  // Per window, per task: position predictions.
  const windowPreds: Record<string, Int32Array[]> = {};
  for (const t of tasks) windowPreds[t] = new Array(examples.length);
  const wasTraining = model.training;
  model.eval();
  try {
    const stripped = examples.map((e) => ({ inputIds: e.inputIds, labels: {} }));
    const batches = stripped.length
      ? makeBatches(stripped, { batchSize: options.batchSize ?? 64 })
      : [];
    // Windows left per sentence: batches go by length, so sentences finish out of order.
    const left = new Int32Array(encoded.length);
    for (const [s] of origin) left[s]++;
    let done = left.filter((n) => n === 0).length;
    for (const b of batches) {
      const logits: Record<string, Tensor> = noGrad(() =>
        tidy(() =>
          model.forward({
            inputIds: tensor(b.inputIds, [b.batchSize, b.seqLen]),
            attentionMask: tensor(b.attentionMask, [b.batchSize, b.seqLen]),
          })
        )
      );
      try {
        for (const t of tasks) {
          const l = logits[t];
          const ids = argmaxRows(await l.data(), l.shape[2]);
          for (let r = 0; r < b.batchSize; r++) {
            windowPreds[t][b.indices[r]] = ids.subarray(r * b.seqLen, (r + 1) * b.seqLen);
          }
        }
      } finally {
        for (const l of Object.values(logits)) l.dispose();
      }
      for (const i of b.indices) if (--left[origin[i][0]] === 0) done++;
      options.onBatch?.(done, encoded.length);
    }
  } finally {
    model.train(wasTraining);
  }
  // Windows of sentence s are contiguous in `origin`, in window order.
  const out: Record<string, Int32Array[]> = {};
  for (const t of tasks) out[t] = [];
  let k = 0;
  encoded.forEach((e, s) => {
    const first = k;
    while (k < origin.length && origin[k][0] === s) k++;
    for (const t of tasks) {
      out[t].push(
        mergeWindowPredictions(e.windows, windowPreds[t].slice(first, k), e.sentence.words.length, {
          fillMissing: options.fillMissing?.[t] ?? 0,
        }),
      );
    }
  });
  return out;
}

/** Label strings of predicted ids, per sentence. */
export function decodePredictions(
  ids: readonly Int32Array[],
  labels: LabelMap,
): string[][] {
  return ids.map((s) => labels.decode(s));
}
