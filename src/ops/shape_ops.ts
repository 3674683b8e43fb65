/**
 * Shape ops: reshape (a view, no copy), permute/transpose, slice, concat, broadcastTo.
 *
 * Kernels `strided_copy` (gathers a strided view of the input into a contiguous output) and
 * `strided_scatter` (writes a contiguous input into a strided view of an existing output): CPU
 * src/backend/cpu/kernels/strided.ts, WebGPU src/backend/webgpu/kernels/strided.ts +
 * shaders/strided.wgsl. Gradients of broadcasts are `sumToShape` (reduce.ts).
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import { coalesce, normAxis, sameShape, sizeOf, stridesOf } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { allocTensor, runKernel, runKernelInto, withGrad } from "./kernel.ts";
import { sumToShape } from "./reduce_raw.ts";
import type { StridedAttrs } from "../core/kernel_contract.ts";

export type { StridedAttrs };

function stridedAttrs(shape: readonly number[], strides: readonly number[], offset: number) {
  const c = coalesce(shape, [stridesOf(shape), strides]);
  const attrs: StridedAttrs = { shape: c.shape, strides: c.strides[1], offset };
  return attrs;
}

/** Gathers the strided view (shape, strides, offset) of `x` into a new contiguous tensor. */
function gatherView(
  x: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
) {
  return runKernel("strided_copy", [x], shape, x.dtype, stridedAttrs(shape, strides, offset));
}

/** Writes contiguous `src` into the strided view (shape = src.shape, strides, offset) of `dst`. */
function scatterView(src: Tensor, dst: Tensor, strides: readonly number[], offset: number): void {
  if (src.size === 0) return;
  runKernelInto("strided_scatter", [src], [dst], stridedAttrs(src.shape, strides, offset));
}

/** Resolves one `-1` in a target shape. */
function resolveShape(x: Tensor, shape: readonly number[]): number[] {
  const s = shape.slice();
  const free = s.indexOf(-1);
  if (free >= 0) {
    const rest = sizeOf(s.filter((_, i) => i !== free));
    s[free] = rest === 0 ? 0 : x.size / rest;
  }
  if (sizeOf(s) !== x.size || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError("reshape", `cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  return s;
}

/** Same data, new shape (one dim may be -1). No copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = resolveShape(x, shape);
  const y = x.view(s);
  return withGrad("reshape", [x], y, [], (dy) => [dy.view(x.shape)]);
}

/** Reorders dims: `y.shape[i] = x.shape[perm[i]]`. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => normAxis("permute", a, x.rank));
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new ShapeError("permute", `perm [${perm}] is not a permutation of ${x.rank} dims`);
  }
  const xs = stridesOf(x.shape);
  const shape = p.map((a) => x.shape[a]);
  const y = gatherView(x, shape, p.map((a) => xs[a]), 0);
  const inv = new Array<number>(p.length);
  p.forEach((a, i) => (inv[a] = i));
  return withGrad("permute", [x], y, [], (dy) => [permute(dy, inv)]);
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const p = [...x.shape.keys()];
  const a = normAxis("transpose", dim0, x.rank);
  const b = normAxis("transpose", dim1, x.rank);
  [p[a], p[b]] = [p[b], p[a]];
  return permute(x, p);
}

/**
 * `x[start:end]` along `axis` (end exclusive; negative values count from the end).
 * @example
 * ```ts
 * slice(h, 1, 0, 1); // [B, T, H] -> [B, 1, H], the [CLS] position
 * ```
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normAxis("slice", axis, x.rank);
  const d = x.shape[a];
  const s0 = Math.min(Math.max(start < 0 ? start + d : start, 0), d);
  const e0 = Math.min(Math.max(end === undefined ? d : end < 0 ? end + d : end, s0), d);
  const shape = x.shape.slice();
  shape[a] = e0 - s0;
  const xs = stridesOf(x.shape);
  const y = gatherView(x, shape, xs, s0 * xs[a]);
  return withGrad("slice", [x], y, [], (dy) => {
    const g = allocTensor(dy.backend, x.shape, dy.dtype, true);
    scatterView(dy, g, xs, s0 * xs[a]);
    return [g];
  });
}

/** Joins tensors along `axis`; all other dims must match. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError("concat", "needs at least one tensor");
  const a = normAxis("concat", axis, xs[0].rank);
  for (const t of xs) {
    if (t.rank !== xs[0].rank || t.shape.some((d, i) => i !== a && d !== xs[0].shape[i])) {
      throw new ShapeError(
        "concat",
        `shapes ${xs.map((t) => fmtShape(t.shape)).join(", ")} differ outside axis ${axis}`,
      );
    }
  }
  const shape = xs[0].shape.slice();
  shape[a] = xs.reduce((acc, t) => acc + t.shape[a], 0);
  const y = allocTensor(xs[0].backend, shape, xs[0].dtype);
  const ys = stridesOf(shape);
  const offsets: number[] = [];
  let off = 0;
  for (const t of xs) {
    offsets.push(off);
    scatterView(t, y, ys, off * ys[a]);
    off += t.shape[a];
  }
  return withGrad(
    "concat",
    xs,
    y,
    [],
    (dy, _s, needs) =>
      xs.map((t, i) => (needs[i] ? gatherView(dy, t.shape, ys, offsets[i] * ys[a]) : null)),
  );
}

/** Repeats `x` along broadcast dims to `shape` (a copy). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return reshape(x, shape);
  const off = shape.length - x.rank;
  if (off < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[off + i])) {
    throw new ShapeError(
      "broadcastTo",
      `cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`,
    );
  }
  const own = stridesOf(x.shape);
  const strides = shape.map((_, i) => (i < off || x.shape[i - off] === 1 ? 0 : own[i - off]));
  const y = gatherView(x, shape, strides, 0);
  return withGrad("broadcastTo", [x], y, [], (dy) => [sumToShape(dy, x.shape)]);
}

/** Inserts a size-1 dim at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  const s = x.shape.slice();
  s.splice(a, 0, 1);
  return reshape(x, s);
}

/** Removes size-1 dims (all, or the one at `axis`). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normAxis("squeeze", axis, x.rank);
  return reshape(x, x.shape.filter((d, i) => i !== a || d !== 1));
}
