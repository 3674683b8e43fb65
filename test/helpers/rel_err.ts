/**
 * The error measure of the parity tests: the largest absolute difference over the largest
 * reference magnitude (so tiny reference values do not blow it up).
 * @module
 */

/** max|got − want| / max(max|want|, floor). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-6): number {
  let num = 0;
  let den = floor;
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i] - want[i]));
    den = Math.max(den, Math.abs(want[i]));
  }
  return num / den;
}
