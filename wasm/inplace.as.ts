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

// @ts-ignore: decorator
@inline function ld2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline function st2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** Whether elements b..e−1 of grad, m and v are all +0 (the OR of their bit patterns is 0). */
function blockZero(grad: usize, m: usize, v: usize, b: usize, e: usize): bool {
  let bits = load<i32>(grad + (b << 2)) | load<i32>(m + (b << 2)) | load<i32>(v + (b << 2));
  for (let i = b + 1; i < e && bits == 0; i++) {
    bits = load<i32>(grad + (i << 2)) | load<i32>(m + (i << 2)) | load<i32>(v + (i << 2));
  }
  return bits == 0;
}

/** Scales param[b..e) by decay (a block whose gradient and moments are all zero). */
function decayOnly(param: usize, b: usize, e: usize, decay: f64): void {
  const vdecay = f64x2.splat(decay);
  let i = b;
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
