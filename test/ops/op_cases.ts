/**
 * One table of op cases shared by the gradient checks (float64 CPU) and the CPU-vs-WebGPU parity
 * tests, so every op gets both. Shapes include sizes that are not multiples of any workgroup size,
 * size-1 dims and broadcasting.
 * @module
 */
import type { Tensor } from "../../src/core/tensor.ts";
import * as ops from "../../src/ops/mod.ts";

/** How to build one input: shape, seed, and value transform. */
export interface InputSpec {
  shape: number[];
  /** Values N(0,1)·scale + shift. */
  scale?: number;
  shift?: number;
  /** Integer input (ids/labels) with these values instead of random floats. */
  ints?: number[];
  /** Constant input without gradient (e.g. masks). */
  noGrad?: boolean;
}

/** An op under test. */
export interface OpCase {
  name: string;
  inputs: InputSpec[];
  f: (...xs: Tensor[]) => Tensor;
  /**
   * Largest gradient error accepted, relative to the largest gradient (`gradCheck`'s `tol`;
   * default 1e-6).
   */
  tol?: number;
}

const mask01 = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 1 : 0));

/** Every op with forward and backward. */
export const opCases: OpCase[] = [
  { name: "add broadcast", inputs: [{ shape: [3, 1, 5] }, { shape: [4, 1] }], f: ops.add },
  { name: "sub", inputs: [{ shape: [2, 7] }, { shape: [7] }], f: ops.sub },
  { name: "mul", inputs: [{ shape: [5, 3] }, { shape: [5, 1] }], f: ops.mul },
  { name: "div", inputs: [{ shape: [4, 3] }, { shape: [3], shift: 3 }], f: ops.div },
  { name: "neg", inputs: [{ shape: [17] }], f: ops.neg },
  { name: "exp", inputs: [{ shape: [3, 5] }], f: ops.exp },
  { name: "log", inputs: [{ shape: [6], scale: 0.3, shift: 2 }], f: ops.log },
  { name: "sqrt", inputs: [{ shape: [6], scale: 0.3, shift: 2 }], f: ops.sqrt },
  { name: "rsqrt", inputs: [{ shape: [6], scale: 0.3, shift: 2 }], f: ops.rsqrt },
  { name: "pow 3", inputs: [{ shape: [9] }], f: (x) => ops.pow(x, 3) },
  { name: "pow 0.5", inputs: [{ shape: [9], scale: 0.3, shift: 2 }], f: (x) => ops.pow(x, 0.5) },
  { name: "tanh", inputs: [{ shape: [2, 9] }], f: ops.tanh },
  { name: "relu", inputs: [{ shape: [2, 9] }], f: ops.relu },
  { name: "gelu", inputs: [{ shape: [3, 11], scale: 2 }], f: ops.gelu },
  { name: "sigmoid", inputs: [{ shape: [7] }], f: ops.sigmoid },
  { name: "mulScalar", inputs: [{ shape: [7] }], f: (x) => ops.mulScalar(x, -2.5) },
  { name: "addScalar", inputs: [{ shape: [7] }], f: (x) => ops.addScalar(x, 0.75) },
  { name: "sum axes keepdim", inputs: [{ shape: [3, 4, 5] }], f: (x) => ops.sum(x, [0, 2], true) },
  { name: "sum all", inputs: [{ shape: [3, 5] }], f: (x) => ops.sum(x) },
  { name: "mean -1", inputs: [{ shape: [3, 5] }], f: (x) => ops.mean(x, -1) },
  { name: "max 1", inputs: [{ shape: [4, 6, 2] }], f: (x) => ops.max(x, 1) },
  {
    name: "reshape",
    inputs: [{ shape: [3, 4] }],
    f: (x) => ops.mul(ops.reshape(x, [2, -1]), ops.reshape(x, [2, 6])),
  },
  { name: "permute", inputs: [{ shape: [2, 3, 4] }], f: (x) => ops.permute(x, [2, 0, 1]) },
  { name: "transpose", inputs: [{ shape: [3, 5] }], f: (x) => ops.transpose(x) },
  { name: "slice", inputs: [{ shape: [4, 5] }], f: (x) => ops.slice(x, 1, 1, 4) },
  {
    name: "concat",
    inputs: [{ shape: [2, 3] }, { shape: [2, 1] }, { shape: [2, 2] }],
    f: (a, b, c) => ops.concat([a, b, c], 1),
  },
  { name: "broadcastTo", inputs: [{ shape: [3, 1] }], f: (x) => ops.broadcastTo(x, [2, 3, 4]) },
  { name: "matmul", inputs: [{ shape: [3, 5] }, { shape: [5, 4] }], f: (a, b) => ops.matmul(a, b) },
  {
    name: "matmul transA",
    inputs: [{ shape: [5, 3] }, { shape: [5, 4] }],
    f: (a, b) => ops.matmul(a, b, { transA: true }),
  },
  {
    name: "matmul transB",
    inputs: [{ shape: [3, 5] }, { shape: [4, 5] }],
    f: (a, b) => ops.matmul(a, b, { transB: true }),
  },
  {
    name: "matmul both",
    inputs: [{ shape: [5, 3] }, { shape: [4, 5] }],
    f: (a, b) => ops.matmul(a, b, { transA: true, transB: true }),
  },
  {
    name: "matmul batched",
    inputs: [{ shape: [2, 3, 3, 5] }, { shape: [2, 3, 4, 5] }],
    f: (a, b) => ops.matmul(a, b, { transB: true }),
  },
  {
    name: "matmul linear",
    inputs: [{ shape: [2, 3, 5] }, { shape: [4, 5] }],
    f: (a, b) => ops.matmul(a, b, { transB: true }),
  },
  {
    name: "attentionScores (3 heads of 4, vec4 layout)",
    inputs: [{ shape: [2, 5, 12] }, { shape: [2, 7, 12] }],
    f: (q, k) => ops.attentionScores(q, k, 3, 0.5),
  },
  {
    name: "attentionScores (2 heads of 3, scalar layout)",
    inputs: [{ shape: [3, 4, 6] }, { shape: [3, 4, 6] }],
    f: (q, k) => ops.attentionScores(q, k, 2, 1 / Math.sqrt(3)),
  },
  {
    name: "attentionContext (3 heads of 4)",
    inputs: [{ shape: [2, 3, 5, 7] }, { shape: [2, 7, 12] }],
    f: (p, v) => ops.attentionContext(p, v, 3),
  },
  {
    name: "attentionContext (2 heads of 3)",
    inputs: [{ shape: [1, 2, 9, 4] }, { shape: [1, 4, 6] }],
    f: (p, v) => ops.attentionContext(p, v, 2),
  },
  {
    name: "attention: scores, masked softmax, context",
    inputs: [{ shape: [2, 5, 8] }, { shape: [2, 5, 8] }, { shape: [2, 5, 8] }],
    f: (q, k, v) => ops.attentionContext(ops.softmax(ops.attentionScores(q, k, 2, 0.5)), v, 2),
  },
  {
    name: "matmul broadcast A",
    inputs: [{ shape: [3, 5] }, { shape: [2, 5, 4] }],
    f: (a, b) => ops.matmul(a, b),
  },
  {
    name: "embedding",
    inputs: [{ shape: [6, 4] }, { shape: [2, 3], ints: [1, 5, 1, 0, 5, 5] }],
    f: ops.embedding,
  },
  { name: "softmax", inputs: [{ shape: [3, 7] }], f: (x) => ops.softmax(x) },
  {
    name: "softmax mask",
    inputs: [{ shape: [2, 3, 4, 4] }, { shape: [2, 1, 1, 4], noGrad: true }],
    f: (x, m) => ops.softmax(x, m),
  },
  {
    // Rows of at least 16 run the WebAssembly pass on the CPU (37 columns: vector tails too).
    name: "softmax mask, 37 columns (CPU: WASM pass)",
    inputs: [{ shape: [2, 2, 3, 37] }, { shape: [2, 1, 1, 37], noGrad: true }],
    f: (x, m) => ops.softmax(x, m),
  },
  {
    name: "logSoftmax mask",
    inputs: [{ shape: [2, 5] }, { shape: [5], noGrad: true }],
    f: (x, m) => ops.logSoftmax(x, m),
  },
  {
    name: "layerNorm",
    inputs: [{ shape: [2, 3, 7] }, { shape: [7], shift: 1 }, { shape: [7] }],
    f: (x, g, b) => ops.layerNorm(x, g, b, 1e-5),
  },
  {
    name: "residualLayerNorm (no dropout)",
    inputs: [{ shape: [2, 3, 7] }, { shape: [2, 3, 7] }, { shape: [7], shift: 1 }, { shape: [7] }],
    f: (x, r, g, b) => ops.residualLayerNorm(x, r, g, b, 1e-5),
  },
  {
    name: "residualLayerNorm (dropout 0.3)",
    inputs: [{ shape: [5, 8] }, { shape: [5, 8] }, { shape: [8], shift: 1 }, { shape: [8] }],
    f: (x, r, g, b) => ops.residualLayerNorm(x, r, g, b, 1e-12, { p: 0.3, seed: 11 }),
  },
  { name: "dropout", inputs: [{ shape: [5, 9] }], f: (x) => ops.dropout(x, 0.3, { seed: 7 }) },
  { name: "dropout vec4", inputs: [{ shape: [4, 9] }], f: (x) => ops.dropout(x, 0.5, { seed: 9 }) },
  {
    name: "linear + bias",
    inputs: [{ shape: [2, 3, 6] }, { shape: [5, 6] }, { shape: [5] }],
    f: (x, w, b) => ops.linear(x, w, b),
  },
  {
    name: "linear + bias + GELU (fused, vec4 columns)",
    inputs: [{ shape: [2, 3, 6] }, { shape: [8, 6] }, { shape: [8] }],
    f: (x, w, b) => ops.linear(x, w, b, { activation: "gelu" }),
  },
  {
    name: "linear + GELU (fused, no bias, odd columns)",
    inputs: [{ shape: [7, 5] }, { shape: [3, 5] }],
    f: (x, w) => ops.linear(x, w, undefined, { activation: "gelu" }),
  },
  {
    name: "crossEntropy",
    inputs: [{ shape: [2, 3, 5] }, { shape: [2, 3], ints: [1, -100, 4, 0, 4, -100] }],
    f: (l, t) => ops.crossEntropy(l, t),
  },
  {
    name: "where",
    inputs: [{ shape: [3, 4], ints: mask01(12) }, { shape: [3, 4] }, { shape: [4] }],
    f: (c, a, b) => ops.where(c, a, b),
  },
  {
    name: "maskedFill",
    inputs: [{ shape: [3, 4] }, { shape: [4], ints: [1, 0, 0, 1] }],
    f: (x, m) => ops.maskedFill(x, m, -7),
  },
];
