/**
 * Exact (erf) GELU, as Hugging Face BERT's `hidden_act: "gelu"`:
 * `gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2))`, derivative `Φ(x) + x·φ(x)`.
 *
 * Kernel `map` with the `GELU` / `GELU_GRAD` expressions below (no kernel of its own):
 * - CPU src/backend/cpu/kernels/elementwise.ts: float32 outputs take the table-based loops of
 *   src/backend/cpu/kernels/gelu_f32.ts (`SPECIAL_F32`, picked by the keys "gelu" and "gelu_grad");
 *   float64 outputs (gradient checks) call the JS expression with src/core/erf.ts.
 * - WebGPU src/backend/webgpu/kernels/elementwise.ts + shaders/map.wgsl; WGSL has no erf, so
 *   shaders/erf.wgsl is prepended (`wgslFunctions: ["erf"]`).
 * `linear(..., { gelu: true })` fuses the same function into the `matmul` kernel (see linear.ts).
 * @module
 */
import { GELU, GELU_GRAD } from "../core/gelu_expr.ts";
import type { Tensor } from "../core/tensor.ts";
import { withGrad } from "./kernel.ts";
import { map } from "./map.ts";

export { GELU, GELU_GRAD };

/**
 * Exact GELU.
 * @example
 * ```ts
 * const h = gelu(add(matmul(x, w1, { transB: true }), b1));
 * ```
 */
export function gelu(x: Tensor): Tensor {
  return withGrad("gelu", [x], map("gelu", GELU, [x]), [x], (dy, [xs]) => [
    map("gelu", GELU_GRAD, [xs, dy]),
  ]);
}
