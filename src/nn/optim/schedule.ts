/**
 * Learning-rate schedules as pure functions of the step (so a resumed run continues exactly).
 * @module
 */

/**
 * Linear warmup from 0 to `peak` over `warmup` steps, then linear decay to 0 at `total`
 * (transformers' `get_linear_schedule_with_warmup`: the update at `step`, counted from 0, uses
 * this rate, so with warmup the very first update has rate 0, exactly as there).
 */
export function linearWarmupDecay(
  step: number,
  peak: number,
  warmup: number,
  total: number,
): number {
  if (step < warmup) return peak * step / Math.max(1, warmup);
  return peak * Math.max(0, (total - step) / Math.max(1, total - warmup));
}
