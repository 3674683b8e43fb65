/**
 * CPU matmul throughput for `deno task bench`: the backend's GEMM providers (TypeScript,
 * WebAssembly, native BLAS) on the shapes bench/matmul_webgpu_bench.ts times on WebGPU, matched by name so the JSON
 * can put them side by side. (bench/gemm_bench.ts is the standalone, more detailed GEMM bench.)
 * @module
 */
import { MATMUL_SETS, type MatmulShape } from "./matmul_shapes.ts";
import type { Gemm, GemmArgs } from "../mod.ts";

/** A matmul shape: C[batch] = op(A)·op(B), op(A) m×k, op(B) k×n. */
/** The `squares` and `bert` sets of the WebGPU matmul bench, same names. */
export const MATMUL_SHAPES: MatmulShape[] = [...MATMUL_SETS.squares, ...MATMUL_SETS.bert];

/** Floating-point work of one product. */
export const flopsOf = (s: MatmulShape): number => 2 * s.batch * s.m * s.n * s.k;

function argsFor(s: MatmulShape): GemmArgs<Float32Array> {
  // Shared storage, as the CPU backend's with workers: GEMMs split over a pool need it.
  const shared = (len: number) => new Float32Array(new SharedArrayBuffer(len * 4));
  // Filled in place: `map` would return a copy on an ordinary ArrayBuffer, which no pool splits.
  const fill = (len: number) => {
    const a = shared(len);
    for (let i = 0; i < len; i++) a[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
    return a;
  };
  return {
    transA: s.transA,
    transB: s.transB,
    m: s.m,
    n: s.n,
    k: s.k,
    a: fill(s.batch * s.m * s.k),
    aOffset: 0,
    lda: s.transA ? s.m : s.k,
    strideA: s.m * s.k,
    b: fill(s.batch * s.k * s.n),
    bOffset: 0,
    ldb: s.transB ? s.k : s.n,
    strideB: s.k * s.n,
    c: shared(s.batch * s.m * s.n),
    cOffset: 0,
    ldc: s.n,
    strideC: s.m * s.n,
    batch: s.batch,
    alpha: 1,
    beta: 0,
  };
}

/** One provider on one shape: median of timed runs after one warm-up. */
export interface CpuMatmulResult {
  ms: number;
  gflops: number;
  runs: number;
}

/**
 * Times `gemm.sgemm` on `s`: one warm-up, then runs until `minRuns` and `budgetMs` are both met
 * (at most `maxRuns`); slow providers get fewer runs (at least one).
 */
export function timeCpuMatmul(
  gemm: Gemm,
  s: MatmulShape,
  budgetMs = 1500,
  minRuns = 3,
  maxRuns = 15,
): CpuMatmulResult {
  const args = argsFor(s);
  const t0 = performance.now();
  gemm.sgemm(args);
  const warm = performance.now() - t0;
  const times: number[] = [];
  const start = performance.now();
  const min = warm > budgetMs ? 1 : minRuns;
  while (times.length < min || (times.length < maxRuns && performance.now() - start < budgetMs)) {
    const t = performance.now();
    gemm.sgemm(args);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const ms = times[times.length >> 1];
  return { ms: round(ms), gflops: round(flopsOf(s) / (ms * 1e6)), runs: times.length };
}

/** Rounds to `d` decimals (JSON readability). */
export const round = (x: number, d = 3): number => Number(x.toFixed(d));
