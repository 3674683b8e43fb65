/**
 * Softmax and log-softmax over the last axis, with an optional additive mask broadcast onto the
 * scores (attention's padding mask: [B, 1, 1, T] onto [B, h, T, T]) fused into the same pass.
 *
 * Kernels `softmax` and `softmax_grad`: CPU src/backend/cpu/kernels/softmax.ts, WebGPU
 * src/backend/webgpu/kernels/softmax.ts + shaders/softmax.wgsl. On the CPU, the float32 forward
 * (not log, mask columns contiguous, rows of 16 or more) runs the WebAssembly pass of
 * src/backend/cpu/wasm_passes.ts (wasm/passes.as.ts) where it loads.
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import { broadcastShapes, broadcastStrides } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernel, withGrad } from "./kernel.ts";
import type { SoftmaxAttrs, SoftmaxGradAttrs } from "../core/kernel_contract.ts";

export type { SoftmaxAttrs, SoftmaxGradAttrs };

function softmaxImpl(op: string, x: Tensor, mask: Tensor | undefined, log: boolean): Tensor {
  if (x.rank < 1) throw new ShapeError(op, `needs rank ≥ 1, got ${fmtShape(x.shape)}`);
  const cols = x.shape[x.rank - 1];
  const rows = x.size / Math.max(cols, 1);
  const rowShape = x.shape.slice(0, -1);
  let maskStrides: number[] = rowShape.map(() => 0);
  let maskColStride = 0;
  if (mask) {
    const b = broadcastShapes(op, x.shape, mask.shape);
    if (b.length !== x.rank || b.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError(
        op,
        `mask ${fmtShape(mask.shape)} does not broadcast to ${fmtShape(x.shape)}`,
      );
    }
    const s = broadcastStrides(mask.shape, x.shape);
    maskStrides = s.slice(0, -1);
    maskColStride = s[s.length - 1];
  }
  const attrs: SoftmaxAttrs = {
    rows,
    cols,
    log,
    rowShape,
    maskStrides,
    maskColStride,
    hasMask: !!mask,
  };
  const inputs = mask ? [x, mask] : [x];
  const y = runKernel("softmax", inputs, x.shape, "f32", attrs);
  return withGrad(op, inputs, y, [y], (dy, [ys]) => {
    const g: SoftmaxGradAttrs = { rows, cols, log };
    return [runKernel("softmax_grad", [ys, dy], x.shape, "f32", g), null];
  });
}

/**
 * Softmax over the last axis of `x + mask` (mask optional, broadcast; no gradient to the mask).
 * @example
 * ```ts
 * const probs = softmax(scores, extendedMask); // extendedMask: 0 or -10000, [B, 1, 1, T]
 * ```
 */
export function softmax(x: Tensor, mask?: Tensor): Tensor {
  return softmaxImpl("softmax", x, mask, false);
}

/** Log-softmax over the last axis of `x + mask`. */
export function logSoftmax(x: Tensor, mask?: Tensor): Tensor {
  return softmaxImpl("logSoftmax", x, mask, true);
}
