/**
 * WebGPU kernel `adamw` (src/nn/optim/adamw.ts, shaders/adamw.wgsl).
 * @module
 */
import adamwWgsl from "../../../../shaders/adamw.wgsl" with { type: "text" };
import { elementWidth, forEachChunk, type GpuKernel, uniforms } from "../gpu_types.ts";
import { expandWgslTemplate } from "../wgsl_template.ts";

const code = (w: 1 | 4) =>
  expandWgslTemplate(adamwWgsl, { T: w === 4 ? "vec4<f32>" : "f32" }, {}, "adamw.wgsl");

const adamw: GpuKernel = (ctx, [grad, hyper], [param, m, v]) => {
  const n = param.bytes / 4;
  const w = elementWidth(n);
  forEachChunk(ctx, n, (_first, count, range) =>
    ctx.dispatch({
      key: `adamw:${w}`,
      code: () => code(w),
      bindings: [uniforms([count / w]), range(param), range(m), range(v), range(grad), hyper],
      workgroups: { threads: count / w, size: 256 },
    }));
};

/** Optimizer kernels by name. */
export const adamwKernels: Record<string, GpuKernel> = { adamw };
