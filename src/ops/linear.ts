/**
 * `linear(x, W, b) = x·Wᵀ + b` with PyTorch's [out, in] weight, as one op: the bias add (and an
 * optional exact GELU) runs inside the matmul kernel, so a layer is one dispatch instead of two or
 * three and the activations are written once. Gradients: dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy
 * (`matmul` and `reduce`), through GELU first with the `map` kernel and `GELU_GRAD` (gelu.ts).
 *
 * Kernel `matmul` with a third input (the bias) and `epilogue: "gelu"`, and in training with GELU a
 * second output (the value before GELU):
 * - CPU src/backend/cpu/kernels/matmul.ts: the bias is added in the GEMM's store where the GEMM
 *   offers it (`Gemm.sgemmBias`: the WASM GEMM), else preset into C; the GELU is a `map` pass over
 *   the result, which for float32 is gelu.ts's path (src/backend/cpu/kernels/gelu_f32.ts).
 * - WebGPU src/backend/webgpu/kernels/matmul.ts + matmul_plan.ts: the bias and GELU are the WGSL
 *   epilogue of shaders/matmul_register.wgsl / matmul_tiled.wgsl, with shaders/erf.wgsl appended.
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import { isGradEnabled } from "../core/engine.ts";
import { GELU_GRAD } from "./gelu.ts";
import { map } from "./map.ts";
import { expectDType, runKernelN, withGrad } from "./kernel.ts";
import type { MatmulAttrs } from "./matmul.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { reshape } from "./shape_ops.ts";

/** Options of `linear`. */
export interface LinearOpOptions {
  /**
   * `"gelu"`: exact GELU after the bias, inside the matmul kernel; when a gradient is recorded the
   * kernel also writes x·Wᵀ + b, which GELU's backward reads.
   */
  activation?: "none" | "gelu";
}

/**
 * Applies a linear layer to the last dim of `x`.
 * @example
 * ```ts
 * const logits = linear(hidden, weight, bias); // [B, T, H] · [C, H]ᵀ + [C] -> [B, T, C]
 * ```
 */
export function linear(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor,
  options: LinearOpOptions = {},
): Tensor {
  const op = "linear";
  expectDType(op, x, "f32", "x");
  expectDType(op, weight, "f32", "weight");
  const [outF, inF] = weight.shape;
  if (
    weight.rank !== 2 || x.shape[x.rank - 1] !== inF ||
    (bias && (bias.rank !== 1 || bias.shape[0] !== outF))
  ) {
    throw new ShapeError(
      op,
      `x ${fmtShape(x.shape)}, weight ${fmtShape(weight.shape)}${
        bias ? `, bias ${fmtShape(bias.shape)}` : ""
      }: need x [..., in], weight [out, in], bias [out]`,
    );
  }
  const gelu = options.activation === "gelu";
  const recording = isGradEnabled() && [x, weight, bias].some((t) => t?.requiresGrad);
  if (!bias && !gelu) return matmul(x, weight, { transB: true });
  const rows = x.size / inF;
  const outShape = [...x.shape.slice(0, -1), outF];
  const x2 = x.view([rows, inF]);
  const attrs: MatmulAttrs = {
    batch: 1,
    m: rows,
    n: outF,
    k: inF,
    transA: false,
    transB: true,
    aBatchStride: 0,
    bBatchStride: 0,
    epilogue: gelu ? "gelu" : "none",
  };
  const inputs = bias ? [x2, weight, bias] : [x2, weight];
  // Training with GELU: the same kernel also writes z = x·Wᵀ + b, the input of GELU's gradient.
  const [y2, z2] = runKernelN(
    "matmul",
    inputs,
    gelu && recording
      ? [{ shape: [rows, outF], dtype: "f32" }, { shape: [rows, outF], dtype: "f32" }]
      : [{ shape: [rows, outF], dtype: "f32" }],
    attrs,
  );
  x2.dispose();
  if (gelu && !recording) {
    // Evaluation: bias and GELU ran inside the matmul kernel, one dispatch.
    const y = y2.view(outShape);
    y2.dispose();
    return y;
  }
  const saved = z2 ? [x, weight, z2] : [x, weight];
  const params = bias ? [x, weight, bias] : [x, weight];
  const y = withGrad(op, params, y2.view(outShape), saved, (dy, [xs, w, z], needs) => {
    // Through GELU first when it was fused: dz = dy · GELU'(z).
    const dz = z ? map("gelu", GELU_GRAD, [z, reshape(dy, [rows, outF])]) : dy;
    const dz2 = reshape(dz, [rows, outF]);
    return [
      needs[0] ? reshape(matmul(dz2, w), xs.shape) : null,
      needs[1] ? matmul(dz2, reshape(xs, [rows, inF]), { transA: true }) : null,
      ...(bias ? [needs[2] ? sum(dz2, 0) : null] : []),
    ];
  });
  y2.dispose();
  z2?.dispose();
  return y;
}
