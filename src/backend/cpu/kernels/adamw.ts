/**
 * CPU kernel `adamw` (src/nn/optim/adamw.ts); the same arithmetic as shaders/adamw.wgsl, one pass
 * over the parameter with the per-step constants hoisted out of the loop.
 *
 * An element whose gradient and both moments are zero (an embedding row no batch has used yet)
 * only decays: with m = v = 0 the update is exactly p·(1 − lr·wd) and the moments stay 0, so the
 * square root, the division and two stores are skipped there — same bits, less work on big,
 * sparsely used tables.
 * @module
 */
import type { CpuKernel } from "./types.ts";

const adamw: CpuKernel = ([grad, h], [param, m, v]) => {
  const [lr, b1, b2, eps, wd, bc1, bc2, scale] = h;
  const decay = 1 - lr * wd;
  const step = lr / bc1;
  const sbc2 = Math.sqrt(bc2);
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const n = param.length;
  for (let i = 0; i < n; i++) {
    const g = grad[i] * scale;
    const m0 = m[i];
    const v0 = v[i];
    if (g === 0 && m0 === 0 && v0 === 0) {
      param[i] = param[i] * decay;
      continue;
    }
    const mi = b1 * m0 + c1 * g;
    const vi = b2 * v0 + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] * decay - step * mi / (Math.sqrt(vi) / sbc2 + eps);
  }
};

/** Optimizer kernels by name. */
export const adamwKernels: Record<string, CpuKernel> = { adamw };
