/**
 * Attention's per-head matmuls read Q, K, V and write the context straight from and to the
 * `[B, T, heads · d]` activations of the linear layers, with strided addressing instead of
 * `reshape` + `permute` copies (four copies forward and four backward per layer), and with the
 * 1/√d scale folded into the product. The gradients are the same kernel with flipped flags and
 * views.
 *
 * Kernel `matmul` with its layout attributes (head strides, row pitches; see `matmulLayout` in
 * matmul.ts): CPU src/backend/cpu/kernels/matmul.ts (one strided-batch GEMM call per outer index,
 * BLAS's lda/ldb/ldc), WebGPU src/backend/webgpu/kernels/matmul.ts + matmul_plan.ts +
 * shaders/matmul_register.wgsl / matmul_tiled.wgsl (strides as uniforms).
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, runKernel, withGrad } from "./kernel.ts";
import type { MatmulAttrs } from "./matmul.ts";

/**
 * Where the matrices of a `[outer, heads]` batch lie in a tensor: matrix (o, h) starts at element
 * `o * outer + h * head` and its stored rows are `ld` elements apart.
 */
interface MatrixView {
  outer: number;
  head: number;
  ld: number;
}

/** Batch and matrix sizes of one strided matmul: C (m × n) = alpha · op(A) (m × k) · op(B) (k × n). */
interface HeadDims {
  outer: number;
  heads: number;
  m: number;
  n: number;
  k: number;
}

/**
 * `C = alpha · op(A) · op(B)` per (outer, head) pair, each operand addressed through its view;
 * `cView` must tile the `cShape` output exactly (every element written once).
 */
function stridedMatmul(
  a: Tensor,
  aView: MatrixView,
  transA: boolean,
  b: Tensor,
  bView: MatrixView,
  transB: boolean,
  d: HeadDims,
  cShape: readonly number[],
  cView: MatrixView,
  alpha: number,
): Tensor {
  const attrs: MatmulAttrs = {
    batch: d.outer * d.heads,
    m: d.m,
    n: d.n,
    k: d.k,
    transA,
    transB,
    heads: d.heads,
    aBatchStride: aView.outer,
    aHeadStride: aView.head,
    lda: aView.ld,
    bBatchStride: bView.outer,
    bHeadStride: bView.head,
    ldb: bView.ld,
    cBatchStride: cView.outer,
    cHeadStride: cView.head,
    ldc: cView.ld,
    alpha,
  };
  const c = runKernel("matmul", [a, b], cShape, "f32", attrs);
  return withGrad("matmul", [a, b], c, [a, b], (dc, [sa, sb], needs) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) {
      // A stored m × k: dA = α dC · op(B)ᵀ; stored k × m (transA): dA = α op(B) · dCᵀ.
      da = transA
        ? stridedMatmul(
          sb,
          bView,
          transB,
          dc,
          cView,
          true,
          {
            ...d,
            m: d.k,
            n: d.m,
            k: d.n,
          },
          sa.shape,
          aView,
          alpha,
        )
        : stridedMatmul(
          dc,
          cView,
          false,
          sb,
          bView,
          !transB,
          {
            ...d,
            n: d.k,
            k: d.n,
          },
          sa.shape,
          aView,
          alpha,
        );
    }
    if (needs[1]) {
      // B stored k × n: dB = α op(A)ᵀ · dC; stored n × k (transB): dB = α dCᵀ · op(A).
      db = transB
        ? stridedMatmul(
          dc,
          cView,
          true,
          sa,
          aView,
          transA,
          {
            ...d,
            m: d.n,
            n: d.k,
            k: d.m,
          },
          sb.shape,
          bView,
          alpha,
        )
        : stridedMatmul(
          sa,
          aView,
          !transA,
          dc,
          cView,
          false,
          {
            ...d,
            m: d.k,
            k: d.m,
          },
          sb.shape,
          bView,
          alpha,
        );
    }
    return [da, db];
  });
}

function expectHeads(op: string, x: Tensor, heads: number, name: string): [number, number, number] {
  expectDType(op, x, "f32", name);
  if (x.rank !== 3 || !Number.isInteger(heads) || heads < 1 || x.shape[2] % heads !== 0) {
    throw new ShapeError(
      op,
      `${name} must be [batch, seq, heads · headSize] with ${heads} heads, got ${
        fmtShape(x.shape)
      }`,
    );
  }
  return [x.shape[0], x.shape[1], x.shape[2]];
}

/** Views of `[B, T, heads · d]` (head h = columns h·d …) and of `[B, heads, T, cols]`. */
const splitView = (t: number, hidden: number, d: number): MatrixView => ({
  outer: t * hidden,
  head: d,
  ld: hidden,
});
const headMajorView = (heads: number, rows: number, cols: number): MatrixView => ({
  outer: heads * rows * cols,
  head: rows * cols,
  ld: cols,
});

/**
 * Attention scores per head, `scale · Q_h · K_hᵀ`, from Q and K as the linear layers give them.
 * @param q `[B, T, heads · d]`
 * @param k `[B, S, heads · d]`
 * @param heads number of attention heads
 * @param scale factor on every score (BERT: 1/√d)
 * @returns `[B, heads, T, S]`
 * @example
 * ```ts
 * const scores = attentionScores(q, k, 12, 1 / Math.sqrt(64)); // [B, 12, T, T]
 * ```
 */
export function attentionScores(q: Tensor, k: Tensor, heads: number, scale: number): Tensor {
  const op = "attentionScores";
  const [b, t, hidden] = expectHeads(op, q, heads, "q");
  const [bk, s, hk] = expectHeads(op, k, heads, "k");
  if (bk !== b || hk !== hidden) {
    throw new ShapeError(op, `q ${fmtShape(q.shape)} and k ${fmtShape(k.shape)} differ`);
  }
  const d = hidden / heads;
  return stridedMatmul(
    q,
    splitView(t, hidden, d),
    false,
    k,
    splitView(s, hidden, d),
    true,
    { outer: b, heads, m: t, n: s, k: d },
    [b, heads, t, s],
    headMajorView(heads, t, s),
    scale,
  );
}

/**
 * Attention output per head, `P_h · V_h`, written as `[B, T, heads · d]` (heads side by side, as
 * the output projection reads them).
 * @param probs `[B, heads, T, S]` attention probabilities
 * @param v `[B, S, heads · d]`
 * @param heads number of attention heads
 * @returns `[B, T, heads · d]`
 */
export function attentionContext(probs: Tensor, v: Tensor, heads: number): Tensor {
  const op = "attentionContext";
  const [b, s, hidden] = expectHeads(op, v, heads, "v");
  expectDType(op, probs, "f32", "probs");
  if (
    probs.rank !== 4 || probs.shape[0] !== b || probs.shape[1] !== heads || probs.shape[3] !== s
  ) {
    throw new ShapeError(
      op,
      `probs must be [${b}, ${heads}, T, ${s}] for v ${fmtShape(v.shape)}, got ${
        fmtShape(probs.shape)
      }`,
    );
  }
  const t = probs.shape[2];
  const d = hidden / heads;
  return stridedMatmul(
    probs,
    headMajorView(heads, t, s),
    false,
    v,
    splitView(s, hidden, d),
    false,
    { outer: b, heads, m: t, n: d, k: s },
    [b, t, hidden],
    splitView(t, hidden, d),
    1,
  );
}
