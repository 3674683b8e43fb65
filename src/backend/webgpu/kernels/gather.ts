/**
 * WebGPU kernels of embedding lookup (src/ops/gather.ts, shaders/gather.wgsl).
 * @module
 */
import { gatherWgsl } from "../../../generated/shaders.ts";
import { type GpuKernel, type GpuKernels, uniforms } from "../gpu_types.ts";

const gatherRows: GpuKernel<"gather_rows"> = (ctx, [table, ids], [out], attrs) => {
  const { rows, width, vocab } = attrs;
  ctx.dispatch({
    key: "gather",
    entryPoint: "gather_rows",
    code: () => gatherWgsl,
    bindings: [uniforms([rows, width, vocab, 0]), out, table, ids],
    workgroups: { threads: rows * width, size: 256 },
  });
};

const segmentSumRows: GpuKernel<"segment_sum_rows"> = (
  ctx,
  [dy, order, starts, uniq],
  [out],
  attrs,
) => {
  const { segments, width } = attrs;
  ctx.dispatch({
    key: "gather",
    entryPoint: "segment_sum_rows",
    code: () => gatherWgsl,
    bindings: [uniforms([segments, width, 0, 0]), out, dy, order, starts, uniq],
    workgroups: { threads: segments * width, size: 256 },
  });
};

/** Gather kernels by name. */
export const gatherKernels: GpuKernels<"gather_rows" | "segment_sum_rows"> = {
  gather_rows: gatherRows,
  segment_sum_rows: segmentSumRows,
};
