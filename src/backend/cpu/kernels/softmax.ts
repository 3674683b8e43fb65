/**
 * CPU kernels of softmax / log-softmax over the last axis with a broadcast additive mask
 * (src/ops/softmax.ts): `softmax` and `softmax_grad`.
 * @module
 */
import type { SoftmaxAttrs, SoftmaxGradAttrs } from "../../../ops/softmax.ts";
import type { CpuKernel } from "./types.ts";

/** Offset of row `r`'s mask under the row shape and the mask's strides. */
export function maskRowOffset(r: number, rowShape: number[], strides: number[]): number {
  let off = 0;
  for (let d = rowShape.length - 1; d >= 0; d--) {
    const idx = r % rowShape[d];
    r = (r - idx) / rowShape[d];
    off += idx * strides[d];
  }
  return off;
}

const softmax: CpuKernel = ([x, mask], [y], attrs) => {
  const a = attrs as unknown as SoftmaxAttrs;
  const { rows, cols } = a;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const mo = a.hasMask ? maskRowOffset(r, a.rowShape, a.maskStrides) : 0;
    let mx = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = x[base + c] + (a.hasMask ? mask[mo + c * a.maskColStride] : 0);
      y[base + c] = v;
      if (v > mx) mx = v;
    }
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(y[base + c] - mx);
    if (a.log) {
      const lse = mx + Math.log(s);
      for (let c = 0; c < cols; c++) y[base + c] -= lse;
    } else {
      const inv = 1 / s;
      for (let c = 0; c < cols; c++) y[base + c] = Math.exp(y[base + c] - mx) * inv;
    }
  }
};

const softmaxGrad: CpuKernel = ([y, dy], [dx], attrs) => {
  const { rows, cols, log } = attrs as unknown as SoftmaxGradAttrs;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    if (log) {
      for (let c = 0; c < cols; c++) s += dy[base + c];
      for (let c = 0; c < cols; c++) dx[base + c] = dy[base + c] - Math.exp(y[base + c]) * s;
    } else {
      for (let c = 0; c < cols; c++) s += dy[base + c] * y[base + c];
      for (let c = 0; c < cols; c++) dx[base + c] = y[base + c] * (dy[base + c] - s);
    }
  }
};

/** Softmax kernels by name. */
export const softmaxKernels: Record<string, CpuKernel> = { softmax, softmax_grad: softmaxGrad };
