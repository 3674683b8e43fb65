/**
 * Dropout in place (src/backend/cpu/kernels/dropout.ts), imported by inplace.as.ts: the mask of
 * `hashUniform` (keep element i when hashU32(seed ^ hashU32(offset + i)) ≥ threshold as u32
 * numbers) and y = keep ? x·scale : +0, four elements a vector. Integer arithmetic wraps mod 2³²
 * as the TypeScript kernel's `Math.imul` does, and x·scale is a float64 product rounded to
 * float32 as there, so every mask bit and every output has the TypeScript kernel's bits.
 *
 * WebAssembly SIMD has no per-lane variable shift, which the hash's `s >>> ((s >>> 28) + 4)`
 * needs: it is taken as the high half of the 64-bit product s·2^(28−k), k = s >>> 28, the power
 * of two built per lane from float32 exponent bits (see `hash4`; about 10% faster than shifts of
 * 8, 4, 2 and 1 selected by k's bits).
 */

/** 2891336453 as an int32 (the PCG increment of hashU32). */
const INC: i32 = <i32>2891336453;

/** hashU32 of each lane of i (kernels/dropout.ts `hashI32`), the variable shift by lane masks. */
// @ts-ignore: decorator
@inline function hash4(i: v128): v128 {
  const s = i32x4.add(i32x4.mul(i, i32x4.splat(747796405)), i32x4.splat(INC));
  // s >>> (k + 4), k = s >>> 28, is the high half of the 64-bit product s·2^(28−k). 2^(23−k) is
  // made as float32 bits, turned into an integer by adding 2^23 (its bits then hold 2^(23−k)
  // above 2^23's), and shifted by 5.
  const f = i32x4.shl(i32x4.sub(i32x4.splat(150), i32x4.shr_u(s, 28)), 23);
  const q = i32x4.shl(i32x4.sub(f32x4.add(f, f32x4.splat(8388608)), i32x4.splat(0x4b000000)), 5);
  const lo = i64x2.extmul_low_i32x4_u(s, q), hi = i64x2.extmul_high_i32x4_u(s, q);
  const v = v128.shuffle<i32>(lo, hi, 1, 3, 5, 7);
  const w = i32x4.mul(v128.xor(v, s), i32x4.splat(277803737));
  return v128.xor(i32x4.shr_u(w, 22), w);
}

/** hashU32(i) for one element. */
// @ts-ignore: decorator
@inline function hash1(i: u32): u32 {
  const s = i * 747796405 + <u32>INC;
  const w = ((s >>> ((s >>> 28) + 4)) ^ s) * 277803737;
  return (w >>> 22) ^ w;
}

/** Four float32 values at p times the float64 `scale`, each product rounded to float32. */
// @ts-ignore: decorator
@inline function scaled4(p: usize, scale: v128): v128 {
  const x = v128.load(p);
  const lo = f64x2.mul(f64x2.promote_low_f32x4(x), scale);
  const hi = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<i32>(x, x, 2, 3, 0, 1)), scale);
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/**
 * Lane masks (all ones: keep) of elements i..i+3: the inner hash read from `inner` (the table of
 * hashU32 from element 0 on) below `tabulated`, else computed from the global index offset + i.
 */
// @ts-ignore: decorator
@inline function keep4(
  i: usize, inner: usize, tabulated: usize, seed: v128, offset: u32, threshold: v128,
): v128 {
  const h = i + 4 <= tabulated
    ? v128.load(inner + (i << 2))
    : hash4(i32x4.add(i32x4.splat(offset + <u32>i), i32x4(0, 1, 2, 3)));
  return i32x4.ge_u(hash4(v128.xor(seed, h)), threshold);
}

/**
 * The whole dropout of n elements: y[i] = keep ? x[i]·scale : +0, and the mask into `bits`
 * (element i is bit i & 31 of the int32 word i >> 5). Elements below `tabulated` read their inner
 * hash from `inner`, the table of hashU32(offset + i) (see {@link hashTable}); the others compute
 * it. `threshold` is the u32 keep threshold.
 */
export function dropout(
  x: usize, y: usize, bits: usize, n: usize, seed: u32, threshold: u32, offset: u32,
  inner: usize, tabulated: usize, scale: f64,
): void {
  const vs = i32x4.splat(seed), vt = i32x4.splat(threshold), vscale = f64x2.splat(scale);
  let i: usize = 0;
  for (; i + 32 <= n; i += 32) {
    let word = 0;
    for (let j: usize = 0; j < 32; j += 4) {
      const o = (i + j) << 2;
      const keep = keep4(i + j, inner, tabulated, vs, offset, vt);
      v128.store(y + o, v128.and(scaled4(x + o, vscale), keep));
      word |= i32x4.bitmask(keep) << <i32>j;
    }
    store<i32>(bits + (i >> 3), word);
  }
  if (i < n) {
    let word = 0;
    for (let j = i; j < n; j++) {
      const h = j < tabulated ? load<u32>(inner + (j << 2)) : hash1(offset + <u32>j);
      const k = hash1(seed ^ h) >= threshold;
      const o = j << 2;
      store<f32>(y + o, k ? <f32>(<f64>load<f32>(x + o) * scale) : 0);
      word |= <i32>k << <i32>(j - i);
    }
    store<i32>(bits + (i >> 3), word);
  }
}

/** y[i] = keep ? x[i]·scale : +0 over n elements under the mask `bits` (a cached mask). */
export function dropoutApply(x: usize, y: usize, bits: usize, n: usize, scale: f64): void {
  const vscale = f64x2.splat(scale), lanes = i32x4(1, 2, 4, 8), zero = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 32 <= n; i += 32) {
    const word = i32x4.splat(load<i32>(bits + (i >> 3)));
    for (let j: usize = 0; j < 32; j += 4) {
      const o = (i + j) << 2;
      const keep = i32x4.ne(v128.and(i32x4.shr_u(word, <i32>j), lanes), zero);
      v128.store(y + o, v128.and(scaled4(x + o, vscale), keep));
    }
  }
  for (; i < n; i++) {
    const o = i << 2;
    const k = (load<i32>(bits + ((i >> 5) << 2)) >>> <i32>(i & 31)) & 1;
    store<f32>(y + o, k ? <f32>(<f64>load<f32>(x + o) * scale) : 0);
  }
}

/** hashU32(i) for i < n into the int32 table at `at` (the inner hashes {@link dropout} reads). */
export function hashTable(at: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at + (i << 2), hash4(i32x4.add(i32x4.splat(<i32>i), i32x4(0, 1, 2, 3))));
  }
  for (; i < n; i++) store<u32>(at + (i << 2), hash1(<u32>i));
}
