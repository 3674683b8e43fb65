/**
 * WebGPU kernels of fused layer norm (src/ops/layer_norm.ts, shaders/layer_norm.wgsl).
 * @module
 */
import { hashWgsl, layerNormWgsl as layerNormSrc } from "../../../generated/shaders.ts";
import type { LayerNormAttrs, ResidualLayerNormAttrs } from "../../../ops/layer_norm.ts";
import { dropoutThreshold } from "../../../ops/dropout.ts";
import { type GpuKernel, uniforms } from "../gpu_types.ts";

const layerNormWgsl = layerNormSrc + "\n" + hashWgsl;

/** Uniforms; without dropout the threshold is 0 (every element kept) and the scale 1. */
const u = (a: LayerNormAttrs, drop = { threshold: 0, scale: 1, seed: 0 }) =>
  uniforms([a.rows, a.cols, { f32: a.eps }, drop.seed, drop.threshold, { f32: drop.scale }, 0, 0]);

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

const residualLayerNorm: GpuKernel = (ctx, [x, residual, g, b], [y, mean, rstd, sum], attrs) => {
  const a = attrs as unknown as ResidualLayerNormAttrs;
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
export const layerNormKernels: Record<string, GpuKernel> = {
  residual_layer_norm: residualLayerNorm,
  layer_norm: layerNorm,
  layer_norm_grad: layerNormGrad,
  layer_norm_grad_params: layerNormGradParams,
};
