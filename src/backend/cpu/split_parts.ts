/**
 * The kernel-independent parts of splitting a CPU kernel call across threads: the {@link CpuJob}
 * a part is, the {@link CpuSplit} policy type that each kernel family registers beside its kernels
 * (src/backend/cpu/kernels/*.ts, assembled in kernels/mod.ts), and the builders those policies
 * use — {@link splitPoints}, {@link partsFor}, and parts by rows ({@link rowSplit}), by element
 * ranges ({@link elementJobs}) and by columns ({@link columnJobs}). Every builder cuts so that each
 * output element is computed by exactly the arithmetic of the whole call. ../parallel.ts
 * (`splitKernel`) looks a call's policy up in the table.
 * @module
 */
import type { TypedArray } from "../../core/dtype.ts";
import type { KernelAttrs } from "../../core/backend.ts";
import type { KernelAttrsMap, KernelName } from "../../core/kernel_contract.ts";

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

/**
 * How kernel `K` splits: the parts of call `K(inputs, outputs, attrs)` for up to `threads` threads,
 * part 0 for the caller, or null when it stays whole (too small a call, or one that cannot split
 * bit-identically). Each policy has its own least elements per part (below it a part's work is not
 * worth a round trip to a worker); `minPart` overrides it (tests split small calls so).
 */
export type CpuSplit<K extends KernelName> = (
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrsMap[K],
  threads: number,
  minPart?: number,
) => CpuJob[] | null;

/**
 * Split policies by kernel name, each typed by its name's attributes (kernels without one stay
 * whole).
 */
export type CpuSplits<K extends KernelName> = { readonly [N in K]?: CpuSplit<N> };

/**
 * A split policy looked up by a name known only at run time (../parallel.ts): its attributes are
 * checked by the policy, not by the compiler.
 */
export type DynamicCpuSplit = (
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  threads: number,
  minPart?: number,
) => CpuJob[] | null;

/** Element-wise kernels' parts start at multiples of this (a 64-byte cache line of float32). */
export const ALIGN = 16;

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
export function partsFor(n: number, min: number, threads: number): number {
  return Math.max(1, Math.min(threads, Math.floor(n / Math.max(min, 1))));
}

/** One job per range [points[p], points[p + 1]) of consecutive split points. */
function rangeJobs(points: number[], job: (from: number, to: number) => CpuJob): CpuJob[] {
  const jobs: CpuJob[] = [];
  for (let p = 0; p + 1 < points.length; p++) jobs.push(job(points[p], points[p + 1]));
  return jobs;
}

/**
 * Per row kernel: for each input, then each output, the elements per row of its row-indexed
 * arrays ("c" = cols, 1 = one per row) or 0 for an array every part reads whole (inputs past the
 * list are read whole too).
 */
export interface RowLayout {
  /** Per input: "c", 1 or 0. */
  readonly inputs: readonly (0 | 1 | "c")[];
  /** Per output: "c" or 1. */
  readonly outputs: readonly (1 | "c")[];
}

/** Kernels whose attributes give a `rows × cols` shape. */
type RowKernel = {
  [N in KernelName]: KernelAttrsMap[N] extends { rows: number; cols: number } ? N : never;
}[KernelName];

/** `a`'s rows r0..r1 under `per` elements per row (`a` itself when read whole). */
function rowView(a: TypedArray, per: 0 | 1 | "c", cols: number, r0: number, r1: number) {
  if (!a || per === 0) return a;
  const w = per === "c" ? cols : 1;
  return a.subarray(r0 * w, r1 * w);
}

/**
 * The split policy of row kernel `kernel`: parts of whole rows (at least `least` elements each),
 * its arrays cut as `layout` says, each part told its first row as a `rowOffset` attribute (for
 * the kernels that index something by the global row).
 */
export function rowSplit<K extends RowKernel>(
  kernel: K,
  least: number,
  layout: RowLayout,
): CpuSplit<K> {
  return (inputs, outputs, attrs, threads, minPart = least) => {
    const { rows, cols } = attrs;
    const points = splitPoints(rows, partsFor(rows * cols, minPart, threads), 1);
    if (points.length < 3) return null;
    return rangeJobs(points, (r0, r1) => ({
      kernel,
      inputs: inputs.map((a, i) => rowView(a, layout.inputs[i] ?? 0, cols, r0, r1)),
      outputs: outputs.map((a, i) => rowView(a, layout.outputs[i], cols, r0, r1)),
      attrs: { ...attrs, rows: r1 - r0, rowOffset: r0 },
    }));
  };
}

/**
 * Parts of element-wise calls of `kernel`: every array is cut at the same `points`, except the
 * inputs in `wholeInputs` (read whole by every part); `attrsOf(from)` gives the attributes of the
 * part that starts at element `from`.
 */
export function elementJobs(
  kernel: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  points: number[],
  attrsOf: (from: number) => KernelAttrs,
  wholeInputs: ReadonlySet<number> = new Set(),
): CpuJob[] {
  return rangeJobs(points, (a, b) => ({
    kernel,
    inputs: inputs.map((x, i) => (wholeInputs.has(i) ? x : x.subarray(a, b))),
    outputs: outputs.map((x) => x.subarray(a, b)),
    attrs: attrsOf(a),
  }));
}

/**
 * Parts of a column reduction of `kernel` at `points` (null for fewer than two): every part reads
 * the inputs whole and writes its columns [a, b), told as attributes `fromKey` / `toKey`, through
 * views of the outputs (`sliceOutputs`) or into the whole outputs at their own positions.
 */
export function columnJobs(
  kernel: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  points: number[],
  attrs: KernelAttrs,
  fromKey: string,
  toKey: string,
  sliceOutputs: boolean,
): CpuJob[] | null {
  if (points.length < 3) return null;
  return rangeJobs(points, (a, b) => ({
    kernel,
    inputs,
    outputs: sliceOutputs ? outputs.map((o) => o.subarray(a, b)) : outputs,
    attrs: { ...attrs, [fromKey]: a, [toKey]: b },
  }));
}
