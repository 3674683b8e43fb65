/**
 * The exact (erf) GELU expressions of the `map` kernel: the `gelu` op (src/ops/gelu.ts) uses them,
 * and so does the CPU `matmul` kernel's fused GELU epilogue, so they live below both.
 * @module
 */
import { erf } from "./erf.ts";
import type { MapExpr } from "./kernel_contract.ts";

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** GELU expression (shared with fused matmul epilogues). */
export const GELU: MapExpr = {
  key: "gelu",
  wgsl: "0.5 * a * (1.0 + erf_f32(a * 0.70710678118654752))",
  js: (a) => 0.5 * a * (1 + erf(a * SQRT1_2)),
  wgslFunctions: ["erf"],
};

/** dy · gelu'(x): a = x, b = dy. */
export const GELU_GRAD: MapExpr = {
  key: "gelu_grad",
  wgsl:
    "b * (0.5 * (1.0 + erf_f32(a * 0.70710678118654752)) + a * 0.39894228040143268 * exp(-0.5 * a * a))",
  js: (a, b) => b * (0.5 * (1 + erf(a * SQRT1_2)) + a * INV_SQRT_2PI * Math.exp(-0.5 * a * a)),
  wgslFunctions: ["erf"],
};
