/**
 * Cross-entropy and its logits gradient in place (src/backend/cpu/kernels/cross_entropy.ts,
 * float32), imported by inplace.as.ts. Per row: the max (exact in any order), then e^(x − max) by
 * the TypeScript kernel's `expNonPositive` (its 2^(j/64) table passed in as `tab`, 0 below −104)
 * two elements at a time in float64 lanes, added to the row's sum one by one in the kernel's
 * order; ln is JavaScript's own `Math.log` (imported). Same operations in the same order, so the
 * TypeScript kernel's bits.
 */

import { ld1, ld2, st2 } from "./f32_lanes.as";

/** JavaScript's Math.log (WebAssembly has none; this is the kernel's, bit for bit). */
@external("env", "log")
declare function jsLog(x: f64): f64;

/** ln2/64 in two parts, as kernels/fast_math.ts. */
const LN2_64_HI: f64 = 0.6931471803691238 / 64;
const LN2_64_LO: f64 = 1.9082149292705877e-10 / 64;

/**
 * `expShifted` of kernels/cross_entropy.ts on both lanes of d = logit − max ≤ 0: 0 below −104,
 * else `expNonPositive` (kernels/fast_math.ts): k = ⌊64·d/ln2 + ½⌋, a cubic in the remainder,
 * times 2^((k & 63)/64) from the table at `tab` and 2^(k >> 6) (normal for d ≥ −104: made from
 * its exponent bits).
 */
// @ts-ignore: decorator
@inline function expShifted2(d: v128, tab: usize): v128 {
  const kf = f64x2.floor(f64x2.add(f64x2.mul(d, f64x2.splat(92.33248261689366)), f64x2.splat(0.5)));
  const r = f64x2.sub(
    f64x2.sub(d, f64x2.mul(kf, f64x2.splat(LN2_64_HI))),
    f64x2.mul(kf, f64x2.splat(LN2_64_LO)),
  );
  const c = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(0.16666666666666666)));
  const p = f64x2.add(f64x2.splat(1), f64x2.mul(r, f64x2.add(f64x2.splat(1), f64x2.mul(r, c))));
  const k = i32x4.trunc_sat_f64x2_s_zero(kf);
  const j = v128.and(k, i32x4.splat(63));
  let t = v128.load64_zero(tab + (<usize>i32x4.extract_lane(j, 0) << 3));
  t = v128.load64_lane(tab + (<usize>i32x4.extract_lane(j, 1) << 3), t, 1);
  const e = i64x2.extend_low_i32x4_s(i32x4.shr_s(k, 6));
  const pow2 = i64x2.shl(i64x2.add(e, i64x2.splat(1023)), 52);
  return v128.andnot(f64x2.mul(f64x2.mul(p, t), pow2), f64x2.lt(d, f64x2.splat(-104)));
}

/** The row's largest value (as `x > max` keeps it: NaN never), float32, at least −∞. */
function rowMax(x: usize, cols: usize): f64 {
  let m = f32x4.splat(-Infinity);
  let c: usize = 0;
  for (; c + 4 <= cols; c += 4) m = f32x4.pmax(m, v128.load(x + (c << 2)));
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  let mx = f32x4.extract_lane(m, 0);
  for (; c < cols; c++) {
    const v = load<f32>(x + (c << 2));
    if (v > mx) mx = v;
  }
  return <f64>mx;
}

/**
 * Σ e^(x − mx) over the row, one term at a time in order; with `e` nonzero, each term also
 * stored there (cols float64s).
 */
// @ts-ignore: decorator
@inline function rowSum(x: usize, cols: usize, mx: f64, tab: usize, e: usize): f64 {
  const vm = f64x2.splat(mx);
  let s: f64 = 0;
  let c: usize = 0;
  for (; c + 2 <= cols; c += 2) {
    const v = expShifted2(f64x2.sub(ld2(x + (c << 2)), vm), tab);
    if (e) v128.store(e + (c << 3), v);
    s += f64x2.extract_lane(v, 0);
    s += f64x2.extract_lane(v, 1);
  }
  if (c < cols) {
    const v = f64x2.extract_lane(expShifted2(f64x2.sub(ld1(x + (c << 2)), vm), tab), 0);
    if (e) store<f64>(e + (c << 3), v);
    s += v;
  }
  return s;
}

/** Whether target t counts (not ignored, a column of the row). */
// @ts-ignore: decorator
@inline function counts(t: i32, cols: usize, ignoreIndex: i32): bool {
  return t != ignoreIndex && t >= 0 && <usize>t < cols;
}

/**
 * loss[r] = ln Σ e^(x − max) + max − x[target] over `rows` rows of `cols` floats (0 for an
 * ignored target), as `cross_entropy` in kernels/cross_entropy.ts: `targets` int32, `tab` the
 * 2^(j/64) table.
 */
export function crossEntropy(
  logits: usize, targets: usize, loss: usize, rows: usize, cols: usize, ignoreIndex: i32,
  tab: usize,
): void {
  for (let r: usize = 0; r < rows; r++) {
    const t = load<i32>(targets + (r << 2));
    if (!counts(t, cols, ignoreIndex)) {
      store<f32>(loss + (r << 2), 0);
      continue;
    }
    const x = logits + ((r * cols) << 2);
    const mx = rowMax(x, cols);
    const lse = mx + jsLog(rowSum(x, cols, mx, tab, 0));
    store<f32>(loss + (r << 2), <f32>(lse - <f64>load<f32>(x + (<usize>t << 2))));
  }
}

/**
 * dx = (softmax(x) − onehot(target))·scale per row (0 for an ignored target), as
 * `cross_entropy_grad` in kernels/cross_entropy.ts (float32): the exponentials kept in `e`
 * (cols float64s of scratch), dx = e·(scale/sum), the target's (e/sum − 1)·scale.
 */
export function crossEntropyGrad(
  logits: usize, targets: usize, dx: usize, rows: usize, cols: usize, ignoreIndex: i32,
  scale: f64, tab: usize, e: usize,
): void {
  for (let r: usize = 0; r < rows; r++) {
    const t = load<i32>(targets + (r << 2));
    const x = logits + ((r * cols) << 2), d = dx + ((r * cols) << 2);
    if (!counts(t, cols, ignoreIndex)) {
      memory.fill(d, 0, cols << 2);
      continue;
    }
    const sum = rowSum(x, cols, rowMax(x, cols), tab, e);
    const k = scale / sum, vk = f64x2.splat(k);
    let c: usize = 0;
    for (; c + 2 <= cols; c += 2) st2(d + (c << 2), f64x2.mul(v128.load(e + (c << 3)), vk));
    if (c < cols) store<f32>(d + (c << 2), <f32>(load<f64>(e + (c << 3)) * k));
    const at = <usize>t;
    store<f32>(d + (at << 2), <f32>((load<f64>(e + (at << 3)) / sum - 1) * scale));
  }
}
