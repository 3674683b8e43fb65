/**
 * The CPU backend's in-place passes in AssemblyScript with 128-bit SIMD (compiled by
 * `deno task build:wasm` into inplace.wasm, which is committed; src/backend/cpu/wasm_inplace.ts
 * loads it). Unlike passes.wasm, this module owns no memory: it imports the process-wide shared
 * `WebAssembly.Memory` the CPU backend's arena carves its tensors from
 * (src/backend/cpu/wasm_heap.ts), and every pointer is a tensor's byte offset in it: no copies.
 *
 * Every thread instantiates the module on the same memory, so it has no static data (an active
 * data segment would be rewritten by each instantiation) and no scratch of its own in memory.
 *
 * The arithmetic is float64 in the TypeScript kernels' operation order (f64x2 lanes; WebAssembly
 * never fuses a multiply-add, and sqrt and division are correctly rounded as in JavaScript), so
 * the results are the TypeScript kernels' bits exactly.
 */

import { softmaxRows } from "./softmax_rows.as";
import { ld2, st2 } from "./f32_lanes.as";

/**
 * Whether elements b..e−1 of grad, m and v are all +0 (the OR of their bit patterns is 0): the
 * first element alone (a dense block fails there), then four at a time.
 */
function blockZero(grad: usize, m: usize, v: usize, b: usize, e: usize): bool {
  const o = b << 2;
  if ((load<i32>(grad + o) | load<i32>(m + o) | load<i32>(v + o)) != 0) return false;
  let i = b;
  for (; i + 3 < e; i += 4) {
    const p = i << 2;
    const bits = v128.or(v128.or(v128.load(grad + p), v128.load(m + p)), v128.load(v + p));
    if (v128.any_true(bits)) return false;
  }
  for (; i < e; i++) {
    const p = i << 2;
    if ((load<i32>(grad + p) | load<i32>(m + p) | load<i32>(v + p)) != 0) return false;
  }
  return true;
}

/** Scales param[b..e) by decay (a block whose gradient and moments are all zero). */
function decayOnly(param: usize, b: usize, e: usize, decay: f64): void {
  const vdecay = f64x2.splat(decay);
  let i = b;
  for (; i + 3 < e; i += 4) {
    const p = param + (i << 2), x = v128.load(p);
    const lo = f64x2.mul(f64x2.promote_low_f32x4(x), vdecay);
    const hi = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<i32>(x, x, 2, 3, 0, 1)), vdecay);
    const y = v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
    v128.store(p, y);
  }
  for (; i + 1 < e; i += 2) st2(param + (i << 2), f64x2.mul(ld2(param + (i << 2)), vdecay));
  for (; i < e; i++) {
    const p = param + (i << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) * decay));
  }
}

/**
 * The full update of elements b..e−1, as `update` in kernels/adamw.ts with eps > 1e-100: pairs
 * (b, b+1), (b+2, b+3), … share one division; four elements (two pairs) per f64x2 iteration.
 */
function updateBlock(
  grad: usize, param: usize, m: usize, v: usize, b: usize, e: usize,
  decay: f64, step: f64, isb: f64, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, scale: f64,
): void {
  const vdecay = f64x2.splat(decay), vstep = f64x2.splat(step), visb = f64x2.splat(isb);
  const vb1 = f64x2.splat(b1), vb2 = f64x2.splat(b2), vc1 = f64x2.splat(c1);
  const vc2 = f64x2.splat(c2), veps = f64x2.splat(eps), vscale = f64x2.splat(scale);
  let i = b;
  for (; i + 3 < e; i += 4) {
    const o = i << 2;
    const gA = f64x2.mul(ld2(grad + o), vscale), gB = f64x2.mul(ld2(grad + o + 8), vscale);
    const mA = f64x2.add(f64x2.mul(vb1, ld2(m + o)), f64x2.mul(vc1, gA));
    const mB = f64x2.add(f64x2.mul(vb1, ld2(m + o + 8)), f64x2.mul(vc1, gB));
    const vA = f64x2.add(f64x2.mul(vb2, ld2(v + o)), f64x2.mul(f64x2.mul(vc2, gA), gA));
    const vB = f64x2.add(f64x2.mul(vb2, ld2(v + o + 8)), f64x2.mul(f64x2.mul(vc2, gB), gB));
    st2(m + o, mA);
    st2(m + o + 8, mB);
    st2(v + o, vA);
    st2(v + o + 8, vB);
    const dA = f64x2.add(f64x2.mul(f64x2.sqrt(vA), visb), veps);
    const dB = f64x2.add(f64x2.mul(f64x2.sqrt(vB), visb), veps);
    // [di·dj, dk·dl]: one division for both pairs; each element then takes its partner's d.
    const lo = v128.shuffle<f64>(dA, dB, 0, 2), hi = v128.shuffle<f64>(dA, dB, 1, 3);
    const r = f64x2.div(vstep, f64x2.mul(lo, hi));
    const rA = v128.shuffle<f64>(r, r, 0, 0), rB = v128.shuffle<f64>(r, r, 1, 1);
    const sA = v128.shuffle<f64>(dA, dA, 1, 0), sB = v128.shuffle<f64>(dB, dB, 1, 0);
    const pA = f64x2.mul(ld2(param + o), vdecay), pB = f64x2.mul(ld2(param + o + 8), vdecay);
    st2(param + o, f64x2.sub(pA, f64x2.mul(f64x2.mul(mA, sA), rA)));
    st2(param + o + 8, f64x2.sub(pB, f64x2.mul(f64x2.mul(mB, sB), rB)));
  }
  for (; i + 1 < e; i += 2) {
    const o = i << 2;
    const g = <f64>load<f32>(grad + o) * scale, h = <f64>load<f32>(grad + o + 4) * scale;
    const mi = b1 * <f64>load<f32>(m + o) + c1 * g, mj = b1 * <f64>load<f32>(m + o + 4) + c1 * h;
    const vi = b2 * <f64>load<f32>(v + o) + c2 * g * g;
    const vj = b2 * <f64>load<f32>(v + o + 4) + c2 * h * h;
    store<f32>(m + o, <f32>mi);
    store<f32>(m + o + 4, <f32>mj);
    store<f32>(v + o, <f32>vi);
    store<f32>(v + o + 4, <f32>vj);
    const di = Math.sqrt(vi) * isb + eps, dj = Math.sqrt(vj) * isb + eps;
    const r = step / (di * dj);
    store<f32>(param + o, <f32>(<f64>load<f32>(param + o) * decay - mi * dj * r));
    store<f32>(param + o + 4, <f32>(<f64>load<f32>(param + o + 4) * decay - mj * di * r));
  }
  for (; i < e; i++) {
    const o = i << 2;
    const g = <f64>load<f32>(grad + o) * scale;
    const mi = b1 * <f64>load<f32>(m + o) + c1 * g;
    const vi = b2 * <f64>load<f32>(v + o) + c2 * g * g;
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    const p = <f64>load<f32>(param + o) * decay - step * mi / (Math.sqrt(vi) * isb + eps);
    store<f32>(param + o, <f32>p);
  }
}

/**
 * AdamW over n float32 elements in place, as `adamwF32` in kernels/adamw.ts (for eps > 1e-100):
 * per block of 128 elements, a block whose gradient and moments are all +0 only decays.
 * Arguments after n are the kernel's per-step constants; isb is 1/√bc2.
 */
export function adamw(
  grad: usize, param: usize, m: usize, v: usize, n: usize,
  decay: f64, step: f64, isb: f64, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, scale: f64,
): void {
  for (let b: usize = 0; b < n; b += 128) {
    const e = b + 128 < n ? b + 128 : n;
    if (blockZero(grad, m, v, b, e)) decayOnly(param, b, e, decay);
    else updateBlock(grad, param, m, v, b, e, decay, step, isb, b1, b2, c1, c2, eps, scale);
  }
}

/**
 * Layer norm's input gradient, as `layerNormGrad` in kernels/layer_norm.ts: per row, Σ dŷ and
 * Σ dŷ·(x − mean) in two partial sums each (even and odd columns: the two f64x2 lanes), then
 * dx = rstd · (dŷ − a − (x − mean) · k), with dŷ = dy · γ.
 */
export function layerNormGrad(
  dy: usize, x: usize, g: usize, mean: usize, rstd: usize, dx: usize, rows: usize, cols: usize,
): void {
  for (let r: usize = 0; r < rows; r++) {
    const base = r * cols << 2;
    const m = <f64>load<f32>(mean + (r << 2)), rs = <f64>load<f32>(rstd + (r << 2));
    const vm = f64x2.splat(m);
    let s = f64x2.splat(0), q = f64x2.splat(0);
    let c: usize = 0;
    for (; c + 1 < cols; c += 2) {
      const o = c << 2;
      const d = f64x2.mul(ld2(dy + base + o), ld2(g + o));
      s = f64x2.add(s, d);
      q = f64x2.add(q, f64x2.mul(d, f64x2.sub(ld2(x + base + o), vm)));
    }
    let s1 = f64x2.extract_lane(s, 0), s2 = f64x2.extract_lane(q, 0);
    if (c < cols) {
      const o = c << 2;
      const d = <f64>load<f32>(dy + base + o) * <f64>load<f32>(g + o);
      s1 += d;
      s2 += d * (<f64>load<f32>(x + base + o) - m);
    }
    const a = (s1 + f64x2.extract_lane(s, 1)) / <f64>cols;
    const k = (s2 + f64x2.extract_lane(q, 1)) * rs * rs / <f64>cols;
    const va = f64x2.splat(a), vk = f64x2.splat(k), vrs = f64x2.splat(rs);
    c = 0;
    for (; c + 1 < cols; c += 2) {
      const o = c << 2;
      const d = f64x2.mul(ld2(dy + base + o), ld2(g + o));
      const xm = f64x2.mul(f64x2.sub(ld2(x + base + o), vm), vk);
      st2(dx + base + o, f64x2.mul(vrs, f64x2.sub(f64x2.sub(d, va), xm)));
    }
    if (c < cols) {
      const o = c << 2;
      const d = <f64>load<f32>(dy + base + o) * <f64>load<f32>(g + o);
      store<f32>(dx + base + o, <f32>(rs * (d - a - (<f64>load<f32>(x + base + o) - m) * k)));
    }
  }
}

/**
 * Columns c..c+7 of `layerNormGradParams`: eight float64 sums of each kept in registers over
 * all rows, two rows per step, as the TypeScript kernel adds them into its float64 rows.
 */
function lnParamsStrip8(
  dy: usize, x: usize, mean: usize, rstd: usize, dg: usize, db: usize,
  rows: usize, stride: usize, c: usize,
): void {
  const z = f64x2.splat(0);
  let g0 = z, g1 = z, g2 = z, g3 = z, b0 = z, b1 = z, b2 = z, b3 = z;
  let r: usize = 0;
  for (; r + 1 < rows; r += 2) {
    const p = (r * stride + c) << 2, q = p + (stride << 2);
    const m0 = f64x2.splat(<f64>load<f32>(mean + (r << 2)));
    const m1 = f64x2.splat(<f64>load<f32>(mean + (r << 2) + 4));
    const r0 = f64x2.splat(<f64>load<f32>(rstd + (r << 2)));
    const r1 = f64x2.splat(<f64>load<f32>(rstd + (r << 2) + 4));
    let d0 = ld2(dy + p), d1 = ld2(dy + q);
    g0 = f64x2.add(g0, lnTerm2(d0, ld2(x + p), m0, r0, d1, ld2(x + q), m1, r1));
    b0 = f64x2.add(b0, f64x2.add(d0, d1));
    d0 = ld2(dy + p + 8);
    d1 = ld2(dy + q + 8);
    g1 = f64x2.add(g1, lnTerm2(d0, ld2(x + p + 8), m0, r0, d1, ld2(x + q + 8), m1, r1));
    b1 = f64x2.add(b1, f64x2.add(d0, d1));
    d0 = ld2(dy + p + 16);
    d1 = ld2(dy + q + 16);
    g2 = f64x2.add(g2, lnTerm2(d0, ld2(x + p + 16), m0, r0, d1, ld2(x + q + 16), m1, r1));
    b2 = f64x2.add(b2, f64x2.add(d0, d1));
    d0 = ld2(dy + p + 24);
    d1 = ld2(dy + q + 24);
    g3 = f64x2.add(g3, lnTerm2(d0, ld2(x + p + 24), m0, r0, d1, ld2(x + q + 24), m1, r1));
    b3 = f64x2.add(b3, f64x2.add(d0, d1));
  }
  if (r < rows) {
    const p = (r * stride + c) << 2;
    const m = f64x2.splat(<f64>load<f32>(mean + (r << 2)));
    const s = f64x2.splat(<f64>load<f32>(rstd + (r << 2)));
    let d = ld2(dy + p);
    g0 = f64x2.add(g0, f64x2.mul(d, f64x2.mul(f64x2.sub(ld2(x + p), m), s)));
    b0 = f64x2.add(b0, d);
    d = ld2(dy + p + 8);
    g1 = f64x2.add(g1, f64x2.mul(d, f64x2.mul(f64x2.sub(ld2(x + p + 8), m), s)));
    b1 = f64x2.add(b1, d);
    d = ld2(dy + p + 16);
    g2 = f64x2.add(g2, f64x2.mul(d, f64x2.mul(f64x2.sub(ld2(x + p + 16), m), s)));
    b2 = f64x2.add(b2, d);
    d = ld2(dy + p + 24);
    g3 = f64x2.add(g3, f64x2.mul(d, f64x2.mul(f64x2.sub(ld2(x + p + 24), m), s)));
    b3 = f64x2.add(b3, d);
  }
  st2(dg, g0);
  st2(dg + 8, g1);
  st2(dg + 16, g2);
  st2(dg + 24, g3);
  st2(db, b0);
  st2(db + 8, b1);
  st2(db + 16, b2);
  st2(db + 24, b3);
}

/** d0·((x0 − m0)·r0) + d1·((x1 − m1)·r1), lane-wise. */
// @ts-ignore: decorator
@inline function lnTerm2(
  d0: v128, x0: v128, m0: v128, r0: v128, d1: v128, x1: v128, m1: v128, r1: v128,
): v128 {
  return f64x2.add(
    f64x2.mul(d0, f64x2.mul(f64x2.sub(x0, m0), r0)),
    f64x2.mul(d1, f64x2.mul(f64x2.sub(x1, m1), r1)),
  );
}

/** Column c of `layerNormGradParams` alone (the last columns of a width not a multiple of 8). */
function lnParamsColumn(
  dy: usize, x: usize, mean: usize, rstd: usize, dg: usize, db: usize,
  rows: usize, stride: usize, c: usize,
): void {
  let ag: f64 = 0, ab: f64 = 0;
  let r: usize = 0;
  for (; r + 1 < rows; r += 2) {
    const p = (r * stride + c) << 2, q = p + (stride << 2);
    const d0 = <f64>load<f32>(dy + p), d1 = <f64>load<f32>(dy + q);
    const m0 = <f64>load<f32>(mean + (r << 2)), m1 = <f64>load<f32>(mean + (r << 2) + 4);
    const r0 = <f64>load<f32>(rstd + (r << 2)), r1 = <f64>load<f32>(rstd + (r << 2) + 4);
    ag += d0 * ((<f64>load<f32>(x + p) - m0) * r0) + d1 * ((<f64>load<f32>(x + q) - m1) * r1);
    ab += d0 + d1;
  }
  if (r < rows) {
    const p = (r * stride + c) << 2;
    const d = <f64>load<f32>(dy + p);
    const m = <f64>load<f32>(mean + (r << 2)), s = <f64>load<f32>(rstd + (r << 2));
    ag += d * ((<f64>load<f32>(x + p) - m) * s);
    ab += d;
  }
  store<f32>(dg, <f32>ag);
  store<f32>(db, <f32>ab);
}

/**
 * Layer norm's parameter gradients over columns from..to−1 of rows of `stride` floats, as
 * `layerNormGradParams` in kernels/layer_norm.ts: dγ[c] = Σ dy·((x − mean)·rstd) and
 * dβ[c] = Σ dy over the rows, two rows per step, in float64, rounded once. Strips of eight
 * columns keep their sums in registers (no scratch memory), each column's sum the same chain of
 * adds as the TypeScript kernel's. dg and db hold to − from floats.
 */
export function layerNormGradParams(
  dy: usize, x: usize, mean: usize, rstd: usize, dg: usize, db: usize,
  rows: usize, stride: usize, from: usize, to: usize,
): void {
  let c = from;
  for (; c + 7 < to; c += 8) {
    const o = (c - from) << 2;
    lnParamsStrip8(dy, x, mean, rstd, dg + o, db + o, rows, stride, c);
  }
  for (; c < to; c++) {
    const o = (c - from) << 2;
    lnParamsColumn(dy, x, mean, rstd, dg + o, db + o, rows, stride, c);
  }
}

/** (a + b) + (c + d), or with each term squared. */
// @ts-ignore: decorator
@inline function four(a: v128, b: v128, c: v128, d: v128, squares: bool): v128 {
  if (squares) {
    a = f64x2.mul(a, a);
    b = f64x2.mul(b, b);
    c = f64x2.mul(c, c);
    d = f64x2.mul(d, d);
  }
  return f64x2.add(f64x2.add(a, b), f64x2.add(c, d));
}

/**
 * acc[i] = Σ rows j < r of x[j·stride + i] (or of its square) for i < w, in float64, four rows
 * per pass as `sumRows` in kernels/reduce.ts (w ≥ 16 there): acc += (a + b) + (c + d).
 */
function sumRows(x: usize, r: usize, stride: usize, w: usize, squares: bool, acc: usize): void {
  memory.fill(acc, 0, w << 3);
  const s = stride << 2;
  let j: usize = 0;
  for (; j + 3 < r; j += 4) {
    const a = x + j * s, b = a + s, c = b + s, d = c + s;
    let i: usize = 0;
    for (; i + 3 < w; i += 4) {
      const o = i << 2, p = acc + (i << 3);
      const lo = four(ld2(a + o), ld2(b + o), ld2(c + o), ld2(d + o), squares);
      const hi = four(ld2(a + o + 8), ld2(b + o + 8), ld2(c + o + 8), ld2(d + o + 8), squares);
      v128.store(p, f64x2.add(v128.load(p), lo));
      v128.store(p, f64x2.add(v128.load(p, 16), hi), 16);
    }
    for (; i < w; i++) {
      const o = i << 2, p = acc + (i << 3);
      let av = <f64>load<f32>(a + o), bv = <f64>load<f32>(b + o);
      let cv = <f64>load<f32>(c + o), dv = <f64>load<f32>(d + o);
      if (squares) {
        av *= av;
        bv *= bv;
        cv *= cv;
        dv *= dv;
      }
      store<f64>(p, load<f64>(p) + ((av + bv) + (cv + dv)));
    }
  }
  for (; j < r; j++) {
    const a = x + j * s;
    for (let i: usize = 0; i < w; i++) {
      const v = <f64>load<f32>(a + (i << 2)), p = acc + (i << 3);
      store<f64>(p, load<f64>(p) + (squares ? v * v : v));
    }
  }
}

/**
 * `reduce` (sum or sum of squares) over the middle axis of [outer, r, inner], positions
 * from..from+w−1 of each inner row (w ≥ 16), as kernels/reduce.ts: per outer index, float64 sums
 * into `acc` (w float64s of this thread's scratch), rounded once into
 * out[outOffset + o·inner + from + i].
 */
export function reduceSum(
  x: usize, out: usize, acc: usize, outer: usize, r: usize, inner: usize,
  from: usize, w: usize, outOffset: usize, squares: bool,
): void {
  for (let o: usize = 0; o < outer; o++) {
    sumRows(x + ((o * r * inner + from) << 2), r, inner, w, squares, acc);
    const ob = out + ((outOffset + o * inner + from) << 2);
    let i: usize = 0;
    for (; i + 1 < w; i += 2) st2(ob + (i << 2), v128.load(acc + (i << 3)));
    if (i < w) store<f32>(ob + (i << 2), <f32>load<f64>(acc + (i << 3)));
  }
}

/**
 * `sumRun` of kernels/reduce.ts (a reduction along a row, r ≥ 2): Σ x[j] (or x[j]²) for j < r in
 * float64, the even elements' chain in lane 0 and the odd ones' in lane 1 — the TypeScript loop's
 * two accumulators, added in the same order — then lane 0 + lane 1.
 */
export function sumRun(x: usize, r: usize, squares: bool): f64 {
  let acc = f64x2.splat(0);
  let j: usize = 0;
  if (squares) {
    for (; j + 1 < r; j += 2) {
      const v = ld2(x + (j << 2));
      acc = f64x2.add(acc, f64x2.mul(v, v));
    }
  } else {
    for (; j + 1 < r; j += 2) acc = f64x2.add(acc, ld2(x + (j << 2)));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  if (j < r) {
    const t = <f64>load<f32>(x + (j << 2));
    s0 += squares ? t * t : t;
  }
  return s0 + f64x2.extract_lane(acc, 1);
}

// ---- GELU (kernels/gelu_f32.ts: Hermite tables on [−4, 4], the erfc fit outside) ----

/** JavaScript's Math.exp, for the rare arguments where expF32 defers to it (the same bits). */
@external("env", "exp")
declare function jsExp(x: f64): f64;

const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
const INV_SQRT_2PI: f64 = 0.3989422804014327;

/** `expF32` of kernels/fast_math.ts: 2^k built from its exponent bits (k ≥ −1010: normal). */
function expF32(x: f64): f64 {
  if (!(x > -700 && x < 700)) return x < -745.2 ? 0 : jsExp(x);
  const k = Math.floor(x * 1.4426950408889634 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  const p2 = reinterpret<f64>((<i64>k + 1023) << 52);
  return (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 +
    r * (0.008333333333333333 + r * (0.001388888888888889 + r * (0.0001984126984126984 +
    r * 2.48015873015873e-5)))))))) * p2;
}

/** `phiTail` of kernels/gelu_f32.ts: Φ(a) from the erfc fit. */
function phiTail(a: f64): f64 {
  const x = a * 0.7071067811865476;
  const z = x < 0 ? -x : x;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * expF32(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
      t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
      t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x < 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
}

/** `geluGradTail` of kernels/gelu_f32.ts. */
function geluGradTail(a: f64): f64 {
  return phiTail(a) + a * INV_SQRT_2PI * expF32(-0.5 * a * a);
}

/**
 * The cubic of table `tab` (four float64 coefficients per interval) at u for a pair of elements
 * (u = (x + 4)·perUnit, both in range): c0 + t·(c1 + t·(c2 + t·c3)), t = u − ⌊u⌋.
 */
// @ts-ignore: decorator
@inline function cubic2(tab: usize, u: v128): v128 {
  const k = i32x4.trunc_sat_f64x2_s_zero(u);
  const t = f64x2.sub(u, f64x2.convert_low_i32x4_s(k));
  const p0 = tab + (<usize>i32x4.extract_lane(k, 0) << 5);
  const p1 = tab + (<usize>i32x4.extract_lane(k, 1) << 5);
  const a0 = v128.load(p0), b0 = v128.load(p0, 16), a1 = v128.load(p1), b1 = v128.load(p1, 16);
  const c0 = v128.shuffle<f64>(a0, a1, 0, 2), c1 = v128.shuffle<f64>(a0, a1, 1, 3);
  const c2 = v128.shuffle<f64>(b0, b1, 0, 2), c3 = v128.shuffle<f64>(b0, b1, 1, 3);
  return f64x2.add(c0, f64x2.mul(t, f64x2.add(c1, f64x2.mul(t, f64x2.add(c2, f64x2.mul(t, c3))))));
}

/** Whether both lanes of u lie in [0, top) (a NaN does not). */
// @ts-ignore: decorator
@inline function inTable(u: v128, zero: v128, top: v128): bool {
  return i64x2.all_true(v128.and(f64x2.ge(u, zero), f64x2.lt(u, top)));
}

/**
 * out[i] = gelu(x[i]) = x·Φ(x) for i < n, as `geluRowF32` (contiguous) in kernels/gelu_f32.ts:
 * pairs (0, 1), (2, 3), … from the Φ table at `tab` (1/32 apart) when both lie in [−4, 4), else
 * both from the tail fit; a last odd element from the tail fit.
 */
export function gelu(x: usize, out: usize, n: usize, tab: usize): void {
  const lo = f64x2.splat(-4), per = f64x2.splat(32), zero = f64x2.splat(0), top = f64x2.splat(256);
  let i: usize = 0;
  for (; i + 1 < n; i += 2) {
    const o = i << 2;
    const a = ld2(x + o);
    const u = f64x2.mul(f64x2.sub(a, lo), per);
    if (inTable(u, zero, top)) st2(out + o, f64x2.mul(a, cubic2(tab, u)));
    else {
      const a0 = <f64>load<f32>(x + o), a1 = <f64>load<f32>(x + o + 4);
      store<f32>(out + o, <f32>(a0 * phiTail(a0)));
      store<f32>(out + o + 4, <f32>(a1 * phiTail(a1)));
    }
  }
  if (i < n) {
    const a = <f64>load<f32>(x + (i << 2));
    store<f32>(out + (i << 2), <f32>(a * phiTail(a)));
  }
}

/**
 * out[i] = dy[i]·gelu′(x[i]) for i < n, as `geluGradRowF32` (contiguous): the gelu′ table at
 * `tab` (1/64 apart), the same pairs and tail rule as {@link gelu}.
 */
export function geluGrad(x: usize, dy: usize, out: usize, n: usize, tab: usize): void {
  const lo = f64x2.splat(-4), per = f64x2.splat(64), zero = f64x2.splat(0), top = f64x2.splat(512);
  let i: usize = 0;
  for (; i + 1 < n; i += 2) {
    const o = i << 2;
    const u = f64x2.mul(f64x2.sub(ld2(x + o), lo), per);
    if (inTable(u, zero, top)) st2(out + o, f64x2.mul(ld2(dy + o), cubic2(tab, u)));
    else {
      const a0 = <f64>load<f32>(x + o), a1 = <f64>load<f32>(x + o + 4);
      store<f32>(out + o, <f32>(<f64>load<f32>(dy + o) * geluGradTail(a0)));
      store<f32>(out + o + 4, <f32>(<f64>load<f32>(dy + o + 4) * geluGradTail(a1)));
    }
  }
  if (i < n) {
    const o = i << 2;
    store<f32>(out + o, <f32>(<f64>load<f32>(dy + o) * geluGradTail(<f64>load<f32>(x + o))));
  }
}

/**
 * Layer norm over `rows` rows of `cols` floats, as `layerNorm` in kernels/layer_norm.ts: one pass
 * for Σ(x − k) and Σ(x − k)² with k = the row's first value (two partial sums each: the f64x2
 * lanes), then y = (x − mean)·rstd·γ + β with the float64 mean and rstd (stored rounded).
 */
export function layerNorm(
  x: usize, g: usize, b: usize, y: usize, mean: usize, rstd: usize,
  rows: usize, cols: usize, eps: f64,
): void {
  for (let r: usize = 0; r < rows; r++) {
    const base = r * cols << 2;
    const k = <f64>load<f32>(x + base);
    const vk = f64x2.splat(k);
    let s = f64x2.splat(0), q = f64x2.splat(0);
    let c: usize = 0;
    for (; c + 1 < cols; c += 2) {
      const d = f64x2.sub(ld2(x + base + (c << 2)), vk);
      s = f64x2.add(s, d);
      q = f64x2.add(q, f64x2.mul(d, d));
    }
    let s0 = f64x2.extract_lane(s, 0), q0 = f64x2.extract_lane(q, 0);
    if (c < cols) {
      const d = <f64>load<f32>(x + base + (c << 2)) - k;
      s0 += d;
      q0 += d * d;
    }
    const ds = (s0 + f64x2.extract_lane(s, 1)) / <f64>cols;
    const m = k + ds;
    const variance = max((q0 + f64x2.extract_lane(q, 1)) / <f64>cols - ds * ds, 0);
    const rs = 1 / Math.sqrt(variance + eps);
    store<f32>(mean + (r << 2), <f32>m);
    store<f32>(rstd + (r << 2), <f32>rs);
    const vm = f64x2.splat(m), vrs = f64x2.splat(rs);
    c = 0;
    for (; c + 1 < cols; c += 2) {
      const o = c << 2;
      const t = f64x2.mul(f64x2.mul(f64x2.sub(ld2(x + base + o), vm), vrs), ld2(g + o));
      st2(y + base + o, f64x2.add(t, ld2(b + o)));
    }
    if (c < cols) {
      const o = c << 2;
      const t = (<f64>load<f32>(x + base + o) - m) * rs * <f64>load<f32>(g + o);
      store<f32>(y + base + o, <f32>(t + <f64>load<f32>(b + o)));
    }
  }
}

/**
 * s[i] += r[i] over n floats: float32 adds, which round exactly as the TypeScript float64 add
 * rounded to float32 (the float64 sum of two float32 values is exact enough to round once).
 */
export function addInPlace(s: usize, r: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 3 < n; i += 4) {
    const o = i << 2;
    v128.store(s + o, f32x4.add(v128.load(s + o), v128.load(r + o)));
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(s + o, load<f32>(s + o) + load<f32>(r + o));
  }
}

// ---- softmax: wasm/passes.as.ts's, in place (kernels/softmax.ts) ----

/**
 * Softmax over each of `rows` rows of `cols` floats at `x` (byte address) into `y` (may equal x),
 * the code of passes.as.ts (softmax_rows.as.ts, so the same results as the copying path of
 * wasm_passes.ts) with its 16 bytes of scratch at `LANES` (this thread's) instead of static data.
 * `mask`: byte address of the masks and `maskRows` of one byte offset per row into them (both 0
 * for no mask); a row's mask is `cols` contiguous floats.
 */
export { softmaxRows as softmax };

// ---- element-wise arithmetic (kernels/elementwise.ts, contiguous float32 rows) ----

/**
 * out = x op y over n floats (op 0: +, 1: −, 2: ×, 3: ÷) in float32 arithmetic: the bits of the
 * TypeScript loop's float64 operation rounded to float32 (for these four operations float64 has
 * more than twice float32's precision, so rounding twice equals rounding once).
 */
export function binary(op: i32, x: usize, y: usize, out: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 3 < n; i += 4) {
    const o = i << 2;
    const a = v128.load(x + o), b = v128.load(y + o);
    const r = op == 0
      ? f32x4.add(a, b)
      : op == 1
      ? f32x4.sub(a, b)
      : op == 2
      ? f32x4.mul(a, b)
      : f32x4.div(a, b);
    v128.store(out + o, r);
  }
  for (; i < n; i++) {
    const o = i << 2;
    const a = load<f32>(x + o), b = load<f32>(y + o);
    store<f32>(out + o, op == 0 ? a + b : op == 1 ? a - b : op == 2 ? a * b : a / b);
  }
}

// ---- dropout (kernels/dropout.ts): the hashed mask and the scaled select, wasm/dropout.as.ts ----

export { dropout, dropoutApply, hashTable } from "./dropout.as";

// ---- cross-entropy and the softmax gradient (kernels/cross_entropy.ts, kernels/softmax.ts) ----

export { crossEntropy, crossEntropyGrad } from "./cross_entropy.as";
export { softmaxGrad } from "./softmax_grad.as";
