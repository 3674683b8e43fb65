/**
 * CPU kernels of embedding lookup (src/ops/gather.ts): `gather_rows` and `segment_sum_rows`.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";

const gatherRows: CpuKernel<"gather_rows"> = ([table, ids], [out], attrs) => {
  const { rows, width, vocab } = attrs;
  for (let i = 0; i < rows; i++) {
    const v = ids[i];
    // Out-of-range ids are rejected by the op when the ids are on the host; give zeros otherwise,
    // as the WebGPU kernel does, rather than reading outside the table.
    if (v < 0 || v >= vocab) (out as TypedArray).fill(0, i * width, (i + 1) * width);
    else (out as TypedArray).set(table.subarray(v * width, (v + 1) * width), i * width);
  }
};

const segmentSumRows: CpuKernel<"segment_sum_rows"> = ([dy, order, starts, uniq], [out], attrs) => {
  const { segments, width } = attrs;
  for (let u = 0; u < segments; u++) {
    const row = uniq[u] * width;
    for (let j = starts[u]; j < starts[u + 1]; j++) {
      const src = order[j] * width;
      for (let h = 0; h < width; h++) out[row + h] += dy[src + h];
    }
  }
};

/** Gather kernels by name. */
export const gatherKernels: CpuKernels<"gather_rows" | "segment_sum_rows"> = {
  gather_rows: gatherRows,
  segment_sum_rows: segmentSumRows,
};
