/**
 * CPU kernel `matmul` (src/ops/matmul.ts): row-major batched GEMM through the backend's GEMM
 * provider (portable TypeScript, or BLAS through FFI).
 * @module
 */
import type { MatmulAttrs } from "../../../ops/matmul.ts";
import { GELU } from "../../../ops/gelu.ts";
import { geluRowF32 } from "./gelu_f32.ts";
import type { CpuKernel } from "./types.ts";

const matmul: CpuKernel = ([a, b, bias], [c], attrs, backend) => {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride, epilogue } =
    attrs as unknown as MatmulAttrs;
  const args = {
    transA,
    transB,
    m,
    n,
    k,
    aOffset: 0,
    lda: transA ? m : k,
    strideA: aBatchStride,
    bOffset: 0,
    ldb: transB ? k : n,
    strideB: bBatchStride,
    cOffset: 0,
    ldc: n,
    strideC: m * n,
    batch,
    alpha: 1,
    beta: 0,
  };
  if (c instanceof Float64Array) {
    backend.gemm.dgemm({ ...args, a: a as Float64Array, b: b as Float64Array, c });
  } else {
    backend.gemm.sgemm({
      ...args,
      a: a as Float32Array,
      b: b as Float32Array,
      c: c as Float32Array,
    });
  }
  // Optional third input: a bias over the columns (the fused `linear` op).
  if (bias) {
    for (let r = 0; r < batch * m; r++) {
      const base = r * n;
      for (let j = 0; j < n; j++) c[base + j] += bias[j];
    }
  }
  // Optional fused exact GELU (evaluation path of `linear`), the same functions as the `gelu` op.
  if (epilogue === "gelu") {
    if (c instanceof Float64Array) {
      for (let i = 0; i < c.length; i++) c[i] = GELU.js(c[i], 0, 0, []);
    } else geluRowF32(c, 0, 1, c, 0, c.length);
  }
};

/** Matmul kernels by name. */
export const matmulKernels: Record<string, CpuKernel> = { matmul };
