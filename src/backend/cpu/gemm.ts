/**
 * The pluggable GEMM contract used by the CPU backend for every matmul.
 *
 * Two implementations exist: a portable plain-TypeScript one (`gemm_js.ts`, works in the browser)
 * and a native CBLAS binding (`src/io/deno/blas.ts`, Deno only, needs `--allow-ffi`). Both take the
 * same {@link GemmArgs}, so the backend can swap them without knowing which one it got.
 *
 * @module
 */

/**
 * Arguments of a (strided-)batched, row-major GEMM:
 *
 * `C[b] = alpha * op(A[b]) @ op(B[b]) + beta * C[b]` for `b = 0 .. batch-1`,
 *
 * where `op(X)` is `X` or `Xᵀ` (per `transA` / `transB`), `op(A[b])` is `m x k`, `op(B[b])` is
 * `k x n` and `C[b]` is `m x n`.
 *
 * Layout (all row-major, like `cblas_*gemm(CblasRowMajor, ...)`):
 * - A is stored `m x k` (`transA = false`, needs `lda >= k`) or `k x m` (`transA = true`,
 *   `lda >= m`); element (r, c) of the *stored* matrix of batch b is
 *   `a[aOffset + b * strideA + r * lda + c]`. Same for B (`k x n` / `n x k`, `ldb`) and C
 *   (`m x n`, `ldc >= n`).
 * - `strideA` / `strideB` = elements between consecutive batch matrices; `0` broadcasts one matrix
 *   over the whole batch (e.g. a weight shared by every sequence).
 * - Batches behave as `batch` separate calls made in order 0..batch-1. So `strideC = 0` is allowed:
 *   with `beta = 1` the products accumulate into one C (a sum over the batch).
 *
 * Semantics follow BLAS: `beta = 0` means C is write-only (NaN/garbage in C is not propagated);
 * `k = 0` or `alpha = 0` gives `C = beta * C`. C must not overlap A or B.
 */
export interface GemmArgs<T extends Float32Array | Float64Array> {
  /** Use Aᵀ: A is stored k x m. */
  transA: boolean;
  /** Use Bᵀ: B is stored n x k. */
  transB: boolean;
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Columns of op(A) = rows of op(B) (the reduced dimension). */
  k: number;
  /** Storage of A. */
  a: T;
  /** Index of A[0]'s first element in `a`. */
  aOffset: number;
  /** Row pitch of the stored A (elements). */
  lda: number;
  /** Elements between A[b] and A[b+1]; 0 = broadcast. */
  strideA: number;
  /** Storage of B. */
  b: T;
  /** Index of B[0]'s first element in `b`. */
  bOffset: number;
  /** Row pitch of the stored B (elements). */
  ldb: number;
  /** Elements between B[b] and B[b+1]; 0 = broadcast. */
  strideB: number;
  /** Storage of C (written). */
  c: T;
  /** Index of C[0]'s first element in `c`. */
  cOffset: number;
  /** Row pitch of C (elements). */
  ldc: number;
  /** Elements between C[b] and C[b+1]. */
  strideC: number;
  /** Number of matrices (>= 0). */
  batch: number;
  /** Scale of the product. */
  alpha: number;
  /** Scale of the old C (0 = overwrite). */
  beta: number;
  /**
   * A row of `n` values added to every row of C after the product (the `linear` op's bias), only
   * for a {@link Gemm} whose `sgemmBias` is true; others never see it (the caller presets C).
   */
  bias?: T;
}

/** A GEMM provider: one implementation of {@link GemmArgs} for float32 and float64. */
export interface Gemm {
  /** Human-readable provider name for logs, e.g. `"js"` or `"openblas (4 threads)"`. */
  readonly name: string;
  /**
   * Whether `sgemm` adds {@link GemmArgs.bias} itself: the caller then passes the bias instead of
   * copying it into every row of C first (a pass over C, and for the WebAssembly GEMM a copy of C
   * into its memory).
   */
  readonly sgemmBias?: boolean;
  /** Float32 GEMM (see {@link GemmArgs}). Throws {@link GemmArgsError} on invalid arguments. */
  sgemm(args: GemmArgs<Float32Array>): void;
  /** Float64 GEMM (see {@link GemmArgs}). Throws {@link GemmArgsError} on invalid arguments. */
  dgemm(args: GemmArgs<Float64Array>): void;
}

/** Raised when {@link GemmArgs} are inconsistent (bad dims, pitches, or out-of-range accesses). */
export class GemmArgsError extends Error {
  /**
   * @param op the routine that rejected the arguments (`"sgemm"`, `"dgemm"`)
   * @param detail what is wrong, naming the field
   * @param args the offending arguments, summarized into the message
   */
  constructor(op: string, detail: string, args: GemmArgs<Float32Array | Float64Array>) {
    super(
      `${op}(transA=${args.transA}, transB=${args.transB}, m=${args.m}, n=${args.n}, k=${args.k}, ` +
        `batch=${args.batch}): ${detail}`,
    );
    this.name = "GemmArgsError";
  }
}

function isCount(x: number): boolean {
  return Number.isInteger(x) && x >= 0;
}

/**
 * Index one past the last element a strided batch of `rows x cols` matrices touches, or
 * `offset` when nothing is touched. Used to bound-check before any access: the native path
 * would otherwise read or write outside the typed array.
 */
export function extent(
  offset: number,
  stride: number,
  batch: number,
  rows: number,
  cols: number,
  ld: number,
): number {
  if (batch === 0 || rows === 0 || cols === 0) return offset;
  return offset + (batch - 1) * stride + (rows - 1) * ld + cols;
}

/**
 * Validates {@link GemmArgs}: integer non-negative dims and offsets, pitches at least the stored
 * row length, and every accessed element inside its array. Both providers call it first, so an
 * invalid call fails the same way whichever GEMM is plugged in.
 *
 * @throws {GemmArgsError} naming the first bad field.
 */
export function checkGemmArgs(op: string, args: GemmArgs<Float32Array | Float64Array>): void {
  const { m, n, k, batch, transA, transB } = args;
  const fail = (detail: string): never => {
    throw new GemmArgsError(op, detail, args);
  };
  for (const f of ["m", "n", "k", "batch"] as const) {
    if (!isCount(args[f])) fail(`${f}=${args[f]} must be a non-negative integer`);
  }
  for (
    const f of [
      "aOffset",
      "bOffset",
      "cOffset",
      "lda",
      "ldb",
      "ldc",
      "strideA",
      "strideB",
      "strideC",
    ] as const
  ) {
    if (!isCount(args[f])) fail(`${f}=${args[f]} must be a non-negative integer`);
  }
  if (!Number.isFinite(args.alpha) || typeof args.alpha !== "number") {
    fail(`alpha=${args.alpha} must be a finite number`);
  }
  if (!Number.isFinite(args.beta) || typeof args.beta !== "number") {
    fail(`beta=${args.beta} must be a finite number`);
  }
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  // BLAS itself demands ld >= max(1, cols); we accept ld = 0 for empty rows (a contiguous
  // [m, 0] tensor) because providers handle k = 0 / m = 0 / n = 0 without calling BLAS.
  if (args.lda < aCols) fail(`lda=${args.lda} < ${aCols} (stored A is ${aRows}x${aCols})`);
  if (args.ldb < bCols) fail(`ldb=${args.ldb} < ${bCols} (stored B is ${bRows}x${bCols})`);
  if (args.ldc < n) fail(`ldc=${args.ldc} < ${n} (C is ${m}x${n})`);
  if (m === 0 || n === 0 || batch === 0) return; // nothing is read or written
  const needsAB = k > 0 && args.alpha !== 0;
  if (needsAB) {
    const ea = extent(args.aOffset, args.strideA, batch, aRows, aCols, args.lda);
    if (ea > args.a.length) fail(`A needs ${ea} elements, a.length=${args.a.length}`);
    const eb = extent(args.bOffset, args.strideB, batch, bRows, bCols, args.ldb);
    if (eb > args.b.length) fail(`B needs ${eb} elements, b.length=${args.b.length}`);
  }
  const ec = extent(args.cOffset, args.strideC, batch, m, n, args.ldc);
  if (ec > args.c.length) fail(`C needs ${ec} elements, c.length=${args.c.length}`);
}

/**
 * Folds a batch whose B is broadcast (`strideB = 0`) into one taller GEMM when A and C batches
 * are stacked back to back (`strideA = m * lda` with A not transposed, `strideC = m * ldc`): then
 * `C[b] = A[b] @ B` for all b is exactly `[C[0]; C[1]; ...] = [A[0]; A[1]; ...] @ B`. This is the
 * common "activations x shared weight" case; one big GEMM packs B once and gives BLAS one call
 * (which it can thread) instead of `batch` small ones. Returns `args` unchanged when not foldable.
 */
export function foldBroadcastBatch<T extends Float32Array | Float64Array>(
  args: GemmArgs<T>,
): GemmArgs<T> {
  const { batch, m } = args;
  if (
    batch > 1 && args.strideB === 0 && !args.transA && m > 0 &&
    args.strideA === m * args.lda && args.strideC === m * args.ldc
  ) {
    return { ...args, m: m * batch, batch: 1 };
  }
  return args;
}

/**
 * `C = beta * C` for one `m x n` matrix at `base` with row pitch `ldc`, with BLAS's rule that
 * `beta = 0` overwrites (NaN/garbage in C is cleared, not propagated).
 */
export function scaleMatrix(
  c: Float32Array | Float64Array,
  base: number,
  m: number,
  n: number,
  ldc: number,
  beta: number,
): void {
  if (beta === 1) return;
  for (let i = 0, row = base; i < m; i++, row += ldc) {
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}
