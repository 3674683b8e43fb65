/**
 * CPU kernels of fused layer norm (src/ops/layer_norm.ts): `layer_norm` (y, mean, rstd),
 * `layer_norm_grad` (dx) and `layer_norm_grad_params` (dγ, dβ).
 *
 * Speed: each row is re-based with `subarray` so the loops index from 0 (faster in V8 than
 * `x[base + c]`); the row's mean and variance take one pass, with two accumulators each (a float
 * add chain waits on itself); the parameter gradients accumulate two rows per pass in float64
 * rows, rounded once at the end.
 *
 * `layer_norm_grad_params` takes optional `colFrom` / `colTo` attributes: only those columns are
 * reduced, into dγ and dβ of `colTo − colFrom` elements (a worker's share, see `layerNormSplits`;
 * each column's sum is the same chain of adds either way).
 *
 * On tensors of the WebAssembly heap all three run in place in WebAssembly
 * (../wasm_inplace.ts): the same float64 operations in the same order, so the same bits.
 * @module
 */
import type { CpuKernel, CpuKernels } from "./types.ts";
import {
  ALIGN,
  columnJobs,
  type CpuSplit,
  type CpuSplits,
  partsFor,
  rowSplit,
  splitPoints,
} from "../split_parts.ts";
import { inplaceFor } from "../wasm_inplace.ts";

let scratchG = new Float64Array(1024);
let scratchB = new Float64Array(1024);

const layerNorm: CpuKernel<"layer_norm"> = ([x, g, b], [y, mean, rstd], attrs) => {
  const { rows, cols, eps } = attrs;
  const wasm = inplaceFor(x, g, b, y, mean, rstd);
  if (wasm) {
    const p = [x, g, b, y, mean, rstd].map((a) => a.byteOffset);
    wasm.layerNorm(p[0], p[1], p[2], p[3], p[4], p[5], rows, cols, eps);
    return;
  }
  const odd = cols & 1;
  const even = cols - odd;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const xr = x.subarray(base, base + cols);
    const yr = y.subarray(base, base + cols);
    // One pass over the row for both moments, of x − k with k = x[0] (the "shifted data"
    // formula): the variance is then Σ(x − k)²/n − (Σ(x − k)/n)², and since k is one of the row's
    // values its distance to the mean is a few standard deviations, so nothing cancels badly
    // (unlike Σx²/n − mean², when |mean| ≫ std).
    const k = xr[0];
    let s0 = 0, s1 = 0, q0 = 0, q1 = 0;
    for (let c = 0; c < even; c += 2) {
      const d0 = xr[c] - k;
      const d1 = xr[c + 1] - k;
      s0 += d0;
      s1 += d1;
      q0 += d0 * d0;
      q1 += d1 * d1;
    }
    if (odd) {
      const d = xr[even] - k;
      s0 += d;
      q0 += d * d;
    }
    const ds = (s0 + s1) / cols;
    const m = k + ds;
    const variance = Math.max((q0 + q1) / cols - ds * ds, 0);
    const rs = 1 / Math.sqrt(variance + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) yr[c] = (xr[c] - m) * rs * g[c] + b[c];
  }
};

// dx = rstd · (dŷ − mean(dŷ) − x̂ · mean(dŷ · x̂)) with dŷ = dy · γ.
const layerNormGrad: CpuKernel<"layer_norm_grad"> = ([dy, x, g, mean, rstd], [dx], attrs) => {
  const { rows, cols } = attrs;
  const wasm = inplaceFor(dy, x, g, mean, rstd, dx);
  if (wasm) {
    const p = [dy, x, g, mean, rstd, dx].map((a) => a.byteOffset);
    wasm.layerNormGrad(p[0], p[1], p[2], p[3], p[4], p[5], rows, cols);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const dyr = dy.subarray(base, base + cols);
    const xr = x.subarray(base, base + cols);
    const dxr = dx.subarray(base, base + cols);
    const m = mean[r];
    const rs = rstd[r];
    // Σ dŷ and Σ dŷ·(x − mean), rstd factored out of the second; two partial sums of each (a
    // chain of float adds waits on itself).
    let s1 = 0, s2 = 0, t1 = 0, t2 = 0;
    let c = 0;
    for (; c + 1 < cols; c += 2) {
      const d0 = dyr[c] * g[c];
      const d1 = dyr[c + 1] * g[c + 1];
      s1 += d0;
      t1 += d1;
      s2 += d0 * (xr[c] - m);
      t2 += d1 * (xr[c + 1] - m);
    }
    if (c < cols) {
      const d = dyr[c] * g[c];
      s1 += d;
      s2 += d * (xr[c] - m);
    }
    const a = (s1 + t1) / cols;
    const k = (s2 + t2) * rs * rs / cols;
    for (let j = 0; j < cols; j++) dxr[j] = rs * (dyr[j] * g[j] - a - (xr[j] - m) * k);
  }
};

const layerNormGradParams: CpuKernel<"layer_norm_grad_params"> = (
  [dy, x, mean, rstd],
  [dg, db],
  attrs,
) => {
  const { rows, cols: stride } = attrs;
  const from = (attrs.colFrom as number | undefined) ?? 0;
  const to = (attrs.colTo as number | undefined) ?? stride;
  const cols = to - from;
  const wasm = inplaceFor(dy, x, mean, rstd, dg, db);
  if (wasm) {
    const p = [dy, x, mean, rstd, dg, db].map((a) => a.byteOffset);
    wasm.layerNormGradParams(p[0], p[1], p[2], p[3], p[4], p[5], rows, stride, from, to);
    return;
  }
  if (scratchG.length < cols) {
    scratchG = new Float64Array(cols);
    scratchB = new Float64Array(cols);
  }
  const ag = scratchG.fill(0, 0, cols);
  const ab = scratchB.fill(0, 0, cols);
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const base = r * stride + from;
    const d0 = dy.subarray(base, base + cols);
    const d1 = dy.subarray(base + stride, base + stride + cols);
    const x0 = x.subarray(base, base + cols);
    const x1 = x.subarray(base + stride, base + stride + cols);
    const m0 = mean[r], m1 = mean[r + 1];
    const r0 = rstd[r], r1 = rstd[r + 1];
    for (let c = 0; c < cols; c++) {
      ag[c] += d0[c] * ((x0[c] - m0) * r0) + d1[c] * ((x1[c] - m1) * r1);
      ab[c] += d0[c] + d1[c];
    }
  }
  for (; r < rows; r++) {
    const base = r * stride + from;
    const m = mean[r];
    const rs = rstd[r];
    for (let c = 0; c < cols; c++) {
      ag[c] += dy[base + c] * ((x[base + c] - m) * rs);
      ab[c] += dy[base + c];
    }
  }
  for (let c = 0; c < cols; c++) {
    dg[c] = ag[c];
    db[c] = ab[c];
  }
};

/** Layer-norm kernels by name. */
export const layerNormKernels: CpuKernels<
  "layer_norm" | "layer_norm_grad" | "layer_norm_grad_params"
> = {
  layer_norm: layerNorm,
  layer_norm_grad: layerNormGrad,
  layer_norm_grad_params: layerNormGradParams,
};

/**
 * `layer_norm_grad_params` split by columns (`colFrom`/`colTo`, outputs sliced): every part reads
 * all rows, and each column's sum is the same chain of adds as in the whole call.
 */
const layerNormGradParamsSplit: CpuSplit<"layer_norm_grad_params"> = (
  inputs,
  outputs,
  attrs,
  threads,
  minPart = 65536,
) => {
  const { rows, cols } = attrs;
  const points = splitPoints(cols, partsFor(rows * cols, minPart, threads), ALIGN);
  const name = "layer_norm_grad_params";
  return columnJobs(name, inputs, outputs, points, attrs, "colFrom", "colTo", true);
};

/**
 * Layer-norm kernels split: the forward and the input gradient by rows (../split_parts.ts
 * `rowSplit`; γ (and β) read whole, mean and rstd one per row), the parameter gradients by columns.
 */
export const layerNormSplits: CpuSplits<
  "layer_norm" | "layer_norm_grad" | "layer_norm_grad_params"
> = {
  layer_norm: rowSplit("layer_norm", 32768, { inputs: ["c", 0, 0], outputs: ["c", 1, 1] }),
  layer_norm_grad: rowSplit("layer_norm_grad", 32768, {
    inputs: ["c", "c", 0, 1, 1],
    outputs: ["c"],
  }),
  layer_norm_grad_params: layerNormGradParamsSplit,
};
