/**
 * Embedding lookup: rows of a table picked by integer ids, with a scatter-add gradient. The
 * gradient groups positions by id on the host (ids are host data in every pipeline: they come from
 * the tokenizer), so each table row is written by one invocation: no float atomics, and the sum
 * order is fixed, so runs are bit-for-bit reproducible.
 *
 * Kernels `gather_rows` and `segment_sum_rows`: CPU src/backend/cpu/kernels/gather.ts, WebGPU
 * src/backend/webgpu/kernels/gather.ts + shaders/gather.wgsl.
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import { tensor } from "./creation.ts";
import { allocTensor, expectDType, runKernel, runKernelInto, withGrad } from "./kernel.ts";
import type { GatherAttrs, SegmentSumAttrs } from "../core/kernel_contract.ts";

export type { GatherAttrs, SegmentSumAttrs };

/**
 * `table[ids]`: ids of any shape (i32) → `[...ids.shape, width]`.
 * @example
 * ```ts
 * const e = embedding(wordEmbeddings, inputIds); // [V, H] and [B, T] -> [B, T, H]
 * ```
 */
export function embedding(table: Tensor, ids: Tensor): Tensor {
  const op = "embedding";
  expectDType(op, ids, "i32", "ids");
  expectDType(op, table, "f32", "table");
  if (table.rank !== 2) throw new ShapeError(op, `table must be 2-D, got ${fmtShape(table.shape)}`);
  const [vocab, width] = table.shape;
  if (ids.hostData) {
    for (let i = 0; i < ids.hostData.length; i++) {
      const v = ids.hostData[i];
      if (v < 0 || v >= vocab) {
        throw new ShapeError(
          op,
          `id ${v} at flat position ${i} of ids ${fmtShape(ids.shape)} is outside table ${
            fmtShape(table.shape)
          }`,
        );
      }
    }
  }
  const attrs: GatherAttrs = { rows: ids.size, width, vocab };
  const y = runKernel("gather_rows", [table, ids], [...ids.shape, width], "f32", attrs);
  return withGrad(op, [table, ids], y, [], (dy) => {
    if (!ids.hostData) {
      throw new ShapeError(
        op,
        "the gradient needs the ids on the host: create them with tensor(Int32Array)",
      );
    }
    return [segmentSumRows(dy, ids.hostData, vocab, width), null];
  });
}

/** Sums rows of `dy` ([n, width]) into a zeroed [vocab, width] tensor at rows `ids`. */
function segmentSumRows(dy: Tensor, ids: Int32Array, vocab: number, width: number): Tensor {
  const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b] || a - b);
  const uniq: number[] = [];
  const starts: number[] = [];
  order.forEach((pos, j) => {
    if (j === 0 || ids[pos] !== ids[order[j - 1]]) {
      uniq.push(ids[pos]);
      starts.push(j);
    }
  });
  starts.push(order.length);
  const b = { backend: dy.backend, dtype: "i32" as const };
  const orderT = tensor(Int32Array.from(order), [order.length], b);
  const startsT = tensor(Int32Array.from(starts), [starts.length], b);
  const uniqT = tensor(Int32Array.from(uniq), [uniq.length], b);
  const out = allocTensor(dy.backend, [vocab, width], "f32", true);
  const attrs: SegmentSumAttrs = { segments: uniq.length, width };
  if (uniq.length > 0) {
    runKernelInto("segment_sum_rows", [dy, orderT, startsT, uniqT], [out], attrs);
  }
  orderT.dispose();
  startsT.dispose();
  uniqT.dispose();
  return out;
}
