/**
 * WebGPU kernel `reduce` (src/ops/reduce.ts, shaders/reduce.wgsl).
 * @module
 */
import reduceWgsl from "../../../../shaders/reduce.wgsl" with { type: "text" };
import type { ReduceAttrs } from "../../../ops/reduce.ts";
import { type GpuKernel, uniforms } from "../gpu_types.ts";

const SLOTS = {
  sum: {
    INIT: "0.0",
    COMBINE4: "acc + v",
    FOLD: "(acc.x + acc.y) + (acc.z + acc.w)",
    COMBINE1: "total + x[base]",
  },
  max: {
    INIT: "-3.402823e38",
    COMBINE4: "max(acc, v)",
    FOLD: "max(max(acc.x, acc.y), max(acc.z, acc.w))",
    COMBINE1: "max(total, x[base])",
  },
};

const reduce: GpuKernel = (ctx, [x], [out], attrs) => {
  const { op, outer, r, inner } = attrs as unknown as ReduceAttrs;
  const slots = SLOTS[op];
  ctx.dispatch({
    key: `reduce:${op}`,
    code: () =>
      reduceWgsl.replace("{{INIT}}", slots.INIT).replace("{{COMBINE4}}", slots.COMBINE4)
        .replace("{{FOLD}}", slots.FOLD).replace("{{COMBINE1}}", slots.COMBINE1),
    bindings: [uniforms([outer, r, inner, 0]), out, x],
    workgroups: { threads: outer * inner, size: 256 },
  });
};

/** Reduction kernels by name. */
export const reduceKernels: Record<string, GpuKernel> = { reduce };
