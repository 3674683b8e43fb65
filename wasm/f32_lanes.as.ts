/**
 * Two float32 values as float64 lanes and back: the loads and stores of the in-place passes that
 * compute in float64 as the TypeScript kernels do (inplace.as.ts and the passes it imports).
 */

/** The two float32 values at p as an f64x2. */
// @ts-ignore: decorator
@inline export function ld2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** The float32 value at p in lane 0 of an f64x2 (lane 1: +0). */
// @ts-ignore: decorator
@inline export function ld1(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load32_zero(p));
}

/** Both lanes of v rounded to float32 and stored at p. */
// @ts-ignore: decorator
@inline export function st2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}
