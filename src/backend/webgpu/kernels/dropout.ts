/**
 * WebGPU kernel `dropout` (src/ops/dropout.ts, shaders/dropout.wgsl).
 * @module
 */
import { dropoutWgsl, hashWgsl } from "../../../generated/shaders.ts";
import { dropoutThreshold } from "../../../core/kernel_contract.ts";
import {
  elementWidth,
  forEachChunk,
  type GpuKernel,
  type GpuKernels,
  uniforms,
} from "../gpu_types.ts";
import { expandWgslTemplate } from "../wgsl_template.ts";

const code = (w: 1 | 4) =>
  expandWgslTemplate(
    dropoutWgsl,
    w === 4
      ? { T: "vec4<f32>", U: "vec4<u32>", W: "4u", LANES: "vec4<u32>(0u, 1u, 2u, 3u)" }
      : { T: "f32", U: "u32", W: "1u", LANES: "0u" },
    {},
    "dropout.wgsl",
  ) + "\n" + hashWgsl;

const dropout: GpuKernel<"dropout"> = (ctx, [x], [y], attrs) => {
  const { p, seed } = attrs;
  const n = y.bytes / 4;
  const threshold = dropoutThreshold(p);
  const w = elementWidth(n);
  forEachChunk(ctx, n, (first, count, range) =>
    ctx.dispatch({
      key: `dropout:${w}`,
      code: () => code(w),
      bindings: [
        uniforms([count / w, seed, threshold, { f32: 1 / (1 - p) }, first]),
        range(y),
        range(x),
      ],
      workgroups: { threads: count / w, size: 256 },
    }));
};

/** Dropout kernels by name. */
export const dropoutKernels: GpuKernels<"dropout"> = { dropout };
