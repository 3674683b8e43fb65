/**
 * CPU kernel `adamw` (src/nn/optim/adamw.ts); the same arithmetic as shaders/adamw.wgsl.
 * @module
 */
import type { CpuKernel } from "./types.ts";

const adamw: CpuKernel = ([grad, h], [param, m, v]) => {
  const [lr, b1, b2, eps, wd, bc1, bc2, scale] = h;
  const decay = 1 - lr * wd;
  const step = lr / bc1;
  const sbc2 = Math.sqrt(bc2);
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] * scale;
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] * decay - step * mi / (Math.sqrt(vi) / sbc2 + eps);
  }
};

/** Optimizer kernels by name. */
export const adamwKernels: Record<string, CpuKernel> = { adamw };
