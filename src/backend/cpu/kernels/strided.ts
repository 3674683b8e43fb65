/**
 * CPU kernels `strided_copy` and `strided_scatter` (src/ops/shape_ops.ts): copy between a
 * contiguous tensor and a strided view of another.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { StridedAttrs } from "../../../core/kernel_contract.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";

/** Calls `fn(flatIndex, viewOffset)` for every element of the view, in row-major order. */
function walk(a: StridedAttrs, n: number, fn: (i: number, off: number) => void): void {
  const rank = a.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = a.offset;
  for (let i = 0; i < n; i++) {
    fn(i, off);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      off += a.strides[d];
      if (idx[d] < a.shape[d]) break;
      off -= a.strides[d] * a.shape[d];
      idx[d] = 0;
    }
  }
}

const stridedCopy: CpuKernel<"strided_copy"> = ([x], [out], attrs) => {
  const a = attrs;
  const rank = a.shape.length;
  // Fast path: the innermost dim is contiguous, so copy whole rows.
  if (rank >= 1 && a.strides[rank - 1] === 1) {
    const w = a.shape[rank - 1];
    const outer = { ...a, shape: a.shape.slice(0, -1), strides: a.strides.slice(0, -1) };
    walk(
      outer,
      out.length / w,
      (i, off) => (out as TypedArray).set(x.subarray(off, off + w), i * w),
    );
    return;
  }
  walk(a, out.length, (i, off) => (out[i] = x[off]));
};

const stridedScatter: CpuKernel<"strided_scatter"> = ([x], [out], attrs) => {
  const a = attrs;
  walk(a, x.length, (i, off) => (out[off] = x[i]));
};

/** Strided copy kernels by name. */
export const stridedKernels: CpuKernels<"strided_copy" | "strided_scatter"> = {
  strided_copy: stridedCopy,
  strided_scatter: stridedScatter,
};
