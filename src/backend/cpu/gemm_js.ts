/**
 * Portable GEMM in plain TypeScript (no Deno API, runs in the browser).
 *
 * Design (Goto/BLIS style, measured on x86-64 V8 — see bench/gemm_bench.ts):
 * - Blocks of op(A) (`MC x KC`) and op(B) (`KC x NC`) are packed into contiguous float64 panels
 *   of `MR` rows / `NR` columns. Packing makes every transpose combination read the same
 *   sequential layout, folds `alpha` into A, and turns float32 inputs into float64 once per
 *   block, so the hot loop never converts.
 * - A 4x4 register-blocked micro-kernel keeps 16 accumulators in locals: per k step it does
 *   8 loads for 32 flops (the i-k-j row-axpy form does 2 loads + 1 store per 2 flops). V8 does
 *   not vectorize, so this scalar kernel runs close to the core's mul/add port limit. Wider
 *   tiles (4x8, 8x4, 6x4) and k-unrolling measured equal or slower (register spills).
 * - Tiny or skinny problems (m or n < 4, or few flops) skip packing and use a direct i-k-j loop
 *   over contiguous rows, unrolled 4x over k, or dot products when B is transposed.
 *
 * Float32 results are accumulated in float64 inside each `KC` block, then rounded into C.
 *
 * @module
 */

import {
  checkGemmArgs,
  foldBroadcastBatch,
  type Gemm,
  type GemmArgs,
  scaleMatrix,
} from "./gemm.ts";

/** Micro-tile rows (rows of op(A) per packed panel). */
const MR = 4;
/** Micro-tile columns (columns of op(B) per packed panel). */
const NR = 4;
/** Depth of a packed block: KC * NR * 8 B = 8 KiB B panel stays in L1 during a micro-kernel. */
const KC = 256;
/** Rows of A per packed block: MC * KC * 8 B = 256 KiB, about an L2. */
const MC = 128;
/** Columns of B per packed block (bounds the B pack buffer at KC * NC * 8 B = 2 MiB). */
const NC = 1024;
/** Below this many multiply-adds per matrix, packing costs more than it saves. */
const SMALL_MACS = 16384;

type Floats = Float32Array | Float64Array;

// Packing workspaces, grown on demand and reused: JS is single-threaded per realm, and reusing
// them avoids allocating megabytes per call (GC churn dominates small matmuls otherwise).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const tile = new Float64Array(MR * NR);

function ensurePack(kc: number, mc: number, nc: number): void {
  const needA = Math.ceil(mc / MR) * MR * kc;
  const needB = Math.ceil(nc / NR) * NR * kc;
  if (packA.length < needA) packA = new Float64Array(needA);
  if (packB.length < needB) packB = new Float64Array(needB);
}

/**
 * Packs `alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc]` into MR-row panels: panel r holds, for each p,
 * the MR values of rows r*MR .. r*MR+MR-1 (zero-padded past mc). `rs`/`cs` = strides of op(A)'s
 * rows/columns in `a`, so one routine serves both transposes.
 */
function packPanelsA(
  a: Floats,
  base: number,
  rs: number,
  cs: number,
  mc: number,
  kc: number,
  alpha: number,
  out: Float64Array,
): void {
  let o = 0;
  for (let ib = 0; ib < mc; ib += MR) {
    const rows = Math.min(MR, mc - ib);
    const r0 = base + ib * rs;
    if (rows === MR) {
      const r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
      for (let p = 0, q = 0; p < kc; p++, q += cs) {
        out[o] = alpha * a[r0 + q];
        out[o + 1] = alpha * a[r1 + q];
        out[o + 2] = alpha * a[r2 + q];
        out[o + 3] = alpha * a[r3 + q];
        o += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let ii = 0; ii < MR; ii++) {
          out[o + ii] = ii < rows ? alpha * a[r0 + ii * rs + p * cs] : 0;
        }
        o += MR;
      }
    }
  }
}

/**
 * Packs `op(B)[p0 .. p0+kc, j0 .. j0+nc]` into NR-column panels: panel r holds, for each p, the NR
 * values of columns r*NR .. r*NR+NR-1 (zero-padded past nc). `rs`/`cs` as in packPanelsA.
 */
function packPanelsB(
  b: Floats,
  base: number,
  rs: number,
  cs: number,
  kc: number,
  nc: number,
  out: Float64Array,
): void {
  let o = 0;
  for (let jb = 0; jb < nc; jb += NR) {
    const cols = Math.min(NR, nc - jb);
    const c0 = base + jb * cs;
    if (cols === NR) {
      const c1 = c0 + cs, c2 = c1 + cs, c3 = c2 + cs;
      for (let p = 0, q = 0; p < kc; p++, q += rs) {
        out[o] = b[c0 + q];
        out[o + 1] = b[c1 + q];
        out[o + 2] = b[c2 + q];
        out[o + 3] = b[c3 + q];
        o += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < NR; jj++) out[o + jj] = jj < cols ? b[c0 + jj * cs + p * rs] : 0;
        o += NR;
      }
    }
  }
}

/**
 * 4x4 micro-kernel: tile = Apanel(4 x kc) @ Bpanel(kc x 4). Written to a float64 tile (not C)
 * so this hot function only ever sees Float64Array and stays monomorphic for both dtypes.
 */
function kernel4x4(kc: number, ap: Float64Array, ao: number, bp: Float64Array, bo: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
    let a = ap[ao];
    c00 += a * b0;
    c01 += a * b1;
    c02 += a * b2;
    c03 += a * b3;
    a = ap[ao + 1];
    c10 += a * b0;
    c11 += a * b1;
    c12 += a * b2;
    c13 += a * b3;
    a = ap[ao + 2];
    c20 += a * b0;
    c21 += a * b1;
    c22 += a * b2;
    c23 += a * b3;
    a = ap[ao + 3];
    c30 += a * b0;
    c31 += a * b1;
    c32 += a * b2;
    c33 += a * b3;
    ao += MR;
    bo += NR;
  }
  const t = tile;
  t[0] = c00, t[1] = c01, t[2] = c02, t[3] = c03;
  t[4] = c10, t[5] = c11, t[6] = c12, t[7] = c13;
  t[8] = c20, t[9] = c21, t[10] = c22, t[11] = c23;
  t[12] = c30, t[13] = c31, t[14] = c32, t[15] = c33;
}

/** C[co..] += tile, for the valid `rows x cols` corner (edge tiles are partial). */
function addTile(c: Floats, co: number, ldc: number, rows: number, cols: number): void {
  const t = tile;
  if (rows === MR && cols === NR) {
    for (let i = 0; i < MR; i++, co += ldc) {
      const ti = i * NR;
      c[co] += t[ti];
      c[co + 1] += t[ti + 1];
      c[co + 2] += t[ti + 2];
      c[co + 3] += t[ti + 3];
    }
    return;
  }
  for (let i = 0; i < rows; i++, co += ldc) {
    for (let j = 0; j < cols; j++) c[co + j] += t[i * NR + j];
  }
}

/** One matrix, packed path. C must already hold beta * C. */
function gemmPacked(
  m: number,
  n: number,
  k: number,
  a: Floats,
  aBase: number,
  ars: number,
  acs: number,
  b: Floats,
  bBase: number,
  brs: number,
  bcs: number,
  c: Floats,
  cBase: number,
  ldc: number,
  alpha: number,
): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      ensurePack(kc, Math.min(MC, m), nc);
      const bp = packB;
      packPanelsB(b, bBase + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const ap = packA;
        packPanelsA(a, aBase + ic * ars + pc * acs, ars, acs, mc, kc, alpha, ap);
        // jr outer / ir inner: one B panel (kc x NR) stays hot in L1 while the A block streams
        // from L2.
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr);
          const bo = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            kernel4x4(kc, ap, ir * kc, bp, bo);
            addTile(c, cBase + (ic + ir) * ldc + jc + jr, ldc, Math.min(MR, mc - ir), cols);
          }
        }
      }
    }
  }
}

/**
 * One matrix, direct path for tiny/skinny shapes. C must already hold beta * C.
 * B rows contiguous (`bcs = 1`): i-k-j row axpys, 4x unrolled over k (one C load/store per 4
 * multiply-adds). Otherwise (`op(B)` columns contiguous, i.e. transB): dot products over k.
 */
function gemmDirect(
  m: number,
  n: number,
  k: number,
  a: Floats,
  aBase: number,
  ars: number,
  acs: number,
  b: Floats,
  bBase: number,
  brs: number,
  bcs: number,
  c: Floats,
  cBase: number,
  ldc: number,
  alpha: number,
): void {
  if (bcs === 1) {
    for (let i = 0; i < m; i++) {
      const ci = cBase + i * ldc;
      const ai = aBase + i * ars;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const a0 = alpha * a[ai + p * acs], a1 = alpha * a[ai + (p + 1) * acs];
        const a2 = alpha * a[ai + (p + 2) * acs], a3 = alpha * a[ai + (p + 3) * acs];
        const r0 = bBase + p * brs, r1 = r0 + brs, r2 = r1 + brs, r3 = r2 + brs;
        for (let j = 0; j < n; j++) {
          c[ci + j] += a0 * b[r0 + j] + a1 * b[r1 + j] + a2 * b[r2 + j] + a3 * b[r3 + j];
        }
      }
      for (; p < k; p++) {
        const a0 = alpha * a[ai + p * acs];
        const r0 = bBase + p * brs;
        for (let j = 0; j < n; j++) c[ci + j] += a0 * b[r0 + j];
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ci = cBase + i * ldc;
    const ai = aBase + i * ars;
    for (let j = 0; j < n; j++) {
      const bj = bBase + j * bcs;
      let s0 = 0, s1 = 0;
      let p = 0;
      // Two partial sums break the add dependency chain.
      for (; p + 2 <= k; p += 2) {
        s0 += a[ai + p * acs] * b[bj + p * brs];
        s1 += a[ai + (p + 1) * acs] * b[bj + (p + 1) * brs];
      }
      if (p < k) s0 += a[ai + p * acs] * b[bj + p * brs];
      c[ci + j] += alpha * (s0 + s1);
    }
  }
}

function gemmJs<T extends Floats>(op: string, raw: GemmArgs<T>): void {
  checkGemmArgs(op, raw);
  const args = foldBroadcastBatch(raw);
  const { m, n, k, batch, alpha, transA, transB, a, b, c, lda, ldb, ldc } = args;
  if (m === 0 || n === 0 || batch === 0) return;
  const skip = k === 0 || alpha === 0;
  // Strides of op(A)/op(B) rows and columns in storage; transposes become stride swaps.
  const ars = transA ? 1 : lda, acs = transA ? lda : 1;
  const brs = transB ? 1 : ldb, bcs = transB ? ldb : 1;
  const direct = m < MR || n < NR || m * n * k <= SMALL_MACS;
  const run = direct ? gemmDirect : gemmPacked;
  for (let bi = 0; bi < batch; bi++) {
    const cBase = args.cOffset + bi * args.strideC;
    // Scale per batch (not all up front) so strideC = 0 behaves like sequential BLAS calls.
    scaleMatrix(c, cBase, m, n, ldc, args.beta);
    if (skip) continue;
    run(
      m,
      n,
      k,
      a,
      args.aOffset + bi * args.strideA,
      ars,
      acs,
      b,
      args.bOffset + bi * args.strideB,
      brs,
      bcs,
      c,
      cBase,
      ldc,
      alpha,
    );
  }
}

/** The plain-TypeScript {@link Gemm}: always available, single-threaded, about 4 GFLOP/s. */
export const jsGemm: Gemm = {
  name: "js",
  sgemm(args: GemmArgs<Float32Array>): void {
    gemmJs("sgemm", args);
  },
  dgemm(args: GemmArgs<Float64Array>): void {
    gemmJs("dgemm", args);
  },
};
