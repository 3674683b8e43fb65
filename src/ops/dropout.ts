/**
 * Inverted dropout with a counter-based mask: element i is kept when `hashUniform(seed, i) ≥ p`, so
 * the backward pass regenerates the same mask from the seed instead of storing it, and the CPU and
 * WebGPU backends drop the same elements.
 *
 * Kernel `dropout`, used for both directions: CPU src/backend/cpu/kernels/dropout.ts (keeps the
 * forward's mask bits for the backward call), WebGPU src/backend/webgpu/kernels/dropout.ts +
 * shaders/dropout.wgsl with shaders/hash.wgsl appended (`hashU32` of src/core/random.ts).
 * @module
 */
import { ShapeError } from "../core/errors.ts";
import { globalRandom } from "../core/random.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernel, withGrad } from "./kernel.ts";
import { type DropoutAttrs, dropoutThreshold } from "../core/kernel_contract.ts";

export { dropoutThreshold };
export type { DropoutAttrs };

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Apply dropout (training) or return the input unchanged (evaluation). Default true. */
  training?: boolean;
  /** Mask seed; default: drawn from the library-wide seeded generator. */
  seed?: number;
}

/**
 * Zeroes each element with probability `p` and scales the rest by `1/(1-p)`.
 * @example
 * ```ts
 * const h = dropout(x, 0.3, { training: true });
 * ```
 */
export function dropout(x: Tensor, p: number, options: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p < 1)) throw new ShapeError("dropout", `p must be in [0, 1), got ${p}`);
  if (options.training === false || p === 0) {
    return withGrad("dropout", [x], x.view(), [], (dy) => [dy.view()]);
  }
  const attrs: DropoutAttrs = { p, seed: options.seed ?? globalRandom.nextU32() };
  const y = runKernel("dropout", [x], x.shape, "f32", attrs);
  return withGrad("dropout", [x], y, [], (dy) => [
    runKernel("dropout", [dy], dy.shape, "f32", attrs),
  ]);
}
