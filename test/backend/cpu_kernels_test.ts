/**
 * The CPU kernels' fast paths against their plain definitions: float32 GELU and its gradient vs
 * the exact-erf expressions, the int32 dropout hash vs `hashU32`, `expF32` vs `Math.exp`, the
 * broadcasting `map` rows vs the generic expression, and strided copy/scatter vs index arithmetic.
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { cpuKernels } from "../../src/backend/cpu/kernels/mod.ts";
import { expExact, expF32, expNonPositive } from "../../src/backend/cpu/kernels/fast_math.ts";
import { geluGradRowF32, geluRowF32 } from "../../src/backend/cpu/kernels/gelu_f32.ts";
import { hashU32 } from "../../src/core/random.ts";
import { GELU, GELU_GRAD } from "../../src/ops/gelu.ts";
import type { MapExpr } from "../../src/ops/map.ts";

const cpu = new CpuBackend();
const run = (
  name: string,
  ins: Float32Array[],
  outs: Float32Array[],
  attrs: Record<string, unknown>,
) => cpuKernels[name](ins, outs, attrs, cpu);

Deno.test("float32 GELU and its gradient agree with the exact-erf expressions to 3e-9 (|x| ≤ 12)", () => {
  const n = 48001;
  const x = Float64Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
  const dy = new Float64Array(n).fill(1);
  const y = new Float64Array(n);
  const g = new Float64Array(n);
  geluRowF32(x, 0, 1, y, 0, n);
  geluGradRowF32(x, 0, 1, dy, 0, 1, g, 0, n);
  let ey = 0;
  let eg = 0;
  for (let i = 0; i < n; i++) {
    ey = Math.max(ey, Math.abs(y[i] - GELU.js(x[i], 0, 0, [])));
    eg = Math.max(eg, Math.abs(g[i] - GELU_GRAD.js(x[i], 1, 0, [])));
  }
  assert.ok(ey < 3e-9, `gelu max abs error ${ey}`);
  assert.ok(eg < 3e-9, `gelu grad max abs error ${eg}`);
  // Left tail: relative accuracy where 1 + erf would cancel (reference: Mills-ratio bound).
  const a = -9;
  const out = new Float64Array(1);
  geluRowF32(Float64Array.of(a), 0, 1, out, 0, 1);
  const phi = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
  const cdf = out[0] / a; // Φ(−9) ≈ 1.13e-19
  assert.ok(cdf > phi / (-a) * (1 - 1 / (a * a)) && cdf < phi / (-a), `Φ(-9) = ${cdf}`);
});

Deno.test("expF32 / expNonPositive are within 1e-9 / 1e-10 of Math.exp; expExact is Math.exp with a fast 0", () => {
  let worst = 0;
  for (let x = -745; x < 709; x += 0.0731) {
    worst = Math.max(worst, Math.abs(expF32(x) - Math.exp(x)) / Math.exp(x));
  }
  assert.ok(worst < 1e-9, `worst relative error ${worst}`);
  let worstNeg = 0;
  for (let x = -700; x <= 0; x += 0.00917) {
    worstNeg = Math.max(worstNeg, Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x));
  }
  assert.ok(worstNeg < 1e-10, `expNonPositive worst relative error ${worstNeg}`);
  assert.equal(expNonPositive(0), 1);
  assert.equal(expF32(-3.4e38), 0);
  assert.equal(expExact(-3.4e38), 0);
  assert.equal(expExact(-745), Math.exp(-745));
  assert.equal(expExact(1.5), Math.exp(1.5));
});

Deno.test("dropout keeps exactly the elements hashU32 keeps, scaled by 1/(1-p)", () => {
  for (const [p, seed] of [[0.1, 1234], [0.3, 0xdeadbeef], [0.5, 0xffffffff], [0.9, 2 ** 31]]) {
    const n = 5000;
    const x = Float32Array.from({ length: n }, (_, i) => i + 1);
    const y = new Float32Array(n);
    run("dropout", [x], [y], { p, seed });
    const thr = Math.min(Math.floor(p * 4294967296), 4294967295);
    for (let i = 0; i < n; i++) {
      const keep = hashU32((seed ^ hashU32(i)) >>> 0) >= thr;
      assert.equal(
        y[i],
        keep ? Math.fround(x[i] * (1 / (1 - p))) : 0,
        `p=${p} seed=${seed} i=${i}`,
      );
    }
  }
});

Deno.test("map's specialised rows match the generic expression under broadcasting", () => {
  // [2, 3, 4] op [3, 1] (strides [0, 1, 0] after broadcasting) and the reverse operand order.
  const a = Float32Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);
  const b = Float32Array.from([1.5, -2, 4]);
  const shape = [2, 3, 4];
  for (const key of ["add", "sub", "mul", "div"]) {
    const js = {
      add: (p: number, q: number) => p + q,
      sub: (p: number, q: number) => p - q,
      mul: (p: number, q: number) => p * q,
      div: (p: number, q: number) => p / q,
    }[key]!;
    const expr: MapExpr = { key, wgsl: "", js };
    for (const swap of [false, true]) {
      const out = new Float32Array(24);
      const sa = [12, 4, 1], sb = [0, 1, 0];
      run("map", swap ? [b, a] : [a, b], [out], {
        expr,
        shape,
        strides: swap ? [sb, sa] : [sa, sb],
        inDTypes: ["f32", "f32"],
        outDType: "f32",
        params: [0, 0, 0, 0],
        flat: false,
      });
      for (let i = 0; i < 24; i++) {
        const bv = b[Math.floor(i / 4) % 3];
        assert.equal(
          out[i],
          Math.fround(swap ? js(bv, a[i]) : js(a[i], bv)),
          `${key} swap=${swap} i=${i}`,
        );
      }
    }
  }
});

Deno.test("strided copy and scatter follow shape, strides and offset", () => {
  const x = Float32Array.from({ length: 60 }, (_, i) => i);
  // A [3, 2, 4] view with a transposed inner stride: element (i, j, k) at 1 + 20i + j + 5k.
  const attrs = { shape: [3, 2, 4], strides: [20, 1, 5], offset: 1 };
  const out = new Float32Array(24);
  run("strided_copy", [x], [out], attrs);
  const back = new Float32Array(60);
  run("strided_scatter", [out], [back], attrs);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      for (let k = 0; k < 4; k++) {
        const off = 1 + 20 * i + j + 5 * k;
        assert.equal(out[i * 8 + j * 4 + k], x[off]);
        assert.equal(back[off], x[off]);
      }
    }
  }
});

Deno.test("dropout's second call with the same seed (the backward) reuses the mask exactly", () => {
  const n = 1000;
  const x = Float32Array.from({ length: n }, (_, i) => i - 500);
  const first = new Float32Array(n);
  const second = new Float32Array(n);
  const third = new Float32Array(n);
  run("dropout", [x], [first], { p: 0.25, seed: 99 });
  run("dropout", [x], [second], { p: 0.25, seed: 99 }); // from the cached bit set
  run("dropout", [x], [third], { p: 0.25, seed: 99 }); // recomputed
  assert.deepEqual(second, first);
  assert.deepEqual(third, first);
  const other = new Float32Array(n);
  run("dropout", [x], [other], { p: 0.5, seed: 99 }); // another p: another mask
  assert.notDeepEqual(other, first);
});

Deno.test("adamw: elements with zero gradient and moments only decay, others follow AdamW", () => {
  const n = 6;
  const grad = Float32Array.from([0, 0.5, 0, -1, 0, 2]);
  const param = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const m = Float32Array.from([0, 0, 0.1, 0, 0, 0]);
  const v = Float32Array.from([0, 0, 0.01, 0, 0, 0]);
  // The kernel reads the hyper-parameters as stored (float32): compute the reference from those.
  const hyper = Float32Array.from([1e-2, 0.9, 0.999, 1e-8, 0.1, 0.1, 0.001, 1]);
  const [lr, b1, b2, eps, wd, bc1, bc2, scale] = hyper;
  const want = Array.from({ length: n }, (_, i) => {
    const g = grad[i] * scale;
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    const p = param[i] * (1 - lr * wd) - (lr / bc1) * mi / (Math.sqrt(vi) / Math.sqrt(bc2) + eps);
    return { p: Math.fround(p), m: Math.fround(mi), v: Math.fround(vi) };
  });
  run("adamw", [grad, hyper], [param, m, v], {});
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(param[i] - want[i].p) <= 1e-6 * Math.abs(want[i].p), `p[${i}]`);
    assert.ok(Math.abs(m[i] - want[i].m) <= 1e-6 * Math.abs(want[i].m) + 1e-12, `m[${i}]`);
    assert.ok(Math.abs(v[i] - want[i].v) <= 1e-6 * Math.abs(want[i].v) + 1e-12, `v[${i}]`);
  }
  assert.equal(m[0], 0);
  assert.equal(v[0], 0);
  assert.equal(m[4], 0);
});
