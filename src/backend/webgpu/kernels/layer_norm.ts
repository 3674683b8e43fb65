/**
 * WebGPU kernels of fused layer norm (src/ops/layer_norm.ts, shaders/layer_norm.wgsl).
 * @module
 */
import layerNormWgsl from "../../../../shaders/layer_norm.wgsl" with { type: "text" };
import type { LayerNormAttrs } from "../../../ops/layer_norm.ts";
import { type GpuKernel, uniforms } from "../gpu_types.ts";

const u = (a: LayerNormAttrs) => uniforms([a.rows, a.cols, { f32: a.eps }, 0]);

const layerNorm: GpuKernel = (ctx, [x, g, b], [y, mean, rstd], attrs) => {
  const a = attrs as unknown as LayerNormAttrs;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "layer_norm",
    code: () => layerNormWgsl,
    bindings: [u(a), y, mean, rstd, x, g, b],
    workgroups: { threads: a.rows, size: 64 },
  });
};

const layerNormGrad: GpuKernel = (ctx, [dy, x, g, mean, rstd], [dx], attrs) => {
  const a = attrs as unknown as LayerNormAttrs;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "layer_norm_grad",
    code: () => layerNormWgsl,
    bindings: [u(a), dx, null, null, dy, x, g, mean, rstd],
    workgroups: { threads: a.rows, size: 64 },
  });
};

const layerNormGradParams: GpuKernel = (ctx, [dy, x, mean, rstd], [dg, db], attrs) => {
  const a = attrs as unknown as LayerNormAttrs;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "layer_norm_grad_params",
    code: () => layerNormWgsl,
    bindings: [u(a), dg, db, null, dy, x, mean, rstd],
    workgroups: { threads: a.cols, size: 64 },
  });
};

/** Layer-norm kernels by name. */
export const layerNormKernels: Record<string, GpuKernel> = {
  layer_norm: layerNorm,
  layer_norm_grad: layerNormGrad,
  layer_norm_grad_params: layerNormGradParams,
};
