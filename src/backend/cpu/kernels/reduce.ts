/**
 * CPU kernel `reduce` (src/ops/reduce.ts): sum, sum of squares or max over the middle axis of [outer, r, inner].
 * @module
 */
import type { ReduceAttrs } from "../../../ops/reduce.ts";
import type { CpuKernel } from "./types.ts";

const reduce: CpuKernel = ([x], [out], attrs) => {
  const { op, outer, r, inner, outOffset = 0 } = attrs as unknown as ReduceAttrs;
  for (let o = 0; o < outer; o++) {
    const base = o * r * inner;
    const ob = outOffset + o * inner;
    if (op === "sumsq") {
      for (let i = 0; i < inner; i++) out[ob + i] = 0;
      for (let j = 0; j < r; j++) {
        const row = base + j * inner;
        for (let i = 0; i < inner; i++) out[ob + i] += x[row + i] * x[row + i];
      }
    } else if (op === "sum") {
      for (let i = 0; i < inner; i++) out[ob + i] = 0;
      for (let j = 0; j < r; j++) {
        const row = base + j * inner;
        for (let i = 0; i < inner; i++) out[ob + i] += x[row + i];
      }
    } else {
      for (let i = 0; i < inner; i++) out[ob + i] = -Infinity;
      for (let j = 0; j < r; j++) {
        const row = base + j * inner;
        for (let i = 0; i < inner; i++) if (x[row + i] > out[ob + i]) out[ob + i] = x[row + i];
      }
    }
  }
};

/** Reduction kernels by name. */
export const reduceKernels: Record<string, CpuKernel> = { reduce };
