/**
 * Reductions over axes: sum, mean, max (with keepdim). The graph-free reductions they run on, and
 * `sumToShape` of the broadcasting gradients, are in reduce_raw.ts.
 *
 * Kernel `reduce` (sum, sum of squares or max over the middle axis of an `[outer, r, inner]` view):
 * CPU src/backend/cpu/kernels/reduce.ts, WebGPU src/backend/webgpu/kernels/reduce.ts +
 * shaders/reduce.wgsl. max's gradient mask is a `map` expression (map.ts).
 * @module
 */
import { normAxes } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernelInto, withGrad } from "./kernel.ts";
import { reduceRaw, reshapeRaw } from "./reduce_raw.ts";
import { map, type MapExpr } from "./map.ts";
import { broadcastTo, reshape } from "./shape_ops.ts";
import { div, mul } from "./binary.ts";
import { mulScalar } from "./unary.ts";
import type { ReduceAttrs } from "../core/kernel_contract.ts";

export type { ReduceAttrs };
export { sumToShape } from "./reduce_raw.ts";

function keptShape(shape: readonly number[], axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * Sum over `axes` (default all).
 * @example
 * ```ts
 * sum(x, -1, true); // row sums, shape [..., 1]
 * ```
 */
export function sum(x: Tensor, axes?: number | number[], keepdim = false): Tensor {
  const ax = normAxes("sum", axes, x.rank);
  const kept = keptShape(x.shape, ax);
  let y = reduceRaw(x, ax, "sum");
  if (keepdim) y = reshapeRaw(y, kept);
  return withGrad("sum", [x], y, [], (dy) => [broadcastTo(reshape(dy, kept), x.shape)]);
}

/** Mean over `axes` (default all). */
export function mean(x: Tensor, axes?: number | number[], keepdim = false): Tensor {
  const ax = normAxes("mean", axes, x.rank);
  const n = ax.reduce((acc, a) => acc * x.shape[a], 1);
  const s = sum(x, ax, keepdim);
  const y = mulScalar(s, 1 / n);
  s.dispose();
  return y;
}

const EQ_MASK: MapExpr = {
  key: "eq_mask",
  wgsl: "select(0.0, 1.0, a == b)",
  js: (a, b) => (a === b ? 1 : 0),
};

/** Max over `axes`; the gradient is shared equally among tied maxima (like `torch.amax`). */
export function max(x: Tensor, axes?: number | number[], keepdim = false): Tensor {
  const ax = normAxes("max", axes, x.rank);
  const kept = keptShape(x.shape, ax);
  let y = reduceRaw(x, ax, "max");
  if (keepdim) y = reshapeRaw(y, kept);
  return withGrad("max", [x], y, [x, y], (dy, [xs, ys]) => {
    const yk = reshape(ys, kept);
    const mask = map("max", EQ_MASK, [xs, yk]);
    const count = sum(mask, ax, true);
    const share = div(reshape(dy, kept), count);
    const g = mul(mask, share);
    for (const t of [yk, mask, count, share]) t.dispose();
    return [g];
  });
}

/**
 * Writes Σx² over all of `x` into element `slot` of the existing tensor `out` (no graph): one
 * dispatch per tensor for gradient-norm clipping.
 */
export function sumSquaresInto(x: Tensor, out: Tensor, slot: number): void {
  const attrs: ReduceAttrs = { op: "sumsq", outer: 1, r: x.size, inner: 1, outOffset: slot };
  runKernelInto("reduce", [x], [out], attrs);
}
