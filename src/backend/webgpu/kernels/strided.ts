/**
 * WebGPU kernels `strided_copy` and `strided_scatter` (src/ops/shape_ops.ts, shaders/strided.wgsl).
 * @module
 */
import { stridedWgsl } from "../../../generated/shaders.ts";
import type { StridedAttrs } from "../../../core/kernel_contract.ts";
import type { GpuHandle, GpuKernels } from "../gpu_types.ts";
import type { GpuContext } from "../gpu_types.ts";

function strided(
  ctx: GpuContext,
  src: GpuHandle,
  dst: GpuHandle,
  a: StridedAttrs,
  scatter: boolean,
) {
  const rank = a.shape.length;
  if (rank > 8) {
    throw new Error(`strided copy: ${rank} dims after coalescing; at most 8 are supported`);
  }
  const n = a.shape.reduce((x, y) => x * y, 1);
  const u = new Uint32Array(4 + 8 + 8);
  u.set([n, rank, a.offset, 0]);
  for (let d = 0; d < rank; d++) {
    u[4 + d] = a.shape[d];
    u[12 + d] = a.strides[d];
  }
  const ty = src.dtype === "i32" ? "i32" : "f32";
  ctx.dispatch({
    key: `strided:${scatter ? "scatter" : "copy"}:${ty}`,
    code: () =>
      stridedWgsl.replaceAll("{{T}}", ty).replace(
        "{{BODY}}",
        scatter ? "dst[off] = src[i]" : "dst[i] = src[off]",
      ),
    bindings: [u, dst, src],
    workgroups: { threads: n, size: 256 },
  });
}

/** Strided copy kernels by name. */
export const stridedKernels: GpuKernels<"strided_copy" | "strided_scatter"> = {
  strided_copy: (ctx, [x], [out], attrs) => strided(ctx, x, out, attrs, false),
  strided_scatter: (ctx, [x], [out], attrs) => strided(ctx, x, out, attrs, true),
};
