/**
 * WebGPU kernel `adamw` (src/nn/optim/adamw.ts, shaders/adamw.wgsl).
 * @module
 */
import adamwWgsl from "../../../../shaders/adamw.wgsl" with { type: "text" };
import { type GpuKernel, uniforms } from "../gpu_types.ts";

const adamw: GpuKernel = (ctx, [grad, hyper], [param, m, v]) => {
  const n = param.bytes / 4;
  ctx.dispatch({
    key: "adamw",
    code: () => adamwWgsl,
    bindings: [uniforms([n]), param, m, v, grad, hyper],
    workgroups: { threads: n, size: 256 },
  });
};

/** Optimizer kernels by name. */
export const adamwKernels: Record<string, GpuKernel> = { adamw };
