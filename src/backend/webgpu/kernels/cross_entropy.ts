/**
 * WebGPU kernels of fused cross-entropy (src/ops/cross_entropy.ts, shaders/cross_entropy.wgsl).
 * @module
 */
import { crossEntropyWgsl } from "../../../generated/shaders.ts";
import type { CrossEntropyAttrs } from "../../../core/kernel_contract.ts";
import { type GpuKernel, type GpuKernels, uniforms } from "../gpu_types.ts";

const u = (a: CrossEntropyAttrs) => uniforms([a.rows, a.cols, { i32: a.ignoreIndex }, 0]);

const crossEntropy: GpuKernel<"cross_entropy"> = (ctx, [logits, targets], [loss], attrs) => {
  const a = attrs;
  ctx.dispatch({
    key: "cross_entropy",
    entryPoint: "cross_entropy",
    code: () => crossEntropyWgsl,
    bindings: [u(a), loss, logits, targets],
    workgroups: { threads: a.rows, size: 64 },
  });
};

const crossEntropyGrad: GpuKernel<"cross_entropy_grad"> = (
  ctx,
  [logits, targets, scale],
  [dx],
  attrs,
) => {
  const a = attrs;
  ctx.dispatch({
    key: "cross_entropy",
    entryPoint: "cross_entropy_grad",
    code: () => crossEntropyWgsl,
    bindings: [u(a), dx, logits, targets, scale],
    workgroups: { threads: a.rows, size: 64 },
  });
};

/** Cross-entropy kernels by name. */
export const crossEntropyKernels: GpuKernels<"cross_entropy" | "cross_entropy_grad"> = {
  cross_entropy: crossEntropy,
  cross_entropy_grad: crossEntropyGrad,
};
