/**
 * CPU kernels of fused layer norm (src/ops/layer_norm.ts): `layer_norm` (y, mean, rstd),
 * `layer_norm_grad` (dx) and `layer_norm_grad_params` (dγ, dβ).
 * @module
 */
import type { LayerNormAttrs } from "../../../ops/layer_norm.ts";
import type { CpuKernel } from "./types.ts";

const layerNorm: CpuKernel = ([x, g, b], [y, mean, rstd], attrs) => {
  const { rows, cols, eps } = attrs as unknown as LayerNormAttrs;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[base + c];
    const m = s / cols;
    let v = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[base + c] - m;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / cols + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) y[base + c] = (x[base + c] - m) * rs * g[c] + b[c];
  }
};

// dx = rstd · (dŷ − mean(dŷ) − x̂ · mean(dŷ · x̂)) with dŷ = dy · γ.
const layerNormGrad: CpuKernel = ([dy, x, g, mean, rstd], [dx], attrs) => {
  const { rows, cols } = attrs as unknown as LayerNormAttrs;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const m = mean[r];
    const rs = rstd[r];
    let s1 = 0;
    let s2 = 0;
    for (let c = 0; c < cols; c++) {
      const dh = dy[base + c] * g[c];
      s1 += dh;
      s2 += dh * (x[base + c] - m) * rs;
    }
    s1 /= cols;
    s2 /= cols;
    for (let c = 0; c < cols; c++) {
      const xh = (x[base + c] - m) * rs;
      dx[base + c] = rs * (dy[base + c] * g[c] - s1 - xh * s2);
    }
  }
};

const layerNormGradParams: CpuKernel = ([dy, x, mean, rstd], [dg, db], attrs) => {
  const { rows, cols } = attrs as unknown as LayerNormAttrs;
  dg.fill(0);
  db.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const m = mean[r];
    const rs = rstd[r];
    for (let c = 0; c < cols; c++) {
      dg[c] += dy[base + c] * (x[base + c] - m) * rs;
      db[c] += dy[base + c];
    }
  }
};

/** Layer-norm kernels by name. */
export const layerNormKernels: Record<string, CpuKernel> = {
  layer_norm: layerNorm,
  layer_norm_grad: layerNormGrad,
  layer_norm_grad_params: layerNormGradParams,
};
