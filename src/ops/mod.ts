/**
 * Every op of the tensor library. Each file holds one op family: its forward (a kernel call) and
 * its gradient rule, side by side, and its module header names its kernels, their CPU and WebGPU
 * files, shaders and any special CPU path. Mostly these share the op file's base name
 * (src/backend/cpu/kernels/<file>, src/backend/webgpu/kernels/<file>, shaders/<file>.wgsl); the
 * exceptions are listed in the README's Layout section.
 * @module
 */
import "./backward.ts";
export { backward } from "./backward.ts";
export { add, div, mul, sub } from "./binary.ts";
export {
  arange,
  type CreateOptions,
  full,
  ones,
  onesLike,
  randn,
  scalar,
  tensor,
  uniform,
  zeros,
  zerosLike,
} from "./creation.ts";
export { crossEntropy } from "./cross_entropy.ts";
export { dropout, type DropoutOptions } from "./dropout.ts";
export { embedding } from "./gather.ts";
export { gelu } from "./gelu.ts";
export { layerNorm, residualLayerNorm, type ResidualLayerNormOptions } from "./layer_norm.ts";
export { linear, type LinearOpOptions } from "./linear.ts";
export { map, type MapExpr, type WgslFunction } from "./map.ts";
export { matmul, type MatmulOptions } from "./matmul.ts";
export { attentionContext, attentionScores } from "./head_matmul.ts";
export { max, mean, sum, sumToShape } from "./reduce.ts";
export {
  broadcastTo,
  concat,
  permute,
  reshape,
  slice,
  squeeze,
  transpose,
  unsqueeze,
} from "./shape_ops.ts";
export { logSoftmax, softmax } from "./softmax.ts";
export {
  abs,
  addScalar,
  exp,
  log,
  mulScalar,
  neg,
  pow,
  relu,
  rsqrt,
  sigmoid,
  sqrt,
  tanh,
} from "./unary.ts";
export { cast, greater, maskedFill, notEqualScalar, where } from "./where.ts";
