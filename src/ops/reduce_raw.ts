/**
 * Graph-free reductions: the `reduce` kernel over runs of adjacent axes, and `sumToShape`, which
 * folds a broadcast gradient back onto its input's shape. They record nothing, so the gradients
 * of the elementwise ops (binary.ts), matmul and the shape ops use them without importing the
 * differentiable reductions of reduce.ts (which themselves need those ops' gradients).
 *
 * Kernel `reduce`: CPU src/backend/cpu/kernels/reduce.ts, WebGPU src/backend/webgpu/kernels/reduce.ts
 * + shaders/reduce.wgsl.
 * @module
 */
import { sameShape, sizeOf } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernel } from "./kernel.ts";
import type { ReduceAttrs } from "../core/kernel_contract.ts";

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
export function reduceRaw(x: Tensor, axes: number[], op: "sum" | "max"): Tensor {
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
export function reshapeRaw(t: Tensor, shape: readonly number[]): Tensor {
  const v = t.view(shape);
  t.dispose();
  return v;
}
