/**
 * Reductions over axes: sum, mean, max (with keepdim), and `sumToShape`, which folds a broadcast
 * gradient back onto its input's shape.
 *
 * Kernel `reduce` (sum, sum of squares or max over the middle axis of an `[outer, r, inner]` view):
 * CPU src/backend/cpu/kernels/reduce.ts, WebGPU src/backend/webgpu/kernels/reduce.ts +
 * shaders/reduce.wgsl. max's gradient mask is a `map` expression (map.ts).
 * @module
 */
import { normAxes, sameShape, sizeOf } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernel, runKernelInto, withGrad } from "./kernel.ts";
import { map, type MapExpr } from "./map.ts";
import { broadcastTo, reshape } from "./shape_ops.ts";
import { div, mul } from "./binary.ts";
import { mulScalar } from "./unary.ts";
import type { ReduceAttrs } from "../backend/kernel_contract.ts";

export type { ReduceAttrs };

/** Reduces one run of adjacent axes [a0, a1] of `x` (no graph). */
function reduceRun(x: Tensor, a0: number, a1: number, op: "sum" | "max"): Tensor {
  const outer = sizeOf(x.shape.slice(0, a0));
  const r = sizeOf(x.shape.slice(a0, a1 + 1));
  const inner = sizeOf(x.shape.slice(a1 + 1));
  const shape = [...x.shape.slice(0, a0), ...x.shape.slice(a1 + 1)];
  const attrs: ReduceAttrs = { op, outer, r, inner };
  return runKernel("reduce", [x], shape, "f32", attrs);
}

/** Reduces `axes` (sorted) without recording a graph; result has the axes removed. */
function reduceRaw(x: Tensor, axes: number[], op: "sum" | "max"): Tensor {
  // Group adjacent axes into runs; reduce the last run first so earlier axis numbers stay valid.
  const runs: [number, number][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last[1] === a - 1) last[1] = a;
    else runs.push([a, a]);
  }
  let cur = x;
  for (let i = runs.length - 1; i >= 0; i--) {
    const next = reduceRun(cur, runs[i][0], runs[i][1], op);
    if (cur !== x) cur.dispose();
    cur = next;
  }
  return cur === x ? x.view() : cur;
}

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

/** Sums a broadcast gradient `g` back to `shape` (the shape of the input that was broadcast). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g.view();
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = reduceRaw(g, axes, "sum");
  const out = reshapeRaw(s, shape);
  return out;
}

/** Reshape without graph, consuming `t` (used on fresh intermediates only). */
function reshapeRaw(t: Tensor, shape: readonly number[]): Tensor {
  const v = t.view(shape);
  t.dispose();
  return v;
}
