/**
 * WebGPU kernel `dropout` (src/ops/dropout.ts, shaders/dropout.wgsl).
 * @module
 */
import dropoutWgsl from "../../../../shaders/dropout.wgsl" with { type: "text" };
import type { DropoutAttrs } from "../../../ops/dropout.ts";
import { forEachChunk, type GpuKernel, uniforms } from "../gpu_types.ts";

const dropout: GpuKernel = (ctx, [x], [y], attrs) => {
  const { p, seed } = attrs as unknown as DropoutAttrs;
  const n = y.bytes / 4;
  const threshold = Math.min(Math.floor(p * 4294967296), 4294967295);
  forEachChunk(ctx, n, (first, count, range) =>
    ctx.dispatch({
      key: "dropout",
      code: () => dropoutWgsl,
      bindings: [
        uniforms([count, seed, threshold, { f32: 1 / (1 - p) }, first]),
        range(y),
        range(x),
      ],
      workgroups: { threads: count, size: 256 },
    }));
};

/** Dropout kernels by name. */
export const dropoutKernels: Record<string, GpuKernel> = { dropout };
