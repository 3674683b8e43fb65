/**
 * Scalar helpers of the CPU kernels' hot loops.
 * @module
 */

/** 2^k for k = -1075 … 1024 (index k + 1075): the scale step of {@link expF32}. */
const POW2 = new Float64Array(2100).map((_, i) => Math.pow(2, i - 1075));
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;

/**
 * `Math.exp(x)`, but 0 at once below −745.2 (where exp underflows to exactly 0 in double): V8's
 * exp takes ~200 ns there (denormal arithmetic on the way to 0), and masked attention scores
 * (−3.4e38) land there for every padded key. Bit-identical to `Math.exp` everywhere.
 */
export function expExact(x: number): number {
  return x < -745.2 ? 0 : Math.exp(x);
}

/**
 * e^x with relative error < 1e-9 (far below float32 rounding), faster than `Math.exp` in V8:
 * x = k·ln2 + r with |r| ≤ ln2/2, a degree-8 Taylor polynomial for e^r, 2^k from a table.
 * For results that are rounded to float32; float64 mode (gradient checks) uses {@link expExact}.
 */
export function expF32(x: number): number {
  if (!(x > -700 && x < 700)) return x < -745.2 ? 0 : Math.exp(x);
  const k = Math.floor(x * 1.4426950408889634 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  return (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 +
                    r *
                      (0.008333333333333333 +
                        r * (0.001388888888888889 + r * (0.0001984126984126984 +
                                r * 2.48015873015873e-5)))))))) * POW2[k + 1075];
}

/** ln2/64 split in two so k·hi is exact for |k| < 2^21. */
const LN2_64_HI = LN2_HI / 64;
const LN2_64_LO = LN2_LO / 64;
/** 2^(j/64), j = 0 … 63: {@link expNonPositive}'s table (the in-place passes copy it). */
export const POW2_64THS: Float64Array = new Float64Array(64).map((_, j) => Math.pow(2, j / 64));
/** 2^(i − 1100), i = 0 … 1100 (indexed by 1100 + e, e ≤ 0: no negation, which would give −0). */
const POW2_NEG = new Float64Array(1101).map((_, i) => Math.pow(2, i - 1100));

/**
 * e^x for −700 ≤ x ≤ 0 (no range check: the caller guarantees it), relative error < 1e-10:
 * x = (k/64)·ln2 + r with |r| ≤ ln2/128, a cubic for e^r, 2^(k/64) from two small tables.
 * Shorter dependency chain than {@link expF32}; for float32 results.
 */
export function expNonPositive(x: number): number {
  const k = Math.floor(x * 92.33248261689366 + 0.5); // 64/ln2
  const r = (x - k * LN2_64_HI) - k * LN2_64_LO;
  return (1 + r * (1 + r * (0.5 + r * 0.16666666666666666))) * POW2_64THS[k & 63] *
    POW2_NEG[1100 + (k >> 6)];
}
