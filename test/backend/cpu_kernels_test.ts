/**
 * The CPU kernels' fast paths against their plain definitions: float32 GELU and its gradient vs
 * the exact-erf expressions, the int32 dropout hash and branch-free mask vs `hashU32` (every
 * threshold shape, special values), `expF32` vs `Math.exp`, the broadcasting `map` rows (short
 * and re-based) vs the generic expression, strided copy/scatter vs index arithmetic, and AdamW's
 * zero blocks, reductions, layer norm and cross-entropy vs float64 references.
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { cpuKernels } from "../../src/backend/cpu/kernels/mod.ts";
import { setWasmPasses } from "../../src/backend/cpu/wasm_passes.ts";
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

/** A deterministic float32 pattern in about [−scale, scale]. */
function pattern(n: number, scale = 1, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    return ((s >>> 8) / 16777216 - 0.5) * 2 * scale;
  });
}

Deno.test("dropout: any threshold (even, odd, 0, near 2³²), ragged lengths, and the shader's select on special values", () => {
  // p = 0.5 gives an even threshold (2³¹), 0.1 an odd one; 1e-10 → 0 (keeps all); 2⁻³² → 1;
  // 1 − 2⁻²⁰ → just below 2³² (drops nearly all).
  for (const p of [0.5, 0.1, 1e-10, 2 ** -32, 1 - 2 ** -20, 0.7]) {
    for (const n of [1, 31, 32, 33, 95, 1000]) {
      const seed = (n * 2654435761) >>> 0;
      const x = pattern(n, 3, n);
      const y = new Float32Array(n);
      run("dropout", [x], [y], { p, seed });
      const thr = Math.min(Math.floor(p * 4294967296), 4294967295);
      for (let i = 0; i < n; i++) {
        const keep = hashU32((seed ^ hashU32(i)) >>> 0) >= thr;
        assert.equal(y[i], keep ? Math.fround(x[i] * (1 / (1 - p))) : 0, `p=${p} n=${n} i=${i}`);
      }
    }
  }
  // Dropped elements are +0 whatever x is (NaN, ±∞, −0), kept ones x·scale to the bit, −0 included.
  const n = 4096;
  const special = [NaN, Infinity, -Infinity, -0, -1.5];
  const x = Float32Array.from({ length: n }, (_, i) => special[i % special.length]);
  const y = new Float32Array(n);
  const p = 0.5, seed = 7;
  run("dropout", [x], [y], { p, seed });
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const keep = hashU32((seed ^ hashU32(i)) >>> 0) >= 2147483648;
    if (!keep) dropped++;
    assert.ok(Object.is(y[i], keep ? x[i] * 2 : 0), `i=${i} x=${x[i]} y=${y[i]}`);
  }
  assert.ok(dropped > 1800 && dropped < 2300, `dropped ${dropped}`);
});

Deno.test("adamw: zero blocks, dense blocks, odd lengths and eps = 0 all follow the per-element update", () => {
  for (const eps of [1e-8, 0]) {
    const n = 128 * 5 + 77;
    const grad = pattern(n, 0.01, 3);
    const param = pattern(n, 1, 4);
    const m = pattern(n, 0.001, 5);
    const v = pattern(n, 1e-5, 6).map(Math.abs);
    // Block 1 and the second half of block 3 untouched (all zero); one -0 gradient in block 4.
    for (let i = 128; i < 256; i++) grad[i] = m[i] = v[i] = 0;
    for (let i = 448; i < 512; i++) grad[i] = m[i] = v[i] = 0;
    grad[530] = -0;
    m[530] = v[530] = 0;
    const hyper = Float32Array.from([1e-3, 0.9, 0.999, eps, 0.01, 0.19, 0.002, 0.5]);
    const [lr, b1, b2, e, wd, bc1, bc2, scale] = hyper;
    const want = Array.from({ length: n }, (_, i) => {
      const g = grad[i] * scale;
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      const p = mi === 0 && vi === 0 && e === 0
        ? param[i] * (1 - lr * wd) // 0/0 in the formula: zero elements only decay
        : param[i] * (1 - lr * wd) - (lr / bc1) * mi / (Math.sqrt(vi) / Math.sqrt(bc2) + e);
      return { p: Math.fround(p), m: Math.fround(mi), v: Math.fround(vi) };
    });
    const decayed = Array.from({ length: n }, (_, i) => Math.fround(param[i] * (1 - lr * wd)));
    run("adamw", [grad, hyper], [param, m, v], {});
    for (let i = 0; i < n; i++) {
      if ((i >= 128 && i < 256) || (i >= 448 && i < 512)) {
        assert.equal(param[i], decayed[i], `eps=${eps} zero block p[${i}]`);
        assert.ok(m[i] === 0 && v[i] === 0, `eps=${eps} zero block moments [${i}]`);
        continue;
      }
      const tol = (a: number) => 2e-7 * Math.abs(a) + 1e-12;
      assert.ok(Math.abs(param[i] - want[i].p) <= tol(want[i].p), `eps=${eps} p[${i}]`);
      assert.ok(Math.abs(m[i] - want[i].m) <= tol(want[i].m), `eps=${eps} m[${i}]`);
      assert.ok(Math.abs(v[i] - want[i].v) <= tol(want[i].v), `eps=${eps} v[${i}]`);
    }
  }
});

Deno.test("map: long broadcast rows (re-based loops) match the generic expression for every stride pattern", () => {
  const js: Record<string, (p: number, q: number) => number> = {
    add: (p, q) => p + q,
    sub: (p, q) => p - q,
    mul: (p, q) => p * q,
    div: (p, q) => p / q,
    gelu_grad: (p, q) => GELU_GRAD.js(p, q, 0, []),
  };
  // [3, 40] with a [3, 40] operand offset per row, a [40] row (stride 0 over rows), a [3, 1]
  // column (stride 0 inside rows) and a transposed [40, 3] operand (stride 3 inside rows).
  const rows = 3, w = 40;
  const a = pattern(rows * w, 2, 11);
  const others: [string, Float32Array, number[]][] = [
    ["full", pattern(rows * w, 2, 12), [w, 1]],
    ["row", pattern(w, 2, 13), [0, 1]],
    ["column", pattern(rows, 2, 14), [1, 0]],
    ["transposed", pattern(rows * w, 2, 15), [1, rows]],
  ];
  for (const key of Object.keys(js)) {
    for (const [name, b, sb] of others) {
      for (const swap of [false, true]) {
        const out = new Float32Array(rows * w);
        const sa = [w, 1];
        const expr: MapExpr = key === "gelu_grad" ? GELU_GRAD : { key, wgsl: "", js: js[key] };
        run("map", swap ? [b, a] : [a, b], [out], {
          expr,
          shape: [rows, w],
          strides: swap ? [sb, sa] : [sa, sb],
          inDTypes: ["f32", "f32"],
          outDType: "f32",
          params: [0, 0, 0, 0],
          flat: false,
        });
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < w; c++) {
            const av = a[r * w + c];
            const bv = b[r * sb[0] + c * sb[1]];
            const want = swap ? js[key](bv, av) : js[key](av, bv);
            const got = out[r * w + c];
            if (key === "gelu_grad") {
              assert.ok(Math.abs(got - want) < 1e-6, `${key} ${name} ${r},${c}`);
            } else assert.equal(got, Math.fround(want), `${key} ${name} swap=${swap} ${r},${c}`);
          }
        }
      }
    }
  }
  // Unary rows with an offset and a scalar parameter, and GELU on a strided view.
  const x = pattern(2 * 50, 5, 16);
  for (
    const [key, f] of [["mul_scalar", (t: number) => t * 0.37], [
      "add_scalar",
      (t: number) => t + 0.37,
    ], [
      "gelu",
      (t: number) => GELU.js(t, 0, 0, []),
    ]] as const
  ) {
    const expr: MapExpr = key === "gelu" ? GELU : { key, wgsl: "", js: (t) => t };
    for (const strides of [[50, 1], [1, 2]]) {
      const out = new Float32Array(100);
      run("map", [x], [out], {
        expr,
        shape: strides[0] === 50 ? [2, 50] : [2, 50],
        strides: [strides],
        inDTypes: ["f32"],
        outDType: "f32",
        params: [0.37, 0, 0, 0],
        flat: false,
      });
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < 50; c++) {
          const want = f(x[r * strides[0] + c * strides[1]]);
          const got = out[r * 50 + c];
          assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${key} ${r},${c}`);
        }
      }
    }
  }
});

Deno.test("reduce: sum, sum of squares and max over [outer, r, inner] match float64 references", () => {
  for (const [outer, r, inner] of [[1, 1024, 256], [3, 7, 40], [2, 5, 3], [4, 100, 1], [1, 3, 1]]) {
    const x = pattern(outer * r * inner, 2, outer + r + inner);
    for (const op of ["sum", "sumsq", "max"] as const) {
      const out = new Float32Array(outer * inner + 2);
      run("reduce", [x], [out], { op, outer, r, inner, outOffset: 2 });
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let want = op === "max" ? -Infinity : 0;
          for (let j = 0; j < r; j++) {
            const v = x[(o * r + j) * inner + i];
            want = op === "max" ? Math.max(want, v) : want + (op === "sumsq" ? v * v : v);
          }
          assert.equal(
            out[2 + o * inner + i],
            Math.fround(want),
            `${op} [${outer},${r},${inner}] ${o},${i}`,
          );
        }
      }
    }
  }
});

Deno.test("layer norm and its gradients match float64 two-pass references (offset rows too)", () => {
  const rows = 5, cols = 33, eps = 1e-5;
  const x = pattern(rows * cols, 1, 21);
  // A row far from 0 relative to its spread: the one-pass variance must not cancel.
  for (let c = 0; c < cols; c++) x[cols + c] = 1000 + x[cols + c] * 1e-2;
  const g = pattern(cols, 1, 22), b = pattern(cols, 1, 23), dy = pattern(rows * cols, 1, 24);
  const y = new Float32Array(rows * cols),
    mean = new Float32Array(rows),
    rstd = new Float32Array(rows);
  run("layer_norm", [x, g, b], [y, mean, rstd], { rows, cols, eps });
  const dx = new Float32Array(rows * cols);
  run("layer_norm_grad", [dy, x, g, mean, rstd], [dx], { rows, cols, eps });
  const dg = new Float32Array(cols), db = new Float32Array(cols);
  run("layer_norm_grad_params", [dy, x, mean, rstd], [dg, db], { rows, cols, eps });
  const wantDg = new Float64Array(cols), wantDb = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const m = row.reduce((s, v) => s + v, 0) / cols;
    const variance = row.reduce((s, v) => s + (v - m) ** 2, 0) / cols;
    const rs = 1 / Math.sqrt(variance + eps);
    assert.ok(Math.abs(mean[r] - m) <= 1e-7 * Math.max(1, Math.abs(m)), `mean ${r}`);
    assert.ok(Math.abs(rstd[r] - rs) <= 1e-5 * rs, `rstd ${r}: ${rstd[r]} vs ${rs}`);
    let s1 = 0, s2 = 0;
    for (let c = 0; c < cols; c++) {
      // y from the float64 statistics (as the kernel uses them); the gradients from the stored
      // float32 ones (as the kernels receive them).
      const want = (row[c] - m) * rs * g[c] + b[c];
      assert.ok(
        Math.abs(y[r * cols + c] - want) < 2e-6,
        `y ${r},${c}: ${y[r * cols + c]} vs ${want}`,
      );
      const xh = (row[c] - mean[r]) * rstd[r];
      const dh = dy[r * cols + c] * g[c];
      s1 += dh;
      s2 += dh * xh;
      wantDg[c] += dy[r * cols + c] * xh;
      wantDb[c] += dy[r * cols + c];
    }
    for (let c = 0; c < cols; c++) {
      const xh = (row[c] - mean[r]) * rstd[r];
      const want = rstd[r] * (dy[r * cols + c] * g[c] - s1 / cols - xh * s2 / cols);
      assert.ok(
        Math.abs(dx[r * cols + c] - want) <= 1e-5 * Math.max(1, Math.abs(want)),
        `dx ${r},${c}`,
      );
    }
  }
  for (let c = 0; c < cols; c++) {
    assert.ok(Math.abs(dg[c] - wantDg[c]) < 1e-5, `dg ${c}`);
    assert.ok(Math.abs(db[c] - wantDb[c]) < 1e-6, `db ${c}`);
  }
});

Deno.test("cross-entropy loss and gradient (float32 path) match float64 references, ignored rows 0", () => {
  const rows = 6, cols = 42;
  const logits = pattern(rows * cols, 8, 31);
  logits[2 * cols + 5] = -Infinity; // a masked logit contributes nothing
  const targets = Int32Array.from([3, -100, 5 + 1, 41, 0, 17]);
  const loss = new Float32Array(rows), dx = new Float32Array(rows * cols);
  const scale = Float32Array.of(0.25);
  const attrs = { rows, cols, ignoreIndex: -100 };
  cpuKernels.cross_entropy([logits, targets], [loss], attrs, cpu);
  cpuKernels.cross_entropy_grad([logits, targets, scale], [dx], attrs, cpu);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(logits.subarray(r * cols, (r + 1) * cols));
    const mx = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - mx), 0);
    const t = targets[r];
    if (t === -100) {
      assert.equal(loss[r], 0);
      for (let c = 0; c < cols; c++) assert.equal(dx[r * cols + c], 0);
      continue;
    }
    const want = mx + Math.log(sum) - row[t];
    assert.ok(Math.abs(loss[r] - want) <= 1e-6 * Math.max(1, want), `loss ${r}`);
    for (let c = 0; c < cols; c++) {
      const g = (Math.exp(row[c] - mx) / sum - (c === t ? 1 : 0)) * 0.25;
      assert.ok(Math.abs(dx[r * cols + c] - g) < 1e-8, `dx ${r},${c}`);
    }
  }
});

Deno.test("softmax: the WASM pass is within 2e-6 relative (1e-7 absolute) of the TypeScript loop, split rows alike", () => {
  const cases = [
    { batch: 3, heads: 2, seq: 128, masked: true }, // the attention's shape
    { batch: 2, heads: 3, seq: 37, masked: true }, // columns not a multiple of 4 or 8
    { batch: 1, heads: 5, seq: 20, masked: false },
  ];
  for (const { batch, heads, seq, masked } of cases) {
    const rows = batch * heads * seq, cols = seq;
    const x = pattern(rows * cols, 6, 17);
    const mask = new Float32Array(batch * seq);
    for (let b = 0; b < batch; b++) mask.fill(-3.4e38, b * seq + seq - 3 - b, (b + 1) * seq);
    const attrs = {
      rows,
      cols,
      log: false,
      rowShape: [batch, heads, seq],
      maskStrides: [seq, 0, 0],
      maskColStride: 1,
      hasMask: masked,
    };
    const run = (wasm: boolean, r0 = 0, r1 = rows) => {
      setWasmPasses(wasm);
      const y = new Float32Array((r1 - r0) * cols);
      const xs = x.subarray(r0 * cols, r1 * cols);
      cpuKernels.softmax([xs, mask], [y], { ...attrs, rows: r1 - r0, rowOffset: r0 }, cpu);
      setWasmPasses(true);
      return y;
    };
    const want = run(false), got = run(true);
    for (let i = 0; i < want.length; i++) {
      const err = Math.abs(got[i] - want[i]);
      assert.ok(
        err <= 1e-7 && err <= 2e-6 * want[i] + 1e-30,
        `${seq} cols, ${i}: ${got[i]} vs ${want[i]}`,
      );
    }
    const half = Math.floor(rows / 2);
    const parts = new Float32Array([...run(true, 0, half), ...run(true, half, rows)]);
    assert.deepEqual(parts, got, "rows split in two give the same bits");
  }
});
