/**
 * Cross-entropy over logits with `ignore_index`, averaged over the targets that are not ignored
 * (PyTorch's `F.cross_entropy(..., ignore_index=-100, reduction="mean")`). Fused: one kernel gives
 * each row's loss, one gives the logits' gradient `(softmax − onehot)·scale` directly.
 *
 * Kernels `cross_entropy` and `cross_entropy_grad`: CPU src/backend/cpu/kernels/cross_entropy.ts,
 * WebGPU src/backend/webgpu/kernels/cross_entropy.ts + shaders/cross_entropy.wgsl. The mean over
 * the rows is the `reduce` kernel (`sum`) and a `map`.
 * @module
 */
import { fmtShape, ShapeError } from "../core/errors.ts";
import { sameShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, runKernel, withGrad } from "./kernel.ts";
import { map, type MapExpr } from "./map.ts";
import { sum } from "./reduce.ts";
import { notEqualScalar } from "./where.ts";
import type { CrossEntropyAttrs } from "../core/kernel_contract.ts";

export type { CrossEntropyAttrs };

// A batch whose targets are all ignored has loss 0 (PyTorch gives NaN); training skips it cleanly.
const SAFE_DIV: MapExpr = {
  key: "safe_div",
  wgsl: "a / max(b, 1.0)",
  js: (a, b) => a / Math.max(b, 1),
};

/**
 * Mean cross-entropy of `logits` ([..., C]) against integer `targets` ([...]); targets equal to
 * `ignoreIndex` (default -100) contribute nothing. Returns a scalar.
 * @example
 * ```ts
 * const loss = crossEntropy(logits, labels); // [B, T, C] and [B, T] with -100 on padding
 * ```
 */
export function crossEntropy(logits: Tensor, targets: Tensor, ignoreIndex = -100): Tensor {
  const op = "crossEntropy";
  expectDType(op, targets, "i32", "targets");
  expectDType(op, logits, "f32", "logits");
  if (logits.rank < 1 || !sameShape(logits.shape.slice(0, -1), targets.shape)) {
    throw new ShapeError(
      op,
      `logits ${fmtShape(logits.shape)} and targets ${
        fmtShape(targets.shape)
      }: targets must be logits' shape without the last dim`,
    );
  }
  const cols = logits.shape[logits.rank - 1];
  const rows = targets.size;
  if (targets.hostData) {
    const bad = targets.hostData.findIndex((t) => t !== ignoreIndex && (t < 0 || t >= cols));
    if (bad >= 0) {
      throw new ShapeError(
        op,
        `target ${targets.hostData[bad]} at flat position ${bad} is outside [0, ${cols}) (logits ${
          fmtShape(logits.shape)
        }, targets ${fmtShape(targets.shape)})`,
      );
    }
  }
  const attrs: CrossEntropyAttrs = { rows, cols, ignoreIndex };
  const rowLoss = runKernel("cross_entropy", [logits, targets], [rows], "f32", attrs);
  const valid = notEqualScalar(targets, ignoreIndex);
  const count = sum(valid);
  const total = sum(rowLoss);
  const loss = map(op, SAFE_DIV, [total, count]);
  rowLoss.dispose();
  valid.dispose();
  total.dispose();
  const out = withGrad(op, [logits, targets], loss, [logits, targets, count], (dy, [lg, tg, n]) => {
    const scale = map(op, SAFE_DIV, [dy, n]);
    return [
      runKernel("cross_entropy_grad", [lg, tg, scale], lg.shape, "f32", attrs),
      null,
    ];
  });
  count.dispose();
  return out;
}
