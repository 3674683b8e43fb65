/**
 * Gradient clipping by global norm (`torch.nn.utils.clip_grad_norm_`), computed on the device: the
 * result is a one-element scale tensor `min(1, maxNorm / (‖g‖ + 1e-6))` that `AdamW.step` applies
 * inside its kernel, plus the norm itself for logging (read it only when you need it).
 * @module
 */
import { noGrad, tidy } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import { zeros } from "../../ops/creation.ts";
import { map, type MapExpr } from "../../ops/map.ts";
import { sum, sumSquaresInto } from "../../ops/reduce.ts";
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
      const grads = params.flatMap((p) => (p.grad ? [p.grad] : []));
      const backend = params[0].backend;
      // One Σg² per tensor into its own slot, then one sum: no host round trip, few dispatches.
      const squares = zeros([Math.max(grads.length, 1)], { backend });
      grads.forEach((g, i) => sumSquaresInto(g, squares, i));
      const norm = reshape(sqrt(sum(squares)), [1]);
      const scale = map("clip", CLIP_SCALE, [norm], [maxNorm]);
      return { norm, scale };
    })
  );
}
