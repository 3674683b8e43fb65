/**
 * Layer normalisation over the last axis as one fused op: `y = (x - mean)·rstd·γ + β`.
 * The forward kernel also returns each row's mean and 1/σ, which the backward kernels reuse.
 *
 * Kernels `layer_norm`, `layer_norm_grad` (dx, per row) and `layer_norm_grad_params` (dγ, dβ, per
 * column): CPU src/backend/cpu/kernels/layer_norm.ts, WebGPU
 * src/backend/webgpu/kernels/layer_norm.ts + shaders/layer_norm.wgsl.
 *
 * `residual_layer_norm` (`residualLayerNorm`, BERT's sublayer output LayerNorm(dropout(x) +
 * residual)) is a forward kernel only. On the CPU it has a file of its own,
 * src/backend/cpu/kernels/residual_layer_norm.ts (reusing the `dropout` and `layer_norm` kernels);
 * on WebGPU it is in src/backend/webgpu/kernels/layer_norm.ts + shaders/layer_norm.wgsl, with
 * shaders/hash.wgsl appended (the dropout mask). Its gradient is `layer_norm_grad`,
 * `layer_norm_grad_params` and the `dropout` kernel.
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import { sameShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { globalRandom } from "../core/random.ts";
import { dropout } from "./dropout.ts";
import { runKernelN, withGrad } from "./kernel.ts";
import type { LayerNormAttrs, ResidualLayerNormAttrs } from "../core/kernel_contract.ts";

export type { LayerNormAttrs, ResidualLayerNormAttrs };

function checkParams(op: string, x: Tensor, gamma: Tensor, beta: Tensor): void {
  const cols = x.shape[x.rank - 1];
  if (gamma.rank !== 1 || gamma.shape[0] !== cols || beta.rank !== 1 || beta.shape[0] !== cols) {
    throw new ShapeError(
      op,
      `gamma ${fmtShape(gamma.shape)} and beta ${
        fmtShape(beta.shape)
      } must be [${cols}] for input ${fmtShape(x.shape)}`,
    );
  }
}

/** dx (per row) and dγ, dβ (per column) of a layer norm of `xs`, as needs asks. */
function layerNormGrads(
  dy: Tensor,
  xs: Tensor,
  g: Tensor,
  m: Tensor,
  r: Tensor,
  attrs: LayerNormAttrs,
  needs: readonly boolean[],
): [Tensor | null, Tensor | null, Tensor | null] {
  const dx = needs[0]
    ? runKernelN(
      "layer_norm_grad",
      [dy, xs, g, m, r],
      [{ shape: xs.shape, dtype: "f32" }],
      attrs,
    )[0]
    : null;
  let dg: Tensor | null = null;
  let db: Tensor | null = null;
  if (needs[1] || needs[2]) {
    [dg, db] = runKernelN("layer_norm_grad_params", [dy, xs, m, r], [
      { shape: [attrs.cols], dtype: "f32" },
      { shape: [attrs.cols], dtype: "f32" },
    ], attrs);
  }
  return [dx, needs[1] ? dg : null, needs[2] ? db : null];
}

/**
 * LayerNorm over the last axis with weight `gamma` and bias `beta` (both `[cols]`).
 * @example
 * ```ts
 * const h = layerNorm(x, gamma, beta, 1e-12); // BERT's eps
 * ```
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  checkParams("layerNorm", x, gamma, beta);
  const cols = x.shape[x.rank - 1];
  const rows = x.size / cols;
  const attrs: LayerNormAttrs = { rows, cols, eps };
  const [y, mean, rstd] = runKernelN("layer_norm", [x, gamma, beta], [
    { shape: x.shape, dtype: "f32" },
    { shape: [rows], dtype: "f32" },
    { shape: [rows], dtype: "f32" },
  ], attrs);
  const out = withGrad(
    "layerNorm",
    [x, gamma, beta],
    y,
    [x, gamma, mean, rstd],
    (dy, [xs, g, m, r], needs) => layerNormGrads(dy, xs, g, m, r, attrs, needs),
  );
  mean.dispose();
  rstd.dispose();
  return out;
}

/** Options of `residualLayerNorm`. */
export interface ResidualLayerNormOptions {
  /** Dropout probability on `x` (default 0). */
  p?: number;
  /** Apply the dropout (training); default true. */
  training?: boolean;
  /** Mask seed; default: drawn from the library-wide generator (as `dropout` draws it). */
  seed?: number;
}

/**
 * `layerNorm(dropout(x) + residual)`, BERT's sublayer output, in one forward kernel: the sum is
 * written once (kept for the backward) instead of a dropout output, a sum and the normalised
 * output in three passes. The mask is `dropout`'s for the same seed, p and shapes, and the seed is
 * drawn at the same point, so results equal the unfused ops'.
 * @example
 * ```ts
 * const h = residualLayerNorm(dense, x, gamma, beta, 1e-12, { p: 0.1, training: true });
 * ```
 */
export function residualLayerNorm(
  x: Tensor,
  residual: Tensor,
  gamma: Tensor,
  beta: Tensor,
  eps = 1e-5,
  options: ResidualLayerNormOptions = {},
): Tensor {
  const op = "residualLayerNorm";
  checkParams(op, x, gamma, beta);
  if (!sameShape(x.shape, residual.shape)) {
    throw new ShapeError(
      op,
      `x ${fmtShape(x.shape)} and residual ${fmtShape(residual.shape)} differ`,
    );
  }
  const p = options.training === false ? 0 : options.p ?? 0;
  if (!(p >= 0 && p < 1)) throw new ShapeError(op, `p must be in [0, 1), got ${p}`);
  const cols = x.shape[x.rank - 1];
  const rows = x.size / cols;
  const attrs: ResidualLayerNormAttrs = {
    rows,
    cols,
    eps,
    p,
    seed: p > 0 ? options.seed ?? globalRandom.nextU32() : 0,
  };
  const [y, mean, rstd, sum] = runKernelN("residual_layer_norm", [x, residual, gamma, beta], [
    { shape: x.shape, dtype: "f32" },
    { shape: [rows], dtype: "f32" },
    { shape: [rows], dtype: "f32" },
    { shape: x.shape, dtype: "f32" },
  ], attrs);
  const out = withGrad(
    op,
    [x, residual, gamma, beta],
    y,
    [sum, gamma, mean, rstd],
    (dy, [s, g, m, r], needs) => {
      const [ds, dg, db] = layerNormGrads(dy, s, g, m, r, attrs, [
        needs[0] || needs[1],
        needs[2],
        needs[3],
      ]);
      // d(residual) = ds; dx = ds through the same dropout mask.
      const dx = needs[0] && ds ? (p > 0 ? dropout(ds, p, { seed: attrs.seed }) : ds.view()) : null;
      return [dx, needs[1] ? ds : null, dg, db];
    },
  );
  mean.dispose();
  rstd.dispose();
  sum.dispose();
  return out;
}
