/**
 * CPU kernel `matmul` (src/ops/matmul.ts): row-major batched GEMM through the backend's GEMM
 * provider (portable TypeScript, or BLAS through FFI).
 * @module
 */
import { matmulLayout } from "../../../core/kernel_contract.ts";
import type { GemmArgs } from "../gemm.ts";
import type { CpuBackend } from "../cpu_backend.ts";
import type { TypedArray } from "../../../core/dtype.ts";
import { GELU } from "../../../core/gelu_expr.ts";
import type { MapAttrs } from "../../../core/kernel_contract.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";

const matmul: CpuKernel<"matmul"> = ([a, b, bias], [c, pre], attrs, backend) => {
  // With a second output (training's fused linear + GELU), the product + bias goes there and C
  // gets its GELU; otherwise everything happens in C.
  const z = pre ?? c;
  const at = attrs;
  const { batch, m, n, k, transA, transB, epilogue } = at;
  const l = matmulLayout(at);
  // Batch index o * heads + h: BLAS's strided batch covers the heads, one call per outer index
  // (a single call when there are no heads).
  const calls = l.heads === 1 ? 1 : batch / l.heads;
  const perCall = l.heads === 1 ? batch : l.heads;
  const [strideA, strideB, strideC] = l.heads === 1
    ? [l.aBatchStride, l.bBatchStride, l.cBatchStride]
    : [l.aHeadStride, l.bHeadStride, l.cHeadStride];
  // Optional third input: a bias over the columns (the fused `linear` op, packed rows). A GEMM that
  // adds a bias row in its store gets it; otherwise it is copied into every row of the output
  // first and the GEMM adds onto it (beta = 1), a memcpy per row instead of a TypeScript pass.
  const fused = bias !== undefined && z instanceof Float32Array && backend.gemm.sgemmBias === true;
  if (bias && !fused) {
    const row = bias.subarray(0, n);
    for (let r = 0; r < batch * m; r++) z.set(row, r * n);
  }
  for (let o = 0; o < calls; o++) {
    const args = {
      transA,
      transB,
      m,
      n,
      k,
      aOffset: l.heads === 1 ? 0 : o * l.aBatchStride,
      lda: l.lda,
      strideA,
      bOffset: l.heads === 1 ? 0 : o * l.bBatchStride,
      ldb: l.ldb,
      strideB,
      cOffset: l.heads === 1 ? 0 : o * l.cBatchStride,
      ldc: l.ldc,
      strideC,
      batch: perCall,
      alpha: l.alpha,
      beta: bias && !fused ? 1 : 0,
      bias: fused ? (bias as Float32Array).subarray(0, n) : undefined,
    };
    gemmInto(backend, a, b, z, args);
  }
  // Optional fused exact GELU (evaluation path of `linear`), the same functions as the `gelu` op.
  // Float32 goes through the backend's `map` kernel (the same geluRowF32 loop), which a worker
  // pool can split.
  if (epilogue === "gelu") {
    if (c instanceof Float64Array) {
      for (let i = 0; i < c.length; i++) c[i] = GELU.js(z[i], 0, 0, []);
    } else backend.run("map", [z], [c], GELU_MAP);
  }
};

/** `map` attributes of a flat float32 GELU. */
const GELU_MAP: MapAttrs = {
  expr: GELU,
  shape: [],
  strides: [],
  inDTypes: ["f32"],
  outDType: "f32",
  params: [],
  flat: true,
};

type GemmCall = Omit<GemmArgs<Float32Array>, "a" | "b" | "c" | "bias"> & { bias?: Float32Array };

function gemmInto(
  backend: CpuBackend,
  a: TypedArray,
  b: TypedArray,
  c: TypedArray,
  args: GemmCall,
): void {
  if (c instanceof Float64Array) {
    const { bias: _, ...rest } = args; // never fused for float64
    backend.gemm.dgemm({ ...rest, a: a as Float64Array, b: b as Float64Array, c });
  } else {
    backend.gemm.sgemm({
      ...args,
      a: a as Float32Array,
      b: b as Float32Array,
      c: c as Float32Array,
    });
  }
}

/** Matmul kernels by name. */
export const matmulKernels: CpuKernels<"matmul"> = { matmul };
