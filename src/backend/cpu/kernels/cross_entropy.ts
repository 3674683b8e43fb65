/**
 * CPU kernels of fused cross-entropy (src/ops/cross_entropy.ts): `cross_entropy` (per-row loss,
 * 0 for ignored rows) and `cross_entropy_grad` ((softmax − onehot)·scale, 0 for ignored rows).
 * @module
 */
import type { CrossEntropyAttrs } from "../../../ops/cross_entropy.ts";
import type { CpuKernel } from "./types.ts";

function logSumExp(x: ArrayLike<number>, base: number, cols: number): number {
  let mx = -Infinity;
  for (let c = 0; c < cols; c++) if (x[base + c] > mx) mx = x[base + c];
  let s = 0;
  for (let c = 0; c < cols; c++) s += Math.exp(x[base + c] - mx);
  return mx + Math.log(s);
}

const crossEntropy: CpuKernel = ([logits, targets], [loss], attrs) => {
  const { rows, cols, ignoreIndex } = attrs as unknown as CrossEntropyAttrs;
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === ignoreIndex || t < 0 || t >= cols) {
      loss[r] = 0;
      continue;
    }
    loss[r] = logSumExp(logits, r * cols, cols) - logits[r * cols + t];
  }
};

const crossEntropyGrad: CpuKernel = ([logits, targets, scale], [dx], attrs) => {
  const { rows, cols, ignoreIndex } = attrs as unknown as CrossEntropyAttrs;
  const s = scale[0];
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const t = targets[r];
    if (t === ignoreIndex || t < 0 || t >= cols) {
      for (let c = 0; c < cols; c++) dx[base + c] = 0;
      continue;
    }
    const lse = logSumExp(logits, base, cols);
    for (let c = 0; c < cols; c++) {
      dx[base + c] = (Math.exp(logits[base + c] - lse) - (c === t ? 1 : 0)) * s;
    }
  }
};

/** Cross-entropy kernels by name. */
export const crossEntropyKernels: Record<string, CpuKernel> = {
  cross_entropy: crossEntropy,
  cross_entropy_grad: crossEntropyGrad,
};
