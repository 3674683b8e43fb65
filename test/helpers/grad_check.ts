/**
 * Finite-difference gradient checks on the CPU backend in float64.
 * @module
 */
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { noGrad, tidy } from "../../src/core/engine.ts";
import { Random } from "../../src/core/random.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { mul, sum, tensor } from "../../src/ops/mod.ts";

/** The float64 CPU backend used by gradient checks. */
export const f64 = new CpuBackend({ precision: "f64" });

/** A float64 leaf with N(0,1)·scale + shift values. */
export function leaf(shape: number[], seed: number, scale = 1, shift = 0): Tensor {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = shift + scale * r.normal();
  return tensor(d, shape, { backend: f64, requiresGrad: true });
}

/**
 * Checks d(sum(f(xs)·w))/dx for every input with requiresGrad against central differences.
 * Throws with the worst element when the relative error exceeds `tol`.
 */
export function gradCheck(
  name: string,
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  tol = 1e-6,
  h = 1e-6,
): void {
  const out0 = noGrad(() => f(...inputs));
  const w = leaf(out0.shape.slice(), 1234, 1);
  w.requiresGrad = false;
  out0.dispose();
  for (const x of inputs) x.grad?.dispose(), (x.grad = null);
  const loss = tidy(() => sum(mul(f(...inputs), w)));
  loss.backward();
  loss.dispose();
  const objective = (): number =>
    noGrad(() =>
      tidy(() => {
        const l = sum(mul(f(...inputs), w));
        return (l.handle as Float64Array)[0];
      })
    );
  for (const [idx, x] of inputs.entries()) {
    if (!x.requiresGrad) continue;
    const data = x.handle as Float64Array;
    const g = x.grad ? (x.grad.handle as Float64Array) : new Float64Array(x.size);
    let worst = 0;
    let where = -1;
    let scale = 1e-3;
    for (let i = 0; i < data.length; i++) scale = Math.max(scale, Math.abs(g[i]));
    for (let i = 0; i < data.length; i++) {
      const num = centralDifference(data, i, objective, h);
      const err = Math.abs(num - g[i]) / scale;
      if (err > worst) [worst, where] = [err, i];
    }
    if (worst > tol) {
      const num = centralDifference(data, where, objective, h);
      throw new Error(
        `${name}: input ${idx} element ${where}: analytic ${
          g[where]
        } vs numeric ${num} (rel err ${worst})`,
      );
    }
  }
  for (const x of inputs) x.grad?.dispose(), (x.grad = null);
  w.dispose();
}

/** (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, moving element `i` of `data` and putting it back. */
export function centralDifference(
  data: Float64Array,
  i: number,
  objective: () => number,
  h: number,
): number {
  const v = data[i];
  data[i] = v + h;
  const up = objective();
  data[i] = v - h;
  const down = objective();
  data[i] = v;
  return (up - down) / (2 * h);
}
