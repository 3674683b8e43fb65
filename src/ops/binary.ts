/**
 * Broadcasting arithmetic: add, sub, mul, div. Forward is the `map` kernel with the expressions
 * below; each gradient is summed back over the broadcast axes of its input (`sumToShape`, the
 * `reduce` kernel).
 *
 * Kernel `map`: CPU src/backend/cpu/kernels/elementwise.ts, WebGPU
 * src/backend/webgpu/kernels/elementwise.ts + shaders/map.wgsl (the expression spliced in). On the
 * CPU, add, sub, mul and div run hand-written row loops (`SPECIAL` in elementwise.ts, picked by the
 * expression's key); `div_grad_b` takes the generic loop that calls the JS expression.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { withGrad } from "./kernel.ts";
import { map, type MapExpr } from "./map.ts";
import { sumToShape } from "./reduce_raw.ts";
import { neg } from "./unary.ts";

const ADD: MapExpr = { key: "add", wgsl: "a + b", js: (a, b) => a + b };
const SUB: MapExpr = { key: "sub", wgsl: "a - b", js: (a, b) => a - b };
const MUL: MapExpr = { key: "mul", wgsl: "a * b", js: (a, b) => a * b };
const DIV: MapExpr = { key: "div", wgsl: "a / b", js: (a, b) => a / b };
/** d(a/b)/db · dy = -dy·a/b² */
const DIV_GRAD_B: MapExpr = {
  key: "div_grad_b",
  wgsl: "-c * a / (b * b)",
  js: (a, b, c) => -c * a / (b * b),
};

/** Reduces `g` onto `x`'s shape and drops `g` if a new tensor was made. */
function fold(g: Tensor, x: Tensor): Tensor {
  const r = sumToShape(g, x.shape);
  g.dispose();
  return r;
}

/** `a + b` with broadcasting. */
export function add(a: Tensor, b: Tensor): Tensor {
  const y = map("add", ADD, [a, b]);
  return withGrad("add", [a, b], y, [], (dy, _s, needs) => [
    needs[0] ? sumToShape(dy, a.shape) : null,
    needs[1] ? sumToShape(dy, b.shape) : null,
  ]);
}

/** `a - b` with broadcasting. */
export function sub(a: Tensor, b: Tensor): Tensor {
  const y = map("sub", SUB, [a, b]);
  return withGrad("sub", [a, b], y, [], (dy, _s, needs) => [
    needs[0] ? sumToShape(dy, a.shape) : null,
    needs[1] ? fold(neg(dy), b) : null,
  ]);
}

/** `a * b` with broadcasting. */
export function mul(a: Tensor, b: Tensor): Tensor {
  const y = map("mul", MUL, [a, b]);
  return withGrad("mul", [a, b], y, [a, b], (dy, [sa, sb], needs) => [
    needs[0] ? fold(map("mul", MUL, [dy, sb]), sa) : null,
    needs[1] ? fold(map("mul", MUL, [dy, sa]), sb) : null,
  ]);
}

/** `a / b` with broadcasting. */
export function div(a: Tensor, b: Tensor): Tensor {
  const y = map("div", DIV, [a, b]);
  return withGrad("div", [a, b], y, [a, b], (dy, [sa, sb], needs) => [
    needs[0] ? fold(map("div", DIV, [dy, sb]), sa) : null,
    needs[1] ? fold(map("div", DIV_GRAD_B, [sa, sb, dy]), sb) : null,
  ]);
}
