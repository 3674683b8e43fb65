/**
 * CPU matmul throughput for `deno task bench`: the backend's GEMM providers (TypeScript, native
 * BLAS) on the shapes bench/matmul_webgpu_bench.ts times on WebGPU, matched by name so the JSON
 * can put them side by side. (bench/gemm_bench.ts is the standalone, more detailed GEMM bench.)
 * @module
 */
import type { Gemm, GemmArgs } from "../src/backend/cpu/gemm.ts";

/** A matmul shape: C[batch] = op(A)·op(B), op(A) m×k, op(B) k×n. */
export interface MatmulShape {
  name: string;
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const mm = (
  name: string,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
  batch = 1,
) => ({
  name,
  batch,
  m,
  n,
  k,
  transA,
  transB,
});

/** The shapes of bench/matmul_webgpu_bench.ts's `squares` and `bert` sets, same names. */
export const MATMUL_SHAPES: MatmulShape[] = [
  ...[256, 512, 1024, 2048].map((s) => mm(`square_${s}`, s, s, s)),
  mm("tok1024_128x512", 1024, 128, 512),
  mm("tok1024_512x128", 1024, 512, 128),
  mm("tok1024_128x128", 1024, 128, 128),
  mm("tok1024_384x1536", 1024, 384, 1536),
  mm("tok1024_1536x384", 1024, 1536, 384),
  mm("attn_scores_96x(128x64.64x128)", 128, 64, 128, false, true, 96),
  mm("attn_context_96x(128x128.128x64)", 128, 128, 64, false, false, 96),
];

/** Floating-point work of one product. */
export const flopsOf = (s: MatmulShape): number => 2 * s.batch * s.m * s.n * s.k;

function argsFor(s: MatmulShape): GemmArgs<Float32Array> {
  const fill = (len: number) =>
    Float32Array.from({ length: len }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
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
    c: new Float32Array(s.batch * s.m * s.n),
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
