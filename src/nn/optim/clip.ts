/**
 * Gradient clipping by global norm (`torch.nn.utils.clip_grad_norm_`), computed on the device: the
 * result is a one-element scale tensor `min(1, maxNorm / (‖g‖ + 1e-6))` that `AdamW.step` applies
 * inside its kernel, plus the norm itself for logging (read it only when you need it).
 * @module
 */
import { noGrad, tidy } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import { add, mul } from "../../ops/binary.ts";
import { full } from "../../ops/creation.ts";
import { map, type MapExpr } from "../../ops/map.ts";
import { sum } from "../../ops/reduce.ts";
import { reshape } from "../../ops/shape_ops.ts";
import { sqrt } from "../../ops/unary.ts";

const CLIP_SCALE: MapExpr = {
  key: "clip_scale",
  wgsl: "min(1.0, p.x / (a + 1e-6))",
  js: (a, _b, _c, p) => Math.min(1, p[0] / (a + 1e-6)),
};

/** Global L2 norm of the gradients and the clipping scale for `maxNorm`. */
export function clipGradNorm(params: Tensor[], maxNorm: number): { norm: Tensor; scale: Tensor } {
  return noGrad(() =>
    tidy(() => {
      let total: Tensor | null = null;
      for (const p of params) {
        if (!p.grad) continue;
        const s = sum(mul(p.grad, p.grad));
        total = total ? add(total, s) : s;
      }
      const norm = total ? reshape(sqrt(total), [1]) : full([1], 0, { backend: params[0].backend });
      const scale = map("clip", CLIP_SCALE, [norm], [maxNorm]);
      return { norm, scale };
    })
  );
}
