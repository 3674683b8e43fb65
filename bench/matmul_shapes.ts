/**
 * Matmul shapes of the benchmarks (shared by bench/matmul_webgpu_bench.ts and bench/matmul_cpu.ts,
 * so the backends are timed on the same products under the same names).
 * @module
 */

/** One (batched) product: op(A)[m,k] · op(B)[k,n]. */
export interface MatmulShape {
  name: string;
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const sq = (s: number): MatmulShape => ({
  name: `square_${s}`,
  batch: 1,
  m: s,
  n: s,
  k: s,
  transA: false,
  transB: false,
});
const mm = (
  name: string,
  m: number,
  k: number,
  n: number,
  transA = false,
  transB = false,
  batch = 1,
): MatmulShape => ({
  name,
  batch,
  m,
  n,
  k,
  transA,
  transB,
});

/** BERT with 1,024 tokens per step (batch 8 x seq 128), hidden 128..512, 12 heads of 64. */
/** Named sets: square sizes, BERT forward shapes, gradient shapes. */
export const MATMUL_SETS: Record<string, MatmulShape[]> = {
  squares: [sq(256), sq(512), sq(1024), sq(2048)],
  bert: [
    mm("tok1024_128x512", 1024, 128, 512),
    mm("tok1024_512x128", 1024, 512, 128),
    mm("tok1024_128x128", 1024, 128, 128),
    mm("tok1024_384x1536", 1024, 384, 1536),
    mm("tok1024_1536x384", 1024, 1536, 384),
    mm("attn_scores_96x(128x64.64x128)", 128, 64, 128, false, true, 96),
    mm("attn_context_96x(128x128.128x64)", 128, 128, 64, false, false, 96),
  ],
  grad: [
    mm("dW_128x512_XtdY", 128, 1024, 512, true, false),
    mm("dX_128x512_dYWt", 1024, 512, 128, false, true),
    mm("dW_384x1536_XtdY", 384, 1024, 1536, true, false),
    mm("dX_384x1536_dYWt", 1024, 1536, 384, false, true),
    mm("dW_1536x384_XtdY", 1536, 1024, 384, true, false),
    mm("dX_1536x384_dYWt", 1024, 384, 1536, false, true),
    mm("attn_dQ_96x(128x128.128x64)", 128, 128, 64, false, false, 96),
    mm("attn_dK_96x(128x128^T.128x64)", 128, 128, 64, true, false, 96),
  ],
};
