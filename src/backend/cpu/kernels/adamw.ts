/**
 * CPU kernel `adamw` (src/nn/optim/adamw.ts); the same arithmetic as shaders/adamw.wgsl, one pass
 * over the parameter with the per-step constants hoisted out of the loop (1/√bc2 multiplied, not
 * divided, and one division per two elements: the divider is the bottleneck of the update).
 *
 * An element whose gradient and both moments are zero (an embedding row no batch has used yet)
 * only decays: with m = v = 0 the update is exactly p·(1 − lr·wd) and the moments stay 0. The
 * float32 kernel checks this per block of 128 elements on the bit patterns (an OR of the three
 * int32 views is zero only when all are +0) and then runs a loop that only scales the parameter;
 * other blocks take the full update without a per-element test. For eps > 0 both paths give the
 * same bits on zero elements, so where the blocks fall never changes a result (eps ≤ 0 and float64
 * storage take the per-element loop).
 *
 * On tensors of the WebAssembly heap the float32 kernel runs in place in WebAssembly
 * (../wasm_inplace.ts, wasm/inplace.as.ts): the same float64 operations in the same order, so the
 * same bits, about twice as fast.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { type CpuSplits, elementJobs, partsFor, splitPoints } from "../split_parts.ts";
import { inplaceFor } from "../wasm_inplace.ts";

/**
 * Elements per zero test of the float32 kernel (BERT widths are multiples of it, so an unused
 * embedding row is whole blocks); split parts start on one.
 */
export const BLOCK = 128;

/** The update's per-step constants. */
interface Step {
  decay: number;
  step: number;
  invSqrtBc2: number;
  b1: number;
  b2: number;
  c1: number;
  c2: number;
  eps: number;
  scale: number;
}

function constants(h: TypedArray): Step {
  const [lr, b1, b2, eps, wd, bc1, bc2, scale] = h;
  return {
    decay: 1 - lr * wd,
    step: lr / bc1,
    invSqrtBc2: 1 / Math.sqrt(bc2),
    b1,
    b2,
    c1: 1 - b1,
    c2: 1 - b2,
    eps,
    scale,
  };
}

/** The full update of elements from..to−1. */
function update(
  grad: TypedArray,
  param: TypedArray,
  m: TypedArray,
  v: TypedArray,
  from: number,
  to: number,
  k: Step,
): void {
  const { decay, step, invSqrtBc2, b1, b2, c1, c2, eps, scale } = k;
  let i = from;
  // Two elements share one division: step/(d₁·d₂) times d₂ (resp. d₁) is step/d₁ (resp. step/d₂)
  // up to a few float64 roundings, invisible after float32 rounding. The divider is the slowest
  // unit here; this is only safe while d ≥ eps keeps d₁·d₂ a normal positive number.
  if (eps > 1e-100) {
    for (; i + 1 < to; i += 2) {
      const g = grad[i] * scale;
      const h = grad[i + 1] * scale;
      const mi = b1 * m[i] + c1 * g;
      const mj = b1 * m[i + 1] + c1 * h;
      const vi = b2 * v[i] + c2 * g * g;
      const vj = b2 * v[i + 1] + c2 * h * h;
      m[i] = mi;
      m[i + 1] = mj;
      v[i] = vi;
      v[i + 1] = vj;
      const di = Math.sqrt(vi) * invSqrtBc2 + eps;
      const dj = Math.sqrt(vj) * invSqrtBc2 + eps;
      const r = step / (di * dj);
      param[i] = param[i] * decay - mi * dj * r;
      param[i + 1] = param[i + 1] * decay - mj * di * r;
    }
  }
  for (; i < to; i++) {
    const g = grad[i] * scale;
    const mi = b1 * m[i] + c1 * g;
    const vi = b2 * v[i] + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] * decay - step * mi / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}

/** Float32 storage: zero blocks only decay (see the module note). */
function adamwF32(
  grad: Float32Array,
  param: Float32Array,
  m: Float32Array,
  v: Float32Array,
  k: Step,
) {
  const n = param.length;
  // eps > 1e-100: the condition of the shared division, which the WASM loop always takes.
  const wasm = k.eps > 1e-100 ? inplaceFor(grad, param, m, v) : null;
  if (wasm) {
    const { decay, step, invSqrtBc2, b1, b2, c1, c2, eps, scale } = k;
    const [g, p, mo, vo] = [grad.byteOffset, param.byteOffset, m.byteOffset, v.byteOffset];
    wasm.adamw(g, p, mo, vo, n, decay, step, invSqrtBc2, b1, b2, c1, c2, eps, scale);
    return;
  }
  const gi = new Int32Array(grad.buffer, grad.byteOffset, n);
  const mi = new Int32Array(m.buffer, m.byteOffset, n);
  const vi = new Int32Array(v.buffer, v.byteOffset, n);
  const decay = k.decay;
  for (let b = 0; b < n; b += BLOCK) {
    const e = b + BLOCK < n ? b + BLOCK : n;
    // A block with a nonzero first element needs the full update: skip the scan (dense tensors).
    let bits = gi[b] | mi[b] | vi[b];
    for (let i = b + 1; i < e && bits === 0; i++) bits = gi[i] | mi[i] | vi[i];
    if (bits === 0) {
      for (let i = b; i < e; i++) param[i] *= decay;
    } else update(grad, param, m, v, b, e, k);
  }
}

/**
 * Element by element, with the zero test per element: the reference loop, for float64 storage
 * and for eps ≤ 0, where the full update of a zero element would be 0/0 rather than the decay.
 */
function adamwEach(grad: TypedArray, param: TypedArray, m: TypedArray, v: TypedArray, k: Step) {
  const { decay, step, invSqrtBc2, b1, b2, c1, c2, eps, scale } = k;
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
    param[i] = param[i] * decay - step * mi / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}

const adamw: CpuKernel<"adamw"> = ([grad, h], [param, m, v]) => {
  const k = constants(h);
  if (
    k.eps > 0 && param instanceof Float32Array && grad instanceof Float32Array &&
    m instanceof Float32Array &&
    v instanceof Float32Array
  ) {
    adamwF32(grad, param, m, v, k);
  } else adamwEach(grad, param, m, v, k);
};

/** Optimizer kernels by name. */
export const adamwKernels: CpuKernels<"adamw"> = { adamw };

/**
 * `adamw` split by element ranges starting at multiples of its zero-test block; input 1, the
 * 8-number hyper-parameter vector, is read whole.
 */
export const adamwSplits: CpuSplits<"adamw"> = {
  adamw: (inputs, outputs, attrs, threads, minPart = 65536) => {
    const n = outputs[0].length;
    const points = splitPoints(n, partsFor(n, minPart, threads), BLOCK);
    if (points.length < 3) return null;
    return elementJobs("adamw", inputs, outputs, points, () => attrs, new Set([1]));
  },
};
