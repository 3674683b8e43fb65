/**
 * Batched matrix multiply with transpose flags, so attention (Q·Kᵀ) and linear layers (x·Wᵀ with
 * HF's [out, in] weights) need no transpose copies. Gradients are matmuls with flipped flags.
 *
 * Kernel `matmul`:
 * - CPU src/backend/cpu/kernels/matmul.ts, through the backend's GEMM (the `Gemm` contract of
 *   src/backend/cpu/gemm.ts): the TypeScript src/backend/cpu/gemm_js.ts, the WebAssembly
 *   src/backend/cpu/wasm_gemm.ts (wasm/sgemm.as.ts) or OpenBLAS through FFI (src/io/deno/blas.ts);
 *   GEMMs split by rows across threads in src/backend/cpu/parallel.ts (`splitGemm`).
 * - WebGPU src/backend/webgpu/kernels/matmul.ts; the variant, its WGSL and the dispatch come from
 *   `planMatmul` in src/backend/webgpu/kernels/matmul_plan.ts (shaders/matmul_register.wgsl for
 *   software adapters, shaders/matmul_tiled.wgsl for real GPUs).
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import { sameShape, sizeOf } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, runKernel, withGrad } from "./kernel.ts";
import { sumToShape } from "./reduce_raw.ts";
import { reshape } from "./shape_ops.ts";
import { type MatmulAttrs, type MatmulLayout, matmulLayout } from "../core/kernel_contract.ts";

export { matmulLayout };
export type { MatmulAttrs, MatmulLayout };

/** Options of `matmul`. */
export interface MatmulOptions {
  /** Use Aᵀ (the last two dims of `a` swapped). */
  transA?: boolean;
  /** Use Bᵀ. */
  transB?: boolean;
}

/**
 * `op(a) @ op(b)` over the last two dims, batch dims broadcast when one side has none (or 1).
 * @example
 * ```ts
 * const scores = matmul(q, k, { transB: true }); // [B, h, T, d] x [B, h, T, d]ᵀ -> [B, h, T, T]
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const { m, n, k } = productDims(a, b, transA, transB);
  const aBatch = a.shape.slice(0, -2);
  // x·W with a single W: fold the batch into the rows, so forward and both gradients are one GEMM
  // each and W's gradient needs no reduction over the batch.
  if (b.rank === 2 && a.rank > 2 && !transA) {
    const a2 = reshape(a, [-1, k]);
    const y2 = matmul2(a2, b, transA, transB, 1, m * sizeOf(aBatch), n, k, 0, 0);
    const y = reshape(y2, [...aBatch, m, n]);
    a2.dispose();
    y2.dispose();
    return y;
  }
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastBatch(aBatch, bBatch);
  const batch = sizeOf(batchShape);
  // A side with a single matrix is broadcast: batch stride 0.
  const aStride = sizeOf(aBatch) === 1 ? 0 : m * k;
  const bStride = sizeOf(bBatch) === 1 ? 0 : k * n;
  const y2 = matmul2(a, b, transA, transB, batch, m, n, k, aStride, bStride);
  const y = reshape(y2, [...batchShape, m, n]);
  y2.dispose();
  return y;
}

/** The product's m × k · k × n after the transposes; throws on dtypes, ranks or inner dims. */
function productDims(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
): { m: number; n: number; k: number } {
  const op = "matmul";
  expectDType(op, a, "f32", "a");
  expectDType(op, b, "f32", "b");
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(op, `needs rank ≥ 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    throw new ShapeError(
      op,
      `inner dims differ: ${fmtShape(a.shape)}${transA ? "ᵀ" : ""} @ ${fmtShape(b.shape)}${
        transB ? "ᵀ" : ""
      } (${k} vs ${kb})`,
    );
  }
  return { m, n, k };
}

/** The result's batch dims: equal batch dims, or the other side's where one side has one matrix. */
function broadcastBatch(aBatch: readonly number[], bBatch: readonly number[]): readonly number[] {
  const aN = sizeOf(aBatch);
  const bN = sizeOf(bBatch);
  if (sameShape(aBatch, bBatch)) return aBatch;
  if (bN === 1 && aBatch.length >= bBatch.length) return aBatch;
  if (aN === 1 && bBatch.length >= aBatch.length) return bBatch;
  throw new ShapeError(
    "matmul",
    `batch dims ${fmtShape(aBatch)} and ${fmtShape(bBatch)} must be equal or one of them 1`,
  );
}

/** The `matmul` kernel on [batch, r, c] operands (batch stride 0: broadcast), with its gradient. */
function matmul2(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  batch: number,
  m: number,
  n: number,
  k: number,
  aBatchStride: number,
  bBatchStride: number,
): Tensor {
  const attrs: MatmulAttrs = { batch, m, n, k, transA, transB, aBatchStride, bBatchStride };
  const y = runKernel(
    "matmul",
    [a, b],
    [batch, m, n],
    "f32",
    attrs,
  );
  return withGrad("matmul", [a, b], y, [a, b], (dy, [sa, sb], needs) => {
    // Shapes as [batch?, r, c]: gradients come out batched, then fold onto broadcast inputs.
    const a3 = reshape(sa, [aBatchStride === 0 ? 1 : batch, ...sa.shape.slice(-2)]);
    const b3 = reshape(sb, [bBatchStride === 0 ? 1 : batch, ...sb.shape.slice(-2)]);
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) {
      const g = transA
        ? matmul(b3, dy, { transA: transB, transB: true })
        : matmul(dy, b3, { transB: !transB });
      da = reshape(sumToShape(g, a3.shape), sa.shape);
    }
    if (needs[1]) {
      const g = transB
        ? matmul(dy, a3, { transA: true, transB: transA })
        : matmul(a3, dy, { transA: !transA });
      db = reshape(sumToShape(g, b3.shape), sb.shape);
    }
    return [da, db];
  });
}
