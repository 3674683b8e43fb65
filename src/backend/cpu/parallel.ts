/**
 * Splitting CPU kernels across threads. A {@link CpuWorkers} pool (created by the host: Deno's is
 * src/io/deno/cpu_workers.ts; the browser has none) runs the same kernel functions on other threads,
 * on views of the same SharedArrayBuffer-backed arrays. {@link splitKernel} cuts one kernel call
 * into calls of the same kernel on disjoint parts, chosen so that every output element is computed
 * by exactly the arithmetic of the whole call: the results are bit-identical whatever the number
 * of parts, and running the parts one after the other gives the same bits too.
 *
 * - Row kernels (softmax and its gradient, layer norm and its input gradient, the residual layer
 *   norm, cross-entropy and its gradient) split by rows; the few that index something by the
 *   global row (softmax's mask, the residual layer norm's dropout) get a `rowOffset` attribute.
 * - Element-wise kernels split by element ranges: `map` when its expression has a hand-written row
 *   loop (the worker gets no functions), `dropout` with an `indexOffset` attribute (the mask hashes
 *   the global index), AdamW at multiples of its 128-element zero-test block.
 * - Reductions over rows (`reduce` with inner > 1, the layer-norm parameter gradients) split by
 *   columns (`innerFrom`/`innerTo`, `colFrom`/`colTo`): each column's sum is the same chain of
 *   adds. Reductions along a row (`reduce` with inner = 1) would change their summation order and
 *   stay whole, as does everything small.
 * - GEMMs split by rows of op(A) and C ({@link splitGemm}): each part is a GEMM of its own (the host
 *   runs it through its BLAS), every element the same dot product over the same k.
 * @module
 */
import type { TypedArray } from "../../core/dtype.ts";
import type { KernelAttrs } from "../../core/backend.ts";
import { foldBroadcastBatch, type GemmArgs } from "./gemm.ts";
import { mapHasRowLoop } from "./kernels/elementwise.ts";

/** One kernel call: a kernel of the CPU table on (views of) shared arrays. */
export interface CpuJob {
  /** Kernel name in the CPU kernel table. */
  kernel: string;
  /** The kernel's inputs (views of SharedArrayBuffers, so the helper sees the same memory). */
  inputs: TypedArray[];
  /** Where the kernel writes its part of the result (shared views as well). */
  outputs: TypedArray[];
  /** Structured-cloneable attributes (no functions). */
  attrs: KernelAttrs;
}

/** Helper threads that run CPU kernels on SharedArrayBuffer-backed arrays. */
export interface CpuWorkers {
  /** Threads in all, the calling one included (for logs). */
  readonly threads: number;
  /**
   * Helpers that can take a job right now (0 while they start, after `close`, or when they could
   * not be started): the caller then runs everything itself.
   */
  ready(): number;
  /**
   * Runs `jobs[i]` on helper i (at most `ready()` jobs) while the caller runs `local`, and returns
   * when all are done; rethrows the first error (the caller's first).
   */
  run(jobs: readonly CpuJob[], local: () => void): void;
  /** Stops the helpers (idempotent); later calls see `ready() === 0`. */
  close(): void;
}

/** Element-wise kernels' parts start at multiples of this (a 64-byte cache line of float32). */
const ALIGN = 16;
/** AdamW's zero-test block (src/backend/cpu/kernels/adamw.ts): its parts start on one. */
const ADAMW_BLOCK = 128;

/**
 * Least elements (rows × cols for row kernels) per part: below it a part's work is not worth a
 * round trip to a worker (tens of microseconds, more while BLAS threads still spin).
 */
const MIN_PART: Record<string, number> = {
  softmax: 32768,
  softmax_grad: 65536,
  layer_norm: 32768,
  layer_norm_grad: 32768,
  residual_layer_norm: 32768,
  cross_entropy: 65536,
  cross_entropy_grad: 65536,
  dropout: 65536,
  map: 65536,
  map_gelu: 16384,
  adamw: 65536,
  adamw_group: 65536,
  reduce: 65536,
  layer_norm_grad_params: 65536,
};

/**
 * Per row kernel: for each input, then each output, the elements per row of its row-indexed
 * arrays ("c" = cols, 1 = one per row) or 0 for an array every part reads whole.
 */
const ROW_LAYOUT: Record<string, { inputs: (0 | 1 | "c")[]; outputs: (1 | "c")[] }> = {
  softmax: { inputs: ["c", 0], outputs: ["c"] },
  softmax_grad: { inputs: ["c", "c"], outputs: ["c"] },
  layer_norm: { inputs: ["c", 0, 0], outputs: ["c", 1, 1] },
  layer_norm_grad: { inputs: ["c", "c", 0, 1, 1], outputs: ["c"] },
  residual_layer_norm: { inputs: ["c", "c", 0, 0], outputs: ["c", 1, 1, "c"] },
  cross_entropy: { inputs: ["c", 1], outputs: [1] },
  cross_entropy_grad: { inputs: ["c", 1, 0], outputs: ["c"] },
};

/** Whether every array lives in shared memory (a worker would otherwise write to a copy). */
export function allShared(arrays: readonly (TypedArray | undefined)[]): boolean {
  for (const a of arrays) if (a && !(a.buffer instanceof SharedArrayBuffer)) return false;
  return true;
}

/**
 * Boundaries 0 = b₀ < b₁ < … < b_parts = n of `parts` near-equal ranges whose inner boundaries
 * are multiples of `align`; fewer parts when n is too small for that.
 */
export function splitPoints(n: number, parts: number, align: number): number[] {
  const points = [0];
  for (let p = 1; p < parts; p++) {
    const b = Math.round((n * p) / parts / align) * align;
    if (b > points[points.length - 1] && b < n) points.push(b);
  }
  points.push(n);
  return points;
}

/** How many parts of at least `min` units `n` units make, at most `threads`. */
function partsFor(n: number, min: number, threads: number): number {
  return Math.max(1, Math.min(threads, Math.floor(n / Math.max(min, 1))));
}

/** Least elements per part of kernel `key`, or the caller's override. */
type MinPart = (key: string) => number;

function rowJobs(
  name: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  threads: number,
  minPart: MinPart,
): CpuJob[] | null {
  const layout = ROW_LAYOUT[name];
  const rows = attrs.rows as number;
  const cols = attrs.cols as number;
  const points = splitPoints(rows, partsFor(rows * cols, minPart(name), threads), 1);
  if (points.length < 3) return null;
  const view = (a: TypedArray | undefined, per: 0 | 1 | "c", r0: number, r1: number) => {
    if (!a || per === 0) return a!;
    const w = per === "c" ? cols : 1;
    return a.subarray(r0 * w, r1 * w);
  };
  const jobs: CpuJob[] = [];
  for (let p = 0; p + 1 < points.length; p++) {
    const r0 = points[p], r1 = points[p + 1];
    jobs.push({
      kernel: name,
      inputs: inputs.map((a, i) => view(a, layout.inputs[i] ?? 0, r0, r1)),
      outputs: outputs.map((a, i) => view(a, layout.outputs[i], r0, r1)),
      attrs: { ...attrs, rows: r1 - r0, rowOffset: r0 },
    });
  }
  return jobs;
}

/** Parts of element-wise calls: every array is cut at the same points. */
function elementJobs(
  name: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  points: number[],
  attrsOf: (from: number) => KernelAttrs,
  wholeInputs: ReadonlySet<number> = new Set(),
): CpuJob[] {
  const jobs: CpuJob[] = [];
  for (let p = 0; p + 1 < points.length; p++) {
    const a = points[p], b = points[p + 1];
    jobs.push({
      kernel: name,
      inputs: inputs.map((x, i) => (wholeInputs.has(i) ? x : x.subarray(a, b))),
      outputs: outputs.map((x) => x.subarray(a, b)),
      attrs: attrsOf(a),
    });
  }
  return jobs;
}

/**
 * Parts of a column reduction: every part reads the inputs whole and writes its columns, through
 * views of the outputs (`sliceOutputs`) or into the whole outputs at their own positions.
 */
function columnJobs(
  name: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  points: number[],
  attrs: KernelAttrs,
  fromKey: string,
  toKey: string,
  sliceOutputs: boolean,
): CpuJob[] | null {
  if (points.length < 3) return null;
  const jobs: CpuJob[] = [];
  for (let p = 0; p + 1 < points.length; p++) {
    const a = points[p], b = points[p + 1];
    jobs.push({
      kernel: name,
      inputs,
      outputs: sliceOutputs ? outputs.map((o) => o.subarray(a, b)) : outputs,
      attrs: { ...attrs, [fromKey]: a, [toKey]: b },
    });
  }
  return jobs;
}

function mapJobs(
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  threads: number,
  minPart: MinPart,
): CpuJob[] | null {
  const expr = attrs.expr as { key: string };
  const out = outputs[0];
  if (!attrs.flat || !mapHasRowLoop(expr.key, inputs.length, out instanceof Float32Array)) {
    return null;
  }
  const gelu = expr.key === "gelu" || expr.key === "gelu_grad";
  const n = out.length;
  const min = minPart(gelu ? "map_gelu" : "map");
  const points = splitPoints(n, partsFor(n, min, threads), ALIGN);
  if (points.length < 3) return null;
  // The row loop is picked by key: the function itself (not cloneable) is left behind.
  const sent = { ...attrs, expr: { key: expr.key } };
  return elementJobs("map", inputs, outputs, points, () => sent);
}

function adamwGroupJobs(
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  threads: number,
  minPart: MinPart,
): CpuJob[] | null {
  const [hDecay, hNoDecay, ...grads] = inputs;
  const decay = attrs.decay as number[];
  const total = grads.reduce((s, g) => s + g.length, 0);
  const parts = partsFor(total, minPart("adamw_group"), threads);
  if (parts < 2) return null;
  // Every parameter large enough is cut into `parts` pieces (on zero-test blocks), piece p to
  // part p: a parameter's cost per element varies (an embedding's unused rows only decay), and
  // cutting each one spreads that evenly. Small ones go whole to the part with the least so far.
  const ins: TypedArray[][] = Array.from({ length: parts }, () => []);
  const outs: TypedArray[][] = Array.from({ length: parts }, () => []);
  const flags: number[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  for (let i = 0; i < grads.length; i++) {
    const n = grads[i].length;
    const [param, m, v] = outputs.slice(3 * i, 3 * i + 3);
    const take = (p: number, from: number, to: number) => {
      ins[p].push(grads[i].subarray(from, to));
      outs[p].push(param.subarray(from, to), m.subarray(from, to), v.subarray(from, to));
      flags[p].push(decay[i]);
      load[p] += to - from;
    };
    const points = splitPoints(n, parts, ADAMW_BLOCK);
    if (points.length === parts + 1) {
      for (let p = 0; p < parts; p++) take(p, points[p], points[p + 1]);
    } else take(load.indexOf(Math.min(...load)), 0, n);
  }
  const jobs: CpuJob[] = [];
  for (let p = 0; p < parts; p++) {
    if (flags[p].length === 0) continue;
    jobs.push({
      kernel: "adamw_group",
      inputs: [hDecay, hNoDecay, ...ins[p]],
      outputs: outs[p],
      attrs: { decay: flags[p] },
    });
  }
  return jobs.length < 2 ? null : jobs;
}

/**
 * The parts of kernel call `name(inputs, outputs, attrs)` for up to `threads` threads, part 0 for
 * the caller, or null when it stays whole (a kernel that does not split, or too small a call).
 * `minPart` overrides the least elements per part of every kernel (tests split small calls so).
 */
export function splitKernel(
  name: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  threads: number,
  minPart?: number,
): CpuJob[] | null {
  if (threads < 2) return null;
  const min: MinPart = minPart === undefined ? (key) => MIN_PART[key] : () => minPart;
  if (Object.hasOwn(ROW_LAYOUT, name)) {
    return rowJobs(name, inputs, outputs, attrs, threads, min);
  }
  switch (name) {
    case "map":
      return mapJobs(inputs, outputs, attrs, threads, min);
    case "dropout": {
      const n = outputs[0].length;
      const base = (attrs.indexOffset as number | undefined) ?? 0;
      // Parts start on whole mask words (32 elements), as the whole call's words fall.
      const points = splitPoints(n, partsFor(n, min("dropout"), threads), 32);
      if (points.length < 3) return null;
      return elementJobs(name, inputs, outputs, points, (from) => ({
        ...attrs,
        indexOffset: base + from,
      }));
    }
    case "adamw": {
      const n = outputs[0].length;
      const points = splitPoints(n, partsFor(n, min("adamw"), threads), ADAMW_BLOCK);
      if (points.length < 3) return null;
      // Input 1 is the 8-number hyper-parameter vector, read whole.
      return elementJobs(name, inputs, outputs, points, () => attrs, new Set([1]));
    }
    case "adamw_group":
      return adamwGroupJobs(inputs, outputs, attrs, threads, min);
    case "reduce": {
      const { outer, r, inner } = attrs as { outer: number; r: number; inner: number };
      if (inner < 2) return null;
      const points = splitPoints(inner, partsFor(outer * r * inner, min(name), threads), ALIGN);
      return columnJobs(name, inputs, outputs, points, attrs, "innerFrom", "innerTo", false);
    }
    case "layer_norm_grad_params": {
      const { rows, cols } = attrs as { rows: number; cols: number };
      const points = splitPoints(cols, partsFor(rows * cols, min(name), threads), ALIGN);
      return columnJobs(name, inputs, outputs, points, attrs, "colFrom", "colTo", true);
    }
  }
  return null;
}

/** Least multiply-adds per part of a GEMM (about 20-40 µs of one core's work). */
const GEMM_MIN_PART = 1 << 21;
/** GEMM parts start at multiples of this many rows (a multiple of the BLAS kernels' row tiles). */
const GEMM_ALIGN = 16;

/** Rows r0..r1 of op(A) and of C, in every batch matrix: a GEMM of its own. */
export function gemmRows<T extends Float32Array | Float64Array>(
  args: GemmArgs<T>,
  r0: number,
  r1: number,
): GemmArgs<T> {
  return {
    ...args,
    m: r1 - r0,
    aOffset: args.aOffset + (args.transA ? r0 : r0 * args.lda),
    cOffset: args.cOffset + r0 * args.ldc,
  };
}

/**
 * A GEMM cut into up to `threads` GEMMs on disjoint rows of C (a broadcast-B batch folded into
 * one first), part 0 for the caller; null when too small to be worth it. `minMacs` overrides the
 * least multiply-adds per part (tests).
 */
export function splitGemm<T extends Float32Array | Float64Array>(
  args: GemmArgs<T>,
  threads: number,
  minMacs = GEMM_MIN_PART,
): GemmArgs<T>[] | null {
  if (threads < 2) return null;
  const a = foldBroadcastBatch(args);
  const macs = a.m * a.n * a.k * a.batch;
  const parts = Math.min(partsFor(macs, minMacs, threads), Math.floor(a.m / GEMM_ALIGN));
  if (parts < 2) return null;
  const points = splitPoints(a.m, parts, GEMM_ALIGN);
  if (points.length < 3) return null;
  const out: GemmArgs<T>[] = [];
  for (let p = 0; p + 1 < points.length; p++) out.push(gemmRows(a, points[p], points[p + 1]));
  return out;
}
