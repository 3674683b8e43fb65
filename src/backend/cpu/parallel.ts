/**
 * Splitting CPU kernels across threads. A {@link CpuWorkers} pool (created by the host: the
 * Web-standard src/io/web/cpu_workers.ts, started by src/io/deno/cpu_workers.ts in Deno and by
 * examples/browser/app.ts in a cross-origin-isolated page) runs the same kernel functions on
 * other threads, on views of the same SharedArrayBuffer-backed arrays. {@link splitKernel} cuts one kernel call
 * into calls of the same kernel on disjoint parts, chosen so that every output element is computed
 * by exactly the arithmetic of the whole call: the results are bit-identical whatever the number
 * of parts, and running the parts one after the other gives the same bits too.
 *
 * Each kernel's policy (how it splits, and from what size) is registered beside the kernel, in its
 * family's file, and assembled in kernels/mod.ts (`cpuSplitTable`); the builders they share are in
 * ./split_parts.ts. The policies:
 * - by rows: softmax and its gradient (kernels/softmax.ts), layer norm and its input gradient
 *   (kernels/layer_norm.ts), the residual layer norm (kernels/residual_layer_norm.ts),
 *   cross-entropy and its gradient (kernels/cross_entropy.ts);
 * - by element ranges: `map` with a hand-written row loop (kernels/elementwise.ts), `dropout`
 *   (kernels/dropout.ts), `adamw` and `adamw_group` (kernels/adamw.ts, kernels/adamw_group.ts);
 * - by columns: `reduce` over rows (kernels/reduce.ts), the layer-norm parameter gradients
 *   (kernels/layer_norm.ts);
 * - GEMMs by rows of op(A) and C ({@link splitGemm}, here): each part is a GEMM of its own (the
 *   host runs it through its BLAS), every element the same dot product over the same k.
 *
 * Every other kernel, and everything small, stays whole.
 * @module
 */
import type { TypedArray } from "../../core/dtype.ts";
import type { KernelAttrs } from "../../core/backend.ts";
import { foldBroadcastBatch, type GemmArgs } from "./gemm.ts";
import { cpuSplits } from "./kernels/mod.ts";
import { type CpuJob, partsFor, splitPoints } from "./split_parts.ts";

export type { CpuJob };
export { splitPoints };

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

/** Whether every array lives in shared memory (a worker would otherwise write to a copy). */
export function allShared(arrays: readonly (TypedArray | undefined)[]): boolean {
  for (const a of arrays) if (a && !(a.buffer instanceof SharedArrayBuffer)) return false;
  return true;
}

/**
 * The parts of kernel call `name(inputs, outputs, attrs)` for up to `threads` threads, part 0 for
 * the caller, or null when it stays whole (a kernel that does not split, or too small a call): the
 * kernel's own policy from {@link cpuSplits}. `minPart` overrides the least elements per part of
 * every kernel (tests split small calls so).
 */
export function splitKernel(
  name: string,
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  threads: number,
  minPart?: number,
): CpuJob[] | null {
  if (threads < 2 || !Object.hasOwn(cpuSplits, name)) return null;
  return cpuSplits[name](inputs, outputs, attrs, threads, minPart);
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
