/**
 * WebGPU kernel `adamw` (src/nn/optim/adamw.ts, shaders/adamw.wgsl).
 * @module
 */
import adamwWgsl from "../../../../shaders/adamw.wgsl" with { type: "text" };
import { forEachChunk, type GpuKernel, uniforms } from "../gpu_types.ts";

const adamw: GpuKernel = (ctx, [grad, hyper], [param, m, v]) => {
  const n = param.bytes / 4;
  forEachChunk(ctx, n, (_first, count, range) =>
    ctx.dispatch({
      key: "adamw",
      code: () => adamwWgsl,
      bindings: [uniforms([count]), range(param), range(m), range(v), range(grad), hyper],
      workgroups: { threads: count, size: 256 },
    }));
};

/** Optimizer kernels by name. */
export const adamwKernels: Record<string, GpuKernel> = { adamw };
