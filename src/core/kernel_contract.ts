/**
 * The kernel contract: every kernel's name and the type of its attributes, in one place (in the
 * spirit of TensorFlow.js's `kernel_names.ts`). Ops (src/ops/, src/nn/optim/) call kernels through
 * {@link KernelAttrsMap}-typed helpers; the CPU and WebGPU kernel files take their attributes'
 * types from here, so nothing in src/backend/ depends on src/ops/ or src/nn/. Helpers that both an
 * op and a backend need (the matmul layout, the dropout threshold) live here too.
 * @module
 */
import type { DType } from "./dtype.ts";

/** A scalar expression applied element-wise. */
export interface MapExpr {
  /** Pipeline cache key: unique per expression. */
  readonly key: string;
  /** WGSL expression of `a`, `b`, `c` (f32 values) and `p` (vec4<f32> params). */
  readonly wgsl: string;
  /** The same in JS. */
  readonly js: (a: number, b: number, c: number, p: readonly number[]) => number;
  /**
   * Shared WGSL functions the expression calls, by name (`erf_f32` is `"erf"`): the WebGPU
   * backend prepends their source (shader text stays in the backend).
   */
  readonly wgslFunctions?: readonly WgslFunction[];
}

/** The shared WGSL helper functions a map expression may call (see `MapExpr.wgslFunctions`). */
export type WgslFunction = "erf";

/** Attributes of the `map` kernel, as both backends receive them. */
export type MapAttrs = {
  expr: MapExpr;
  /** Output shape after coalescing (empty for the flat case). */
  shape: number[];
  /** Per input: its read strides over `shape` (empty when flat). */
  strides: number[][];
  /** Per input: its dtype (i32 inputs are read as f32 values). */
  inDTypes: DType[];
  outDType: DType;
  /** Scalar params `p`. */
  params: number[];
  /** All inputs are contiguous with the output's shape: index them directly. */
  flat: boolean;
};

/** Attributes of the `fill` kernel: every output element becomes `value`. */
export type FillAttrs = {
  value: number;
};

/** Attributes of the `reduce` kernel. */
export type ReduceAttrs = {
  op: "sum" | "max" | "sumsq";
  outer: number;
  r: number;
  inner: number;
  /** Write the results from this element of the output on (default 0). */
  outOffset?: number;
};

/** Attributes of `strided_copy` / `strided_scatter`: a view of `shape` with `strides` from `offset`. */
export type StridedAttrs = {
  shape: number[];
  strides: number[];
  offset: number;
};

/** Attributes of the `matmul` kernel (row-major, per batch: C = op(A) · op(B)). */
export type MatmulAttrs = {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  /** Elements between consecutive A (B) matrices; 0 broadcasts one matrix over the batch. */
  aBatchStride: number;
  bBatchStride: number;
  /** Exact-erf GELU applied after the (optional) bias, in the same kernel (inference only). */
  epilogue?: "none" | "gelu";
  /**
   * Strided layout (attention heads read in place, src/ops/head_matmul.ts). Batch index
   * `b = o * heads + h`: A[b] starts at `o * aBatchStride + h * aHeadStride` and its stored rows are
   * `lda` apart (likewise B, C). Left out: heads 1, packed rows, C contiguous, alpha 1.
   */
  heads?: number;
  aHeadStride?: number;
  bHeadStride?: number;
  cBatchStride?: number;
  cHeadStride?: number;
  lda?: number;
  ldb?: number;
  ldc?: number;
  /** Scale of the product (before the bias). */
  alpha?: number;
};

/** Every stride of a `matmul` kernel call, defaults filled in (what kernels consume). */
export interface MatmulLayout {
  /** Inner batch count (batch = outer * heads). */
  heads: number;
  aBatchStride: number;
  aHeadStride: number;
  lda: number;
  bBatchStride: number;
  bHeadStride: number;
  ldb: number;
  cBatchStride: number;
  cHeadStride: number;
  ldc: number;
  alpha: number;
}

/** Resolves the optional layout fields of {@link MatmulAttrs} (packed row-major by default). */
export function matmulLayout(at: MatmulAttrs): MatmulLayout {
  const heads = at.heads ?? 1;
  return {
    heads,
    aBatchStride: at.aBatchStride,
    aHeadStride: at.aHeadStride ?? (heads === 1 ? 0 : at.aBatchStride / heads),
    lda: at.lda ?? (at.transA ? at.m : at.k),
    bBatchStride: at.bBatchStride,
    bHeadStride: at.bHeadStride ?? (heads === 1 ? 0 : at.bBatchStride / heads),
    ldb: at.ldb ?? (at.transB ? at.k : at.n),
    cBatchStride: at.cBatchStride ?? at.m * at.n * heads,
    cHeadStride: at.cHeadStride ?? at.m * at.n,
    ldc: at.ldc ?? at.n,
    alpha: at.alpha ?? 1,
  };
}

/** Attributes of `gather_rows`: `out[i, :] = table[ids[i], :]`. */
export type GatherAttrs = {
  rows: number;
  width: number;
  vocab: number;
};

/** Attributes of `segment_sum_rows`: `out[uniq[u], :] = Σ_{j in seg u} dy[order[j], :]`. */
export type SegmentSumAttrs = {
  segments: number;
  width: number;
};

/** Attributes of `softmax`: `rows × cols` rows; the mask (if any) read with `maskStrides` over `rowShape`. */
export type SoftmaxAttrs = {
  rows: number;
  cols: number;
  log: boolean;
  /** Leading dims of x (all but the last). */
  rowShape: number[];
  /** Strides of the mask over `rowShape` (0 on broadcast dims), and over cols. */
  maskStrides: number[];
  maskColStride: number;
  hasMask: boolean;
};

/** Attributes of `softmax_grad` (inputs y, dy). */
export type SoftmaxGradAttrs = {
  rows: number;
  cols: number;
  log: boolean;
};

/** Attributes of the layer-norm kernels. */
export type LayerNormAttrs = {
  rows: number;
  cols: number;
  eps: number;
};

/** Attributes of `dropout`. */
export type DropoutAttrs = {
  p: number;
  seed: number;
};

/** The u32 hash value below which an element is dropped: p·2³², clamped to the u32 range. */
export function dropoutThreshold(p: number): number {
  return Math.min(Math.floor(p * 4294967296), 4294967295);
}

/** Attributes of `residual_layer_norm`: the layer norm's, and dropout's on `x` (p 0: none). */
export type ResidualLayerNormAttrs = LayerNormAttrs & DropoutAttrs;

/** Attributes of the cross-entropy kernels. */
export type CrossEntropyAttrs = {
  rows: number;
  cols: number;
  ignoreIndex: number;
};

/** Attributes of the `adamw_group` kernel: per parameter, 1 if weight decay applies, else 0. */
export type AdamWGroupAttrs = {
  decay: number[];
};

/** Attributes of a kernel that takes none (`adamw`). */
export type NoAttrs = Record<string, never>;

/**
 * Fields the CPU backend adds to a call's attributes when it splits the call across threads
 * (src/backend/cpu/parallel.ts); callers leave them out.
 */
export type SplitAttrs = {
  /** This part's first row (row-split kernels that index by global row). */
  rowOffset?: number;
  /** This part's first element (dropout's counter-based mask). */
  indexOffset?: number;
  /** This part's column range (`layer_norm_grad_params`). */
  colFrom?: number;
  /** End of this part's column range (`layer_norm_grad_params`). */
  colTo?: number;
  /** This part's inner range (`reduce`). */
  innerFrom?: number;
  /** End of this part's inner range (`reduce`). */
  innerTo?: number;
};

/** Every kernel's name and the type of its attributes. */
export type KernelAttrsMap = {
  /** Element-wise expression over broadcast inputs (src/ops/map.ts). */
  map: MapAttrs;
  /** Constant fill (src/ops/creation.ts, zeroed WebGPU allocations). */
  fill: FillAttrs;
  /** Sum, sum of squares or max over the middle axis of `[outer, r, inner]` (src/ops/reduce.ts). */
  reduce: ReduceAttrs & Pick<SplitAttrs, "innerFrom" | "innerTo">;
  /** Strided view → contiguous output (src/ops/shape_ops.ts). */
  strided_copy: StridedAttrs;
  /** Contiguous input → strided view of an existing output (src/ops/shape_ops.ts). */
  strided_scatter: StridedAttrs;
  /** Batched, strided matrix product with optional bias and GELU (src/ops/matmul.ts, linear.ts). */
  matmul: MatmulAttrs;
  /** Embedding lookup (src/ops/gather.ts). */
  gather_rows: GatherAttrs;
  /** Embedding gradient: sums of row segments (src/ops/gather.ts). */
  segment_sum_rows: SegmentSumAttrs;
  /** Masked softmax / log-softmax over the last axis (src/ops/softmax.ts). */
  softmax: SoftmaxAttrs & Pick<SplitAttrs, "rowOffset">;
  /** Gradient of `softmax` (src/ops/softmax.ts). */
  softmax_grad: SoftmaxGradAttrs;
  /** LayerNorm forward with mean and rstd (src/ops/layer_norm.ts). */
  layer_norm: LayerNormAttrs;
  /** LayerNorm input gradient (src/ops/layer_norm.ts). */
  layer_norm_grad: LayerNormAttrs;
  /** LayerNorm gamma/beta gradients (src/ops/layer_norm.ts). */
  layer_norm_grad_params: LayerNormAttrs & Pick<SplitAttrs, "colFrom" | "colTo">;
  /** Dropout + residual add + LayerNorm in one call (src/ops/layer_norm.ts). */
  residual_layer_norm: ResidualLayerNormAttrs & Pick<SplitAttrs, "rowOffset">;
  /** Counter-based inverted dropout, both directions (src/ops/dropout.ts). */
  dropout: DropoutAttrs & Pick<SplitAttrs, "indexOffset">;
  /** Per-row cross-entropy loss (src/ops/cross_entropy.ts). */
  cross_entropy: CrossEntropyAttrs;
  /** Cross-entropy logits gradient (src/ops/cross_entropy.ts). */
  cross_entropy_grad: CrossEntropyAttrs;
  /** One parameter's AdamW update (run by `adamw_group`). */
  adamw: NoAttrs;
  /** AdamW update of all parameters of a step (src/nn/optim/adamw.ts). */
  adamw_group: AdamWGroupAttrs;
};

/** The name of a kernel. */
export type KernelName = keyof KernelAttrsMap;
