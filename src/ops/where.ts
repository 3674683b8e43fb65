/**
 * Selection: `where(cond, a, b)` and `maskedFill(x, mask, value)`, with broadcasting. `cond` is any
 * tensor whose non-zero elements select `a` (f32 0/1 masks and i32 masks both work).
 *
 * Kernel `map`: CPU src/backend/cpu/kernels/elementwise.ts (the generic loop, which calls the JS
 * expression), WebGPU src/backend/webgpu/kernels/elementwise.ts + shaders/map.wgsl; gradients are
 * folded back with `sumToShape` (reduce.ts).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { withGrad } from "./kernel.ts";
import { map, type MapExpr } from "./map.ts";
import { sumToShape } from "./reduce.ts";

const WHERE: MapExpr = {
  key: "where",
  wgsl: "select(c, b, a != 0.0)",
  js: (a, b, c) => (a !== 0 ? b : c),
};
const FILL: MapExpr = {
  key: "masked_fill",
  wgsl: "select(a, p.x, b != 0.0)",
  js: (a, b, _c, p) => (b !== 0 ? p[0] : a),
};
const KEEP_IF: MapExpr = {
  key: "keep_if",
  wgsl: "select(0.0, b, a != 0.0)",
  js: (a, b) => (a !== 0 ? b : 0),
};
const KEEP_UNLESS: MapExpr = {
  key: "keep_unless",
  wgsl: "select(b, 0.0, a != 0.0)",
  js: (a, b) => (a !== 0 ? 0 : b),
};

function folded(g: Tensor, shape: readonly number[]): Tensor {
  const r = sumToShape(g, shape);
  g.dispose();
  return r;
}

/** Element-wise `cond ? a : b`. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const y = map("where", WHERE, [cond, a, b]);
  return withGrad("where", [cond, a, b], y, [cond], (dy, [c], needs) => [
    null,
    needs[1] ? folded(map("where", KEEP_IF, [c, dy]), a.shape) : null,
    needs[2] ? folded(map("where", KEEP_UNLESS, [c, dy]), b.shape) : null,
  ]);
}

/** `x` with `value` wherever `mask` is non-zero (like `torch.Tensor.masked_fill`). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  const y = map("masked_fill", FILL, [x, mask], [value]);
  return withGrad("masked_fill", [x, mask], y, [mask], (dy, [m]) => [
    folded(map("masked_fill", KEEP_UNLESS, [m, dy]), x.shape),
    null,
  ]);
}

const TO_F32: MapExpr = { key: "cast", wgsl: "a", js: (a) => a };

/** Converts dtype (f32 ↔ i32; f32 → i32 truncates toward zero). No gradient. */
export function cast(x: Tensor, dtype: "f32" | "i32"): Tensor {
  return map("cast", TO_F32, [x], [], dtype);
}

const NOT_EQ: MapExpr = {
  key: "not_equal_scalar",
  wgsl: "select(0.0, 1.0, a != p.x)",
  js: (a, _b, _c, p) => (a !== p[0] ? 1 : 0),
};
const GREATER: MapExpr = {
  key: "greater",
  wgsl: "select(0.0, 1.0, a > b)",
  js: (a, b) => (a > b ? 1 : 0),
};

/** 1 where `x != value`, else 0 (f32). No gradient. */
export function notEqualScalar(x: Tensor, value: number): Tensor {
  return map("not_equal", NOT_EQ, [x], [value]);
}

/** 1 where `a > b`, else 0 (f32, broadcasting). No gradient. */
export function greater(a: Tensor, b: Tensor): Tensor {
  return map("greater", GREATER, [a, b]);
}
