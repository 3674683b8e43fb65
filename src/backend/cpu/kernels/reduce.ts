/**
 * CPU kernel `reduce` (src/ops/reduce.ts): sum, sum of squares or max over the middle axis of
 * [outer, r, inner].
 *
 * Sums accumulate in float64 (a scalar for inner = 1, a reused scratch row otherwise) and are
 * rounded once when written; four input rows are added per pass over the accumulator row, so it
 * is loaded and stored a quarter as often (bias gradients: [1, tokens, width]).
 *
 * Optional `innerFrom` / `innerTo` attributes reduce only those inner positions (a worker's share,
 * see `reduceSplits`): each position's sum is the same chain of adds either way.
 *
 * On tensors of the WebAssembly heap, sums over rows of 16 or more positions, and sums along rows
 * of 16 or more elements (gradient clipping's Σg² of a whole tensor), run in place in WebAssembly
 * (../wasm_inplace.ts): the same float64 adds in the same order, so the same bits.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { ALIGN, columnJobs, type CpuSplits, partsFor, splitPoints } from "../split_parts.ts";
import { inplaceFor, inplaceScratch, memoryOf } from "../wasm_inplace.ts";

/** Runs shorter than this are indexed with offsets rather than re-based with `subarray`. */
const SHORT = 16;

let scratch = new Float64Array(1024);

/** A float64 row of at least `n` elements, reused between calls (kernels run one at a time). */
function scratchRow(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  return scratch;
}

/** Σ x[base + j] (or of squares) for j < r, in float64. */
function sumRun(x: TypedArray, base: number, r: number, squares: boolean): number {
  if (r < SHORT) {
    let s = 0;
    for (let j = base; j < base + r; j++) s += squares ? x[j] * x[j] : x[j];
    return s;
  }
  const v = x.subarray(base, base + r);
  let s0 = 0, s1 = 0;
  let j = 0;
  // Two accumulators: the float adds of one chain would wait on each other.
  if (squares) {
    for (; j + 1 < r; j += 2) {
      s0 += v[j] * v[j];
      s1 += v[j + 1] * v[j + 1];
    }
    if (j < r) s0 += v[j] * v[j];
  } else {
    for (; j + 1 < r; j += 2) {
      s0 += v[j];
      s1 += v[j + 1];
    }
    if (j < r) s0 += v[j];
  }
  return s0 + s1;
}

/** acc[i] = Σ rows j < r of x[base + j·stride + i] for i < inner, four rows per pass. */
function sumRows(
  x: TypedArray,
  base: number,
  r: number,
  stride: number,
  inner: number,
  squares: boolean,
  acc: Float64Array,
): void {
  acc.fill(0, 0, inner);
  if (inner < SHORT) {
    for (let j = 0; j < r; j++) {
      const o = base + j * stride;
      for (let i = 0; i < inner; i++) acc[i] += squares ? x[o + i] * x[o + i] : x[o + i];
    }
    return;
  }
  let j = 0;
  for (; j + 3 < r; j += 4) {
    const o = base + j * stride;
    const a = x.subarray(o, o + inner);
    const b = x.subarray(o + stride, o + stride + inner);
    const c = x.subarray(o + 2 * stride, o + 2 * stride + inner);
    const d = x.subarray(o + 3 * stride, o + 3 * stride + inner);
    if (squares) {
      for (let i = 0; i < inner; i++) {
        acc[i] += (a[i] * a[i] + b[i] * b[i]) + (c[i] * c[i] + d[i] * d[i]);
      }
    } else for (let i = 0; i < inner; i++) acc[i] += (a[i] + b[i]) + (c[i] + d[i]);
  }
  for (; j < r; j++) {
    const o = base + j * stride;
    const a = x.subarray(o, o + inner);
    if (squares) { for (let i = 0; i < inner; i++) acc[i] += a[i] * a[i]; }
    else for (let i = 0; i < inner; i++) acc[i] += a[i];
  }
}

/**
 * max over j < r of x[base + j·stride + i] into out[ob + i] for i < inner (NaNs are skipped, as
 * before).
 */
function maxRows(
  x: TypedArray,
  base: number,
  r: number,
  stride: number,
  inner: number,
  out: TypedArray,
  ob: number,
): void {
  for (let i = 0; i < inner; i++) out[ob + i] = -Infinity;
  for (let j = 0; j < r; j++) {
    const row = base + j * stride;
    for (let i = 0; i < inner; i++) if (x[row + i] > out[ob + i]) out[ob + i] = x[row + i];
  }
}

const reduce: CpuKernel<"reduce"> = ([x], [out], attrs) => {
  const { op, outer, r, inner, outOffset = 0 } = attrs;
  const from = (attrs.innerFrom as number | undefined) ?? 0;
  const w = ((attrs.innerTo as number | undefined) ?? inner) - from;
  const squares = op === "sumsq";
  if (op === "max") {
    for (let o = 0; o < outer; o++) {
      maxRows(x, o * r * inner + from, r, inner, w, out, outOffset + o * inner + from);
    }
    return;
  }
  if (inner === 1) {
    const wasm = r >= SHORT && x instanceof Float32Array ? inplaceFor(x) : null;
    for (let o = 0; o < outer; o++) {
      out[outOffset + o] = wasm
        ? wasm.sumRun(x.byteOffset + 4 * o * r, r, squares)
        : sumRun(x, o * r, r, squares);
    }
    return;
  }
  if (w >= SHORT && inplaceSum(x, out, attrs, from, w, squares)) return;
  const acc = scratchRow(w);
  for (let o = 0; o < outer; o++) {
    sumRows(x, o * r * inner + from, r, inner, w, squares, acc);
    const ob = outOffset + o * inner + from;
    for (let i = 0; i < w; i++) out[ob + i] = acc[i];
  }
};

/** The sum over rows in place in WebAssembly; false when the arrays are not all on the heap. */
function inplaceSum(
  x: TypedArray,
  out: TypedArray,
  attrs: { outer: number; r: number; inner: number; outOffset?: number },
  from: number,
  w: number,
  squares: boolean,
): boolean {
  if (!(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const wasm = inplaceFor(x, out);
  const acc = wasm && inplaceScratch(memoryOf(x)!, 8 * w);
  if (!wasm || acc === null) return false;
  const { outer, r, inner, outOffset = 0 } = attrs;
  wasm.reduceSum(x.byteOffset, out.byteOffset, acc, outer, r, inner, from, w, outOffset, squares);
  return true;
}

/** Reduction kernels by name. */
export const reduceKernels: CpuKernels<"reduce"> = { reduce };

/**
 * `reduce` over rows (inner > 1) split by inner positions (`innerFrom`/`innerTo`, each part
 * writing into the whole output): each position's sum is the same chain of adds. A reduction along
 * a row (inner = 1) would change its summation order and stays whole.
 */
export const reduceSplits: CpuSplits<"reduce"> = {
  reduce: (inputs, outputs, attrs, threads, minPart = 65536) => {
    const { outer, r, inner } = attrs;
    if (inner < 2) return null;
    const points = splitPoints(inner, partsFor(outer * r * inner, minPart, threads), ALIGN);
    return columnJobs("reduce", inputs, outputs, points, attrs, "innerFrom", "innerTo", false);
  },
};
