/**
 * WebGPU kernels of fused layer norm (src/ops/layer_norm.ts, shaders/layer_norm.wgsl).
 * @module
 */
import { hashWgsl, layerNormWgsl as layerNormSrc } from "../../../generated/shaders.ts";
import type { LayerNormAttrs } from "../../../core/kernel_contract.ts";
import { dropoutThreshold } from "../../../core/kernel_contract.ts";
import { type GpuKernel, type GpuKernels, uniforms } from "../gpu_types.ts";

const layerNormWgsl = layerNormSrc + "\n" + hashWgsl;

/** Uniforms; without dropout the threshold is 0 (every element kept) and the scale 1. */
const u = (a: LayerNormAttrs, drop = { threshold: 0, scale: 1, seed: 0 }) =>
  uniforms([a.rows, a.cols, { f32: a.eps }, drop.seed, drop.threshold, { f32: drop.scale }, 0, 0]);

const layerNorm: GpuKernel<"layer_norm"> = (ctx, [x, g, b], [y, mean, rstd], attrs) => {
  const a = attrs;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "layer_norm",
    code: () => layerNormWgsl,
    bindings: [u(a), y, mean, rstd, x, g, b],
    workgroups: { threads: a.rows, size: 64 },
  });
};

const layerNormGrad: GpuKernel<"layer_norm_grad"> = (ctx, [dy, x, g, mean, rstd], [dx], attrs) => {
  const a = attrs;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "layer_norm_grad",
    code: () => layerNormWgsl,
    bindings: [u(a), dx, null, null, dy, x, g, mean, rstd],
    workgroups: { threads: a.rows, size: 64 },
  });
};

const layerNormGradParams: GpuKernel<"layer_norm_grad_params"> = (
  ctx,
  [dy, x, mean, rstd],
  [dg, db],
  attrs,
) => {
  const a = attrs;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "layer_norm_grad_params",
    code: () => layerNormWgsl,
    bindings: [u(a), dg, db, null, dy, x, mean, rstd],
    workgroups: { threads: a.cols, size: 64 },
  });
};

const residualLayerNorm: GpuKernel<"residual_layer_norm"> = (
  ctx,
  [x, residual, g, b],
  [y, mean, rstd, sum],
  attrs,
) => {
  const a = attrs;
  const drop = a.p > 0
    ? {
      threshold: dropoutThreshold(a.p),
      scale: 1 / (1 - a.p),
      seed: a.seed,
    }
    : undefined;
  ctx.dispatch({
    key: "layer_norm",
    entryPoint: "residual_layer_norm",
    code: () => layerNormWgsl,
    bindings: [u(a, drop), y, mean, rstd, x, g, b, residual, null, sum],
    workgroups: { threads: a.rows, size: 64 },
  });
};

/** Layer-norm kernels by name. */
export const layerNormKernels: GpuKernels<
  "residual_layer_norm" | "layer_norm" | "layer_norm_grad" | "layer_norm_grad_params"
> = {
  residual_layer_norm: residualLayerNorm,
  layer_norm: layerNorm,
  layer_norm_grad: layerNormGrad,
  layer_norm_grad_params: layerNormGradParams,
};
