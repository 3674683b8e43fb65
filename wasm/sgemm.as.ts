/**
 * Single-precision GEMM in AssemblyScript with 128-bit SIMD (compiled by `deno task build:wasm`
 * into sgemm.wasm and sgemm_relaxed.wasm, which are committed; src/backend/cpu/wasm_gemm.ts loads
 * them). One row-major matrix product per call:
 *
 *   C = alpha * op(A) @ op(B) + beta * C + bias   (op = transpose or not; beta = 0 never reads C;
 *                                                  the bias row, when given, added to every row)
 *
 * with byte addresses and element row pitches into this module's memory: the caller copies the
 * operands in and C out, or, in the builds that import the CPU backend's shared heap memory
 * (sgemm_heap*.wasm), passes the operands where they lie and its own scratch as `work`. No static
 * data (a shared memory's would be rewritten by every thread's instantiation). op(A) is packed into 6-row panels and op(B) into 8-column panels (zero
 * padded at the edges), then a 6 x 8 register tile (12 accumulators of 4 lanes) runs over blocks of
 * 256 k steps for every panel pair, columns in blocks whose B slices stay in the L2 cache; the
 * sums are kept between k blocks.
 *
 * Every C element is the same chain of multiply-adds over k = 0, 1, ... whatever tile or edge
 * computes it, so any split of the rows across threads gives bit-identical results. The relaxed
 * build uses f32x4.relaxed_madd (one fused multiply-add where the CPU has FMA) instead of a
 * multiply and an add; it is chosen only where the engine validates relaxed SIMD.
 */

/** Rows of a register tile (rows of op(A) per packed panel). */
const MR: i32 = 6;
/** Columns of a register tile (columns of op(B) per packed panel: two vectors). */
const NR: i32 = 8;
/** Depth of a k block: a 6 x KC slice of A (6 KiB) and 8 x KC of B (8 KiB) stay in L1. */
const KC: i32 = 256;
/** B panel slices per column block (KC deep: 192 KiB): they stay in L2 while all rows pass. */
const BLOCK_PANELS: i32 = 24;
/**
 * Bytes between packed panels beyond their data: with a power-of-two k, panels one power of two
 * apart would share cache sets, and a block's slices would evict each other.
 */
const PAD: usize = 64;

/** First free byte, 64-aligned: the caller places operands and the workspace from here. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** Bytes of workspace {@link sgemm} needs for an m x n x k product. */
export function workBytes(m: i32, n: i32, k: i32): usize {
  const rowPanels = <usize>((m + MR - 1) / MR), colPanels = <usize>((n + NR - 1) / NR);
  const packed = rowPanels * (<usize>k * MR * 4 + PAD) + colPanels * (<usize>k * NR * 4 + PAD);
  const partial = k > KC ? rowPanels * colPanels * MR * NR * 4 : 0;
  return 512 + packed + partial;
}

/**
 * Packs op(A) into 6-row panels: panel i holds, for p = 0 .. k-1, rows 6i .. 6i+5 at column p
 * (zeros past m). `rs` / `cs`: element strides of op(A)'s rows and columns.
 */
function packA(a: usize, rs: i32, cs: i32, m: i32, k: i32, out: usize): void {
  for (let i0 = 0; i0 < m; i0 += MR) {
    const rows = min(MR, m - i0);
    const base = a + <usize>(i0 * rs) * 4;
    if (rows == MR && cs == 1) packRows6(base, <usize>rs * 4, k, out);
    else if (rows == MR && rs == 1) packCols6(base, <usize>cs * 4, k, out);
    else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < MR; r++) {
          const v = r < rows ? load<f32>(base + <usize>(r * rs + p * cs) * 4) : <f32>0;
          store<f32>(out + <usize>r * 4 + <usize>p * MR * 4, v);
        }
      }
    }
    out += <usize>k * MR * 4 + PAD;
  }
}

/**
 * One A panel from 6 rows stored along k (`rb`: bytes between rows): 4 k steps at a time, a 6 x 4
 * block loaded as 6 vectors and written as the 4 steps' 6-value columns (24 floats).
 */
function packRows6(src: usize, rb: usize, k: i32, out: usize): void {
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const s = src + <usize>p * 4;
    const r0 = v128.load(s), r1 = v128.load(s + rb), r2 = v128.load(s + rb * 2);
    const r3 = v128.load(s + rb * 3), r4 = v128.load(s + rb * 4), r5 = v128.load(s + rb * 5);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const u0 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), u1 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const w0 = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5), w1 = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7);
    v128.store(out, v128.shuffle<f32>(t0, u0, 0, 1, 4, 5));
    v128.store(out, v128.shuffle<f32>(w0, t0, 0, 1, 6, 7), 16);
    v128.store(out, v128.shuffle<f32>(u0, w0, 2, 3, 6, 7), 32);
    v128.store(out, v128.shuffle<f32>(t1, u1, 0, 1, 4, 5), 48);
    v128.store(out, v128.shuffle<f32>(w1, t1, 0, 1, 6, 7), 64);
    v128.store(out, v128.shuffle<f32>(u1, w1, 2, 3, 6, 7), 80);
    out += 96;
  }
  for (; p < k; p++) {
    const s = src + <usize>p * 4;
    for (let r = 0; r < MR; r++) store<f32>(out + <usize>r * 4, load<f32>(s + <usize>r * rb));
    out += MR * 4;
  }
}

/** One A panel from a transposed A (6 adjacent values per k step, `kb` bytes between steps). */
function packCols6(src: usize, kb: usize, k: i32, out: usize): void {
  for (let p = 0; p < k; p++) {
    v128.store(out, v128.load(src));
    store<u64>(out, load<u64>(src, 16), 16);
    src += kb;
    out += MR * 4;
  }
}

/**
 * Packs op(B) into 8-column panels: panel j holds, for p = 0 .. k-1, columns 8j .. 8j+7 of row p
 * (zeros past n). `ks` / `js`: element strides of op(B)'s rows (along k) and columns.
 */
function packB(b: usize, ks: i32, js: i32, n: i32, k: i32, out: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    const base = b + <usize>(j0 * js) * 4;
    if (cols == NR && js == 1) {
      for (let p = 0; p < k; p++) {
        const src = base + <usize>(p * ks) * 4;
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        out += 32;
      }
    } else if (cols == NR && ks == 1) {
      packRows8(base, <usize>js * 4, k, out);
      out += <usize>k * 32;
    } else {
      for (let p = 0; p < k; p++) {
        for (let c = 0; c < NR; c++) {
          const v = c < cols ? load<f32>(base + <usize>(c * js + p * ks) * 4) : <f32>0;
          store<f32>(out + <usize>c * 4, v);
        }
        out += 32;
      }
    }
    out += PAD;
  }
}

/** 4 x 4 transpose of rows x0..x3 into v (lane j of output i = lane i of input j). */
// @ts-ignore: decorator
@inline function store4x4(out: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(out, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(out, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(out, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
}

/**
 * One B panel from a transposed B (8 rows stored along k, `rb` bytes apart): 4 k steps at a time,
 * two 4 x 4 blocks transposed into the steps' 8-value rows.
 */
function packRows8(src: usize, rb: usize, k: i32, out: usize): void {
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const s = src + <usize>p * 4;
    const x0 = v128.load(s), x1 = v128.load(s + rb), x2 = v128.load(s + rb * 2);
    const x3 = v128.load(s + rb * 3);
    store4x4(out, x0, x1, x2, x3);
    const y0 = v128.load(s + rb * 4), y1 = v128.load(s + rb * 5), y2 = v128.load(s + rb * 6);
    const y3 = v128.load(s + rb * 7);
    store4x4(out + 16, y0, y1, y2, y3);
    out += 128;
  }
  for (; p < k; p++) {
    const s = src + <usize>p * 4;
    for (let c = 0; c < NR; c++) store<f32>(out + <usize>c * 4, load<f32>(s + <usize>c * rb));
    out += 32;
  }
}

/** acc + a * b, lane-wise: fused where the relaxed build runs on an FMA CPU. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * Writes one 4-lane row of a tile into C: alpha * acc + beta * C + bias (C unread when beta = 0,
 * no bias when `bias` is 0). With beta = 0 this is the bits of beta = 1 over a C preset to the bias.
 */
// @ts-ignore: decorator
@inline function storeVec(c: usize, acc: v128, alpha: v128, beta: v128, readC: bool, bias: usize): void {
  let v = f32x4.mul(alpha, acc);
  if (readC) v = f32x4.add(v, f32x4.mul(beta, v128.load(c)));
  if (bias) v = f32x4.add(v, v128.load(bias));
  v128.store(c, v);
}

/** Scalar form of {@link storeVec} for edge tiles (the same operations per lane). */
// @ts-ignore: decorator
@inline function storeOne(c: usize, acc: f32, alpha: f32, beta: f32, readC: bool, bias: usize): void {
  let v = alpha * acc;
  if (readC) v = v + beta * load<f32>(c);
  if (bias) v = v + load<f32>(bias);
  store<f32>(c, v);
}

/**
 * One 6 x 8 tile over a k block: sums a 6-row A panel slice times an 8-column B panel slice over
 * `k` steps, starting from zero (`first`) or from the sums of the earlier blocks kept at `part`.
 * Unless `last`, the sums go back to `part`; after the last block the `rows` x `cols` part that
 * lies inside C (`ldc` in bytes) is written, plus the tile's bias columns at `bias` (0: none).
 * Kept sums are exact, so blocking changes no bit.
 */
function tile(
  pa: usize,
  pb: usize,
  k: i32,
  part: usize,
  first: bool,
  last: bool,
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  alpha: f32,
  beta: f32,
  edge: usize,
  bias: usize,
): void {
  const src = first ? edge + 256 : part; // 192 zero bytes at edge + 256
  let c00 = v128.load(src), c01 = v128.load(src, 16);
  let c10 = v128.load(src, 32), c11 = v128.load(src, 48);
  let c20 = v128.load(src, 64), c21 = v128.load(src, 80);
  let c30 = v128.load(src, 96), c31 = v128.load(src, 112);
  let c40 = v128.load(src, 128), c41 = v128.load(src, 144);
  let c50 = v128.load(src, 160), c51 = v128.load(src, 176);
  for (let p = 0; p < k; p++) {
    // The step's six A values in two loads, each broadcast by a shuffle: engines that check every
    // memory access (Deno's V8 does, more dearly on a shared memory) check 4 loads, not 8.
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const lo = v128.load(pa), hi = v128.load64_zero(pa, 16);
    let a = v128.shuffle<f32>(lo, lo, 0, 0, 0, 0);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.shuffle<f32>(lo, lo, 1, 1, 1, 1);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.shuffle<f32>(lo, lo, 2, 2, 2, 2);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.shuffle<f32>(lo, lo, 3, 3, 3, 3);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    a = v128.shuffle<f32>(hi, hi, 0, 0, 0, 0);
    c40 = madd(a, b0, c40);
    c41 = madd(a, b1, c41);
    a = v128.shuffle<f32>(hi, hi, 1, 1, 1, 1);
    c50 = madd(a, b0, c50);
    c51 = madd(a, b1, c51);
    pa += MR * 4;
    pb += 32;
  }
  if (!last) {
    v128.store(part, c00);
    v128.store(part, c01, 16);
    v128.store(part, c10, 32);
    v128.store(part, c11, 48);
    v128.store(part, c20, 64);
    v128.store(part, c21, 80);
    v128.store(part, c30, 96);
    v128.store(part, c31, 112);
    v128.store(part, c40, 128);
    v128.store(part, c41, 144);
    v128.store(part, c50, 160);
    v128.store(part, c51, 176);
    return;
  }
  const readC = beta != 0;
  if (rows == MR && cols == NR) {
    const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
    storeVec(c, c00, va, vb, readC, bias);
    storeVec(c + 16, c01, va, vb, readC, bias ? bias + 16 : 0);
    c += ldc;
    storeVec(c, c10, va, vb, readC, bias);
    storeVec(c + 16, c11, va, vb, readC, bias ? bias + 16 : 0);
    c += ldc;
    storeVec(c, c20, va, vb, readC, bias);
    storeVec(c + 16, c21, va, vb, readC, bias ? bias + 16 : 0);
    c += ldc;
    storeVec(c, c30, va, vb, readC, bias);
    storeVec(c + 16, c31, va, vb, readC, bias ? bias + 16 : 0);
    c += ldc;
    storeVec(c, c40, va, vb, readC, bias);
    storeVec(c + 16, c41, va, vb, readC, bias ? bias + 16 : 0);
    c += ldc;
    storeVec(c, c50, va, vb, readC, bias);
    storeVec(c + 16, c51, va, vb, readC, bias ? bias + 16 : 0);
    return;
  }
  v128.store(edge, c00);
  v128.store(edge, c01, 16);
  v128.store(edge, c10, 32);
  v128.store(edge, c11, 48);
  v128.store(edge, c20, 64);
  v128.store(edge, c21, 80);
  v128.store(edge, c30, 96);
  v128.store(edge, c31, 112);
  v128.store(edge, c40, 128);
  v128.store(edge, c41, 144);
  v128.store(edge, c50, 160);
  v128.store(edge, c51, 176);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const acc = load<f32>(edge + <usize>(r * NR + j) * 4);
      const bj = bias ? bias + <usize>j * 4 : 0;
      storeOne(c + <usize>r * ldc + <usize>j * 4, acc, alpha, beta, readC, bj);
    }
  }
}

/**
 * C = alpha * op(A) @ op(B) + beta * C for one m x n x k product (k >= 1). `a`, `b`, `c`: byte
 * addresses of the stored matrices; `lda`, `ldb`, `ldc`: their row pitches in elements; `work`:
 * {@link workBytes}(m, n, k) bytes, 16-aligned, overlapping nothing else; `bias`: byte address of
 * n floats added to every row of C, or 0 for none.
 */
export function sgemm(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
  bias: usize,
): void {
  const edge = work; // 192 bytes of edge tile; 192 zero bytes at work + 256 (first block)
  memory.fill(edge, 0, 512);
  const panelA = <usize>k * MR * 4 + PAD;
  const panelB = <usize>k * NR * 4 + PAD;
  const rowPanels = (m + MR - 1) / MR, colPanels = (n + NR - 1) / NR;
  const pa = work + 512;
  const pb = pa + <usize>rowPanels * panelA;
  const parts = pb + <usize>colPanels * panelB;
  packA(a, transA ? 1 : lda, transA ? lda : 1, m, k, pa);
  packB(b, transB ? 1 : ldb, transB ? ldb : 1, n, k, pb);
  const rowBytes = <usize>ldc * 4;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const first = p0 == 0, last = p0 + kc == k;
    for (let j0 = 0; j0 < colPanels; j0 += BLOCK_PANELS) {
      const j1 = min(colPanels, j0 + BLOCK_PANELS);
      for (let i = 0; i < rowPanels; i++) {
        const rows = min(MR, m - i * MR);
        const aSlice = pa + <usize>i * panelA + <usize>(p0 * MR) * 4;
        const cRow = c + <usize>(i * MR) * rowBytes;
        for (let j = j0; j < j1; j++) {
          const cols = min(NR, n - j * NR);
          const bSlice = pb + <usize>j * panelB + <usize>(p0 * NR) * 4;
          const part = parts + <usize>(i * colPanels + j) * (MR * NR * 4);
          const cTile = cRow + <usize>(j * NR) * 4;
          const bTile = bias ? bias + <usize>(j * NR) * 4 : 0;
          tile(aSlice, bSlice, kc, part, first, last, cTile, rowBytes, rows, cols, alpha, beta, edge, bTile);
        }
      }
    }
  }
}
