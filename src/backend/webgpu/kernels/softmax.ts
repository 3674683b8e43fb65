/**
 * WebGPU kernels of softmax / log-softmax (src/ops/softmax.ts, shaders/softmax.wgsl).
 * @module
 */
import { softmaxWgsl } from "../../../generated/shaders.ts";
import type { SoftmaxAttrs } from "../../../core/kernel_contract.ts";
import type { GpuKernel, GpuKernels } from "../gpu_types.ts";

function params(rows: number, cols: number, a?: SoftmaxAttrs): Uint32Array {
  const u = new Uint32Array(8 + 8 + 8);
  const rank = a?.rowShape.length ?? 0;
  if (rank > 8) throw new Error(`softmax: at most 8 leading dims are supported, got ${rank}`);
  u.set([rows, cols, rank, a?.hasMask ? 1 : 0, a?.maskColStride ?? 0]);
  for (let d = 0; d < rank; d++) {
    u[8 + d] = a!.rowShape[d];
    u[16 + d] = a!.maskStrides[d];
  }
  return u;
}

const code = (log: boolean) => () => softmaxWgsl.replaceAll("{{LOG}}", log ? "true" : "false");

const softmax: GpuKernel<"softmax"> = (ctx, [x, mask], [y], attrs) => {
  const a = attrs;
  ctx.dispatch({
    key: `softmax:${a.log}`,
    entryPoint: "softmax",
    code: code(a.log),
    // Without a mask, bind x again in the mask slot: the shader never reads it then.
    bindings: [params(a.rows, a.cols, a), y, x, mask ?? x],
    workgroups: { threads: a.rows, size: 64 },
  });
};

const softmaxGrad: GpuKernel<"softmax_grad"> = (ctx, [y, dy], [dx], attrs) => {
  const a = attrs;
  ctx.dispatch({
    key: `softmax:${a.log}`,
    entryPoint: "softmax_grad",
    code: code(a.log),
    bindings: [params(a.rows, a.cols), dx, y, dy],
    workgroups: { threads: a.rows, size: 64 },
  });
};

/** Softmax kernels by name. */
export const softmaxKernels: GpuKernels<"softmax" | "softmax_grad"> = {
  softmax,
  softmax_grad: softmaxGrad,
};
