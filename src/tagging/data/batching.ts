/**
 * Length-bucketed, seeded batching with padding to each batch's longest sequence.
 * @module
 */
import { AlignmentError, TaggingArgumentError } from "../errors.ts";
import { IGNORE_INDEX } from "./alignment.ts";
import { Rng } from "./random.ts";

/** One model input sequence (a sentence or a window of one) with per-task position labels. */
export interface Example {
  /** Sub-word ids, special tokens included. */
  inputIds: Int32Array;
  /** Per-task labels, each as long as `inputIds` ({@link IGNORE_INDEX} where not scored). */
  labels: Record<string, Int32Array>;
}

/** A padded batch, row-major `[batchSize, seqLen]`. */
export interface Batch {
  /** Token ids, padded with `padId`. */
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  /** Per-task labels, padded with {@link IGNORE_INDEX}. */
  labels: Record<string, Int32Array>;
  /** Rows in the batch. */
  batchSize: number;
  /** Length of the longest sequence in the batch. */
  seqLen: number;
  /** Index into the input example list of each row (to map predictions back). */
  indices: Int32Array;
}

/** Options for {@link makeBatches}. */
export interface BatchOptions {
  /** Maximum rows per batch. */
  batchSize: number;
  /** Padding token id; default 0 (BERT's [PAD]). */
  padId?: number;
  /**
   * Training mode: seeded shuffle of examples, then length bucketing inside pools of
   * `poolBatches * batchSize` examples, then a seeded shuffle of the batch order. Default false:
   * examples sorted by length (stable) for minimal padding at evaluation time.
   */
  shuffle?: boolean;
  /** Seed for `shuffle`; vary it per epoch (e.g. `seed + epoch`). Default 0. */
  seed?: number;
  /** Batches per bucketing pool when shuffling; default 50. Larger pools pad less, mix less. */
  poolBatches?: number;
  /** Group by length at all; default true. With false, batches take examples in (shuffled) order. */
  bucketByLength?: boolean;
}

/**
 * Pads the examples at `indices` into one batch.
 * @throws AlignmentError when tasks or label lengths are inconsistent.
 */
export function padBatch(
  examples: readonly Example[],
  indices: ArrayLike<number>,
  padId = 0,
): Batch {
  const rows = indices.length;
  if (rows === 0) throw new TaggingArgumentError("padBatch", "no examples");
  const tasks = Object.keys(examples[indices[0]].labels).sort();
  let seqLen = 0;
  for (let r = 0; r < rows; r++) seqLen = Math.max(seqLen, examples[indices[r]].inputIds.length);
  const inputIds = new Int32Array(rows * seqLen).fill(padId);
  const attentionMask = new Int32Array(rows * seqLen);
  const labels: Record<string, Int32Array> = {};
  for (const t of tasks) labels[t] = new Int32Array(rows * seqLen).fill(IGNORE_INDEX);
  for (let r = 0; r < rows; r++) {
    const ex = examples[indices[r]];
    const len = ex.inputIds.length;
    inputIds.set(ex.inputIds, r * seqLen);
    attentionMask.fill(1, r * seqLen, r * seqLen + len);
    const exTasks = Object.keys(ex.labels);
    if (exTasks.length !== tasks.length) {
      throw new AlignmentError(
        "padBatch",
        `example ${indices[r]} has tasks [${exTasks.sort()}] but example ${
          indices[0]
        } has [${tasks}]`,
      );
    }
    for (const t of tasks) {
      const l = ex.labels[t];
      if (l === undefined || l.length !== len) {
        throw new AlignmentError(
          "padBatch",
          l === undefined
            ? `example ${indices[r]} lacks task "${t}"`
            : `example ${indices[r]} labels.${t} has ${l.length} entries for ${len} tokens`,
        );
      }
      labels[t].set(l, r * seqLen);
    }
  }
  return {
    inputIds,
    attentionMask,
    labels,
    batchSize: rows,
    seqLen,
    indices: Int32Array.from(indices),
  };
}

/**
 * Groups examples into padded batches (see {@link BatchOptions}); every example appears in
 * exactly one batch.
 */
export function makeBatches(examples: readonly Example[], options: BatchOptions): Batch[] {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TaggingArgumentError(
      "makeBatches",
      `batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  const poolBatches = options.poolBatches ?? 50;
  if (!Number.isInteger(poolBatches) || poolBatches < 1) {
    throw new TaggingArgumentError(
      "makeBatches",
      `poolBatches must be a positive integer, got ${poolBatches}`,
    );
  }
  const bucket = options.bucketByLength ?? true;
  const n = examples.length;
  const len = (i: number) => examples[i].inputIds.length;
  const groups: Int32Array[] = [];
  const chunk = (order: Int32Array) => {
    for (let s = 0; s < order.length; s += batchSize) groups.push(order.slice(s, s + batchSize));
  };
  const byLength = (order: Int32Array): Int32Array => {
    // Stable: equal lengths keep their (possibly shuffled) relative order.
    const pos = new Int32Array(n);
    order.forEach((e, k) => (pos[e] = k));
    return order.slice().sort((a, b) => len(a) - len(b) || pos[a] - pos[b]);
  };
  if (options.shuffle) {
    const rng = new Rng(options.seed ?? 0);
    const order = rng.permutation(n);
    if (!bucket) chunk(order);
    else {
      const pool = poolBatches * batchSize;
      for (let s = 0; s < n; s += pool) chunk(byLength(order.slice(s, s + pool)));
    }
    rng.shuffle(groups);
  } else {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    chunk(bucket ? byLength(order) : order);
  }
  return groups.map((g) => padBatch(examples, g, options.padId ?? 0));
}
