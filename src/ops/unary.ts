/**
 * Element-wise functions of one tensor: neg, exp, log, sqrt, rsqrt, pow by a scalar, tanh, relu,
 * abs, sigmoid, and scalar add/mul. Each is a `map` expression plus its derivative expression.
 *
 * Kernel `map`: CPU src/backend/cpu/kernels/elementwise.ts (hand-written row loops for add_scalar,
 * mul_scalar and the `mul` of exp's gradient; the generic loop calls the JS expression for the
 * others), WebGPU src/backend/webgpu/kernels/elementwise.ts + shaders/map.wgsl.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { withGrad } from "./kernel.ts";
import { map, type MapExpr } from "./map.ts";

const e = (key: string, wgsl: string, js: MapExpr["js"]): MapExpr => ({ key, wgsl, js });

const NEG = e("neg", "-a", (a) => -a);
const EXP = e("exp", "exp(a)", (a) => Math.exp(a));
const LOG = e("log", "log(a)", (a) => Math.log(a));
const SQRT = e("sqrt", "sqrt(a)", (a) => Math.sqrt(a));
const RSQRT = e("rsqrt", "inverseSqrt(a)", (a) => 1 / Math.sqrt(a));
const TANH = e("tanh", "tanh(a)", (a) => Math.tanh(a));
const RELU = e("relu", "max(a, 0.0)", (a) => (a > 0 ? a : 0));
const ABS = e("abs", "abs(a)", (a) => Math.abs(a));
const SIGMOID = e("sigmoid", "1.0 / (1.0 + exp(-a))", (a) => 1 / (1 + Math.exp(-a)));
// pow with a real exponent, defined for negative bases when the exponent is an integer (like torch).
const POW = e(
  "pow",
  "select(pow(abs(a), p.x) * select(1.0, -1.0, a < 0.0 && (p.x - 2.0 * floor(p.x / 2.0)) == 1.0), select(0.0, 1.0, p.x == 0.0), a == 0.0)",
  (a, _b, _c, p) => Math.pow(a, p[0]),
);
const MUL_S = e("mul_scalar", "a * p.x", (a, _b, _c, p) => a * p[0]);
const ADD_S = e("add_scalar", "a + p.x", (a, _b, _c, p) => a + p[0]);

// Gradient expressions: a = saved input or output, b = dy.
const MUL = e("mul", "a * b", (a, b) => a * b);
const LOG_GRAD = e("log_grad", "b / a", (a, b) => b / a);
const SQRT_GRAD = e("sqrt_grad", "0.5 * b / a", (a, b) => 0.5 * b / a);
const RSQRT_GRAD = e("rsqrt_grad", "-0.5 * b * a * a * a", (a, b) => -0.5 * b * a * a * a);
const TANH_GRAD = e("tanh_grad", "b * (1.0 - a * a)", (a, b) => b * (1 - a * a));
const RELU_GRAD = e("relu_grad", "select(0.0, b, a > 0.0)", (a, b) => (a > 0 ? b : 0));
const ABS_GRAD = e("abs_grad", "b * sign(a)", (a, b) => b * Math.sign(a));
const SIGMOID_GRAD = e("sigmoid_grad", "b * a * (1.0 - a)", (a, b) => b * a * (1 - a));
const POW_GRAD = e(
  "pow_grad",
  "b * p.x * select(pow(abs(a), p.x - 1.0) * select(1.0, -1.0, a < 0.0 && (p.x - 1.0 - 2.0 * floor((p.x - 1.0) / 2.0)) == 1.0), select(0.0, 1.0, p.x == 1.0), a == 0.0)",
  (a, b, _c, p) => b * p[0] * Math.pow(a, p[0] - 1),
);

/** `-x` */
export function neg(x: Tensor): Tensor {
  return withGrad("neg", [x], map("neg", NEG, [x]), [], (dy) => [map("neg", NEG, [dy])]);
}

/** `e^x` */
export function exp(x: Tensor): Tensor {
  const y = map("exp", EXP, [x]);
  return withGrad("exp", [x], y, [y], (dy, [ys]) => [map("exp", MUL, [ys, dy])]);
}

/** Natural log. */
export function log(x: Tensor): Tensor {
  return withGrad("log", [x], map("log", LOG, [x]), [x], (dy, [xs]) => [
    map("log", LOG_GRAD, [xs, dy]),
  ]);
}

/** Square root. */
export function sqrt(x: Tensor): Tensor {
  const y = map("sqrt", SQRT, [x]);
  return withGrad("sqrt", [x], y, [y], (dy, [ys]) => [map("sqrt", SQRT_GRAD, [ys, dy])]);
}

/** `1 / sqrt(x)` */
export function rsqrt(x: Tensor): Tensor {
  const y = map("rsqrt", RSQRT, [x]);
  return withGrad("rsqrt", [x], y, [y], (dy, [ys]) => [map("rsqrt", RSQRT_GRAD, [ys, dy])]);
}

/** `x ** p` for a scalar exponent. */
export function pow(x: Tensor, p: number): Tensor {
  return withGrad("pow", [x], map("pow", POW, [x], [p]), [x], (dy, [xs]) => [
    map("pow", POW_GRAD, [xs, dy], [p]),
  ]);
}

/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  const y = map("tanh", TANH, [x]);
  return withGrad("tanh", [x], y, [y], (dy, [ys]) => [map("tanh", TANH_GRAD, [ys, dy])]);
}

/** `max(x, 0)` */
export function relu(x: Tensor): Tensor {
  return withGrad("relu", [x], map("relu", RELU, [x]), [x], (dy, [xs]) => [
    map("relu", RELU_GRAD, [xs, dy]),
  ]);
}

/** `|x|` */
export function abs(x: Tensor): Tensor {
  return withGrad("abs", [x], map("abs", ABS, [x]), [x], (dy, [xs]) => [
    map("abs", ABS_GRAD, [xs, dy]),
  ]);
}

/** Logistic sigmoid. */
export function sigmoid(x: Tensor): Tensor {
  const y = map("sigmoid", SIGMOID, [x]);
  return withGrad("sigmoid", [x], y, [y], (dy, [ys]) => [map("sigmoid", SIGMOID_GRAD, [ys, dy])]);
}

/** `x * s` for a number `s`. */
export function mulScalar(x: Tensor, s: number): Tensor {
  return withGrad("mul_scalar", [x], map("mul_scalar", MUL_S, [x], [s]), [], (dy) => [
    map("mul_scalar", MUL_S, [dy], [s]),
  ]);
}

/** `x + s` for a number `s`. */
export function addScalar(x: Tensor, s: number): Tensor {
  return withGrad("add_scalar", [x], map("add_scalar", ADD_S, [x], [s]), [], (dy) => [dy.view()]);
}
