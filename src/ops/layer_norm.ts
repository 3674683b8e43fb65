/**
 * Layer normalisation over the last axis as one fused op: `y = (x - mean)·rstd·γ + β`.
 * The forward kernel also returns each row's mean and 1/σ, which the backward kernels reuse.
 * Kernels (src/backend/{cpu,webgpu}/kernels/layer_norm.ts, shaders/layer_norm.wgsl):
 * `layer_norm`, `layer_norm_grad` (dx, per row) and `layer_norm_grad_params` (dγ, dβ, per column).
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernelN, withGrad } from "./kernel.ts";

/** Attributes of the layer-norm kernels. */
export interface LayerNormAttrs {
  rows: number;
  cols: number;
  eps: number;
}

/**
 * LayerNorm over the last axis with weight `gamma` and bias `beta` (both `[cols]`).
 * @example
 * ```ts
 * const h = layerNorm(x, gamma, beta, 1e-12); // BERT's eps
 * ```
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const cols = x.shape[x.rank - 1];
  if (gamma.rank !== 1 || gamma.shape[0] !== cols || beta.rank !== 1 || beta.shape[0] !== cols) {
    throw new ShapeError(
      "layerNorm",
      `gamma ${fmtShape(gamma.shape)} and beta ${
        fmtShape(beta.shape)
      } must be [${cols}] for input ${fmtShape(x.shape)}`,
    );
  }
  const rows = x.size / cols;
  const attrs: LayerNormAttrs = { rows, cols, eps };
  const [y, mean, rstd] = runKernelN("layer_norm", [x, gamma, beta], [
    { shape: x.shape, dtype: "f32" },
    { shape: [rows], dtype: "f32" },
    { shape: [rows], dtype: "f32" },
  ], attrs as never);
  const out = withGrad("layerNorm", [x, gamma, beta], y, [x, gamma, mean, rstd], (dy, s, needs) => {
    const [xs, g, m, r] = s;
    const dx = needs[0]
      ? runKernelN(
        "layer_norm_grad",
        [dy, xs, g, m, r],
        [{ shape: x.shape, dtype: "f32" }],
        attrs as never,
      )[0]
      : null;
    let dg: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[1] || needs[2]) {
      [dg, db] = runKernelN("layer_norm_grad_params", [dy, xs, m, r], [
        { shape: [cols], dtype: "f32" },
        { shape: [cols], dtype: "f32" },
      ], attrs as never);
    }
    return [dx, needs[1] ? dg : null, needs[2] ? db : null];
  });
  mean.dispose();
  rstd.dispose();
  return out;
}
