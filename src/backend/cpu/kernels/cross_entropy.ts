/**
 * CPU kernels of fused cross-entropy (src/ops/cross_entropy.ts): `cross_entropy` (per-row loss,
 * 0 for ignored rows) and `cross_entropy_grad` ((softmax − onehot)·scale, 0 for ignored rows).
 *
 * Float32 outputs use `expNonPositive` (relative error < 1e-10, several times faster than
 * `Math.exp`) on logit − max ≤ 0, and 0 below −104: such a term is under 1e-45 of the row's sum
 * (which is ≥ 1), invisible in a float32 result. The gradient computes each row's exponentials
 * once, into a float64 scratch row, and normalizes them. Float64 outputs (gradient checks) keep
 * `Math.exp`.
 *
 * Float32 tensors of the WebAssembly heap run in place in WebAssembly (../wasm_inplace.ts,
 * wasm/cross_entropy.as.ts): the same float64 exponentials, sums in the same order and
 * JavaScript's `Math.log`, so the same bits.
 * @module
 */
import { expNonPositive, POW2_64THS } from "./fast_math.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { type CpuSplits, rowSplit } from "../split_parts.ts";
import type { TypedArray } from "../../../core/dtype.ts";
import {
  inplaceFor,
  type InplacePasses,
  inplaceScratch,
  inplaceTable,
  memoryOf,
} from "../wasm_inplace.ts";

let scratch = new Float64Array(256);

/** e^d for d = logit − row max ≤ 0 (NaN stays NaN), 0 where it cannot reach a float32 result. */
function expShifted(d: number): number {
  return d < -104 ? 0 : expNonPositive(d);
}

function logSumExp(x: ArrayLike<number>, base: number, cols: number, f32: boolean): number {
  let mx = -Infinity;
  for (let c = 0; c < cols; c++) if (x[base + c] > mx) mx = x[base + c];
  let s = 0;
  if (f32) { for (let c = 0; c < cols; c++) s += expShifted(x[base + c] - mx); }
  else for (let c = 0; c < cols; c++) s += Math.exp(x[base + c] - mx);
  return mx + Math.log(s);
}

/**
 * The in-place passes and this thread's copy of the exponential's table when the logits and
 * `out` are float32 and the int32 targets lie with them on the heap, else null.
 */
function inplaceRows(
  logits: TypedArray,
  targets: TypedArray,
  out: TypedArray,
): [InplacePasses, number] | null {
  if (!(logits instanceof Float32Array) || !(out instanceof Float32Array)) return null;
  if (!(targets instanceof Int32Array)) return null;
  const wasm = inplaceFor(logits, targets, out);
  const tab = wasm && inplaceTable(memoryOf(logits)!, POW2_64THS);
  return wasm && tab !== null ? [wasm, tab] : null;
}

const crossEntropy: CpuKernel<"cross_entropy"> = ([logits, targets], [loss], attrs) => {
  const { rows, cols, ignoreIndex } = attrs;
  const inplace = inplaceRows(logits, targets, loss);
  if (inplace) {
    const [wasm, tab] = inplace;
    const [lp, tp, op] = [logits.byteOffset, targets.byteOffset, loss.byteOffset];
    wasm.crossEntropy(lp, tp, op, rows, cols, ignoreIndex, tab);
    return;
  }
  const f32 = loss instanceof Float32Array;
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t === ignoreIndex || t < 0 || t >= cols) {
      loss[r] = 0;
      continue;
    }
    loss[r] = logSumExp(logits, r * cols, cols, f32) - logits[r * cols + t];
  }
};

const crossEntropyGrad: CpuKernel<"cross_entropy_grad"> = (
  [logits, targets, scale],
  [dx],
  attrs,
) => {
  const { rows, cols, ignoreIndex } = attrs;
  const s = scale[0];
  if (!(dx instanceof Float32Array)) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const t = targets[r];
      if (t === ignoreIndex || t < 0 || t >= cols) {
        for (let c = 0; c < cols; c++) dx[base + c] = 0;
        continue;
      }
      const lse = logSumExp(logits, base, cols, false);
      for (let c = 0; c < cols; c++) {
        dx[base + c] = (Math.exp(logits[base + c] - lse) - (c === t ? 1 : 0)) * s;
      }
    }
    return;
  }
  const inplace = inplaceRows(logits, targets, dx);
  const e8 = inplace && inplaceScratch(memoryOf(dx)!, 8 * cols);
  if (inplace && e8 !== null) {
    const [wasm, tab] = inplace;
    const [lp, tp, dp] = [logits.byteOffset, targets.byteOffset, dx.byteOffset];
    wasm.crossEntropyGrad(lp, tp, dp, rows, cols, ignoreIndex, s, tab, e8);
    return;
  }
  if (scratch.length < cols) scratch = new Float64Array(cols);
  const e = scratch;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const t = targets[r];
    if (t === ignoreIndex || t < 0 || t >= cols) {
      dx.fill(0, base, base + cols);
      continue;
    }
    let mx = -Infinity;
    for (let c = 0; c < cols; c++) if (logits[base + c] > mx) mx = logits[base + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = expShifted(logits[base + c] - mx);
      e[c] = v;
      sum += v;
    }
    const k = s / sum;
    for (let c = 0; c < cols; c++) dx[base + c] = e[c] * k;
    dx[base + t] = (e[t] / sum - 1) * s;
  }
};

/** Cross-entropy kernels by name. */
export const crossEntropyKernels: CpuKernels<"cross_entropy" | "cross_entropy_grad"> = {
  cross_entropy: crossEntropy,
  cross_entropy_grad: crossEntropyGrad,
};

/**
 * Cross-entropy kernels split by rows (../split_parts.ts `rowSplit`): logits and dx by rows, one
 * target and one loss per row, the gradient's scale read whole.
 */
export const crossEntropySplits: CpuSplits<"cross_entropy" | "cross_entropy_grad"> = {
  cross_entropy: rowSplit("cross_entropy", 65536, { inputs: ["c", 1], outputs: [1] }),
  cross_entropy_grad: rowSplit("cross_entropy_grad", 65536, {
    inputs: ["c", 1, 0],
    outputs: ["c"],
  }),
};
