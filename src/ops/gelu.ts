/**
 * Exact (erf) GELU, as Hugging Face BERT's `hidden_act: "gelu"`:
 * `gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2))`, derivative `Φ(x) + x·φ(x)`.
 *
 * Kernel `map` with the `GELU` / `GELU_GRAD` expressions below (no kernel of its own):
 * - CPU src/backend/cpu/kernels/elementwise.ts: float32 outputs take the table-based loops of
 *   src/backend/cpu/kernels/gelu_f32.ts (`SPECIAL_F32`, picked by the keys "gelu" and "gelu_grad");
 *   float64 outputs (gradient checks) call the JS expression with src/core/erf.ts.
 * - WebGPU src/backend/webgpu/kernels/elementwise.ts + shaders/map.wgsl; WGSL has no erf, so
 *   shaders/erf.wgsl is prepended (`wgslPrelude`).
 * `linear(..., { gelu: true })` fuses the same function into the `matmul` kernel (see linear.ts).
 * @module
 */
import { erf } from "../core/erf.ts";
import type { Tensor } from "../core/tensor.ts";
import { erfWgsl } from "../generated/shaders.ts";
import { withGrad } from "./kernel.ts";
import { map, type MapExpr } from "./map.ts";

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** GELU expression (shared with fused matmul epilogues). */
export const GELU: MapExpr = {
  key: "gelu",
  wgsl: "0.5 * a * (1.0 + erf_f32(a * 0.70710678118654752))",
  js: (a) => 0.5 * a * (1 + erf(a * SQRT1_2)),
  wgslPrelude: erfWgsl,
};

/** dy · gelu'(x): a = x, b = dy. */
export const GELU_GRAD: MapExpr = {
  key: "gelu_grad",
  wgsl:
    "b * (0.5 * (1.0 + erf_f32(a * 0.70710678118654752)) + a * 0.39894228040143268 * exp(-0.5 * a * a))",
  js: (a, b) => b * (0.5 * (1 + erf(a * SQRT1_2)) + a * INV_SQRT_2PI * Math.exp(-0.5 * a * a)),
  wgslPrelude: erfWgsl,
};

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
