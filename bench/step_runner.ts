/**
 * Times a training step: one cold step, then warm steps until a step cap and a time budget are
 * both reached (at least `minWarm`), with per-step hooks for device counters. Used for every
 * in-process implementation of `deno task bench` (jointag on each backend, TF.js).
 * @module
 */

/** How many steps a configuration gets. */
export interface StepPlan {
  /** Warm steps at most. */
  maxWarm: number;
  /** Warm steps at least (even past the budget). */
  minWarm: number;
  /** Stop starting warm steps after this many milliseconds of warm steps. */
  budgetMs: number;
  /**
   * Untimed steps before the timed ones (default 1: the cold step). CPU configurations take a
   * few more, while V8's optimizing compiler settles on the kernels' loops.
   */
  warmup?: number;
}

/** Per-step counters an implementation can report (dispatches, matmul time, ...). */
export type StepCounters = Record<string, number>;

/** Result of timing one configuration. */
export interface StepRun {
  firstStepMs: number;
  /** Untimed warm-up steps, the cold one first. */
  warmupMs?: number[];
  stepsMs: number[];
  medianMs: number;
  tokensPerS: number;
  losses: number[];
  /** Median over warm steps of each counter. */
  counters: StepCounters;
  plan: StepPlan;
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rounds to `d` decimals (JSON readability). */
export const round = (x: number, d = 1): number => Number(x.toFixed(d));

/**
 * Runs `step` (returns the loss) under `plan`; `before`/`after` bracket each step and `after`
 * returns that step's counters (e.g. dispatch deltas).
 */
export async function runSteps(
  step: () => Promise<number>,
  plan: StepPlan,
  tokens: number,
  hooks: { before?: () => void; after?: () => StepCounters } = {},
  log: (msg: string) => void = () => {},
): Promise<StepRun> {
  const losses: number[] = [];
  const timed = async () => {
    hooks.before?.();
    const t0 = performance.now();
    losses.push(await step());
    const ms = performance.now() - t0;
    return { ms, counters: hooks.after?.() ?? {} };
  };
  const first = await timed();
  log(`cold step ${first.ms.toFixed(0)} ms, loss ${losses[0].toFixed(4)}`);
  const warmupMs = [first.ms];
  for (let i = 1; i < (plan.warmup ?? 1); i++) warmupMs.push((await timed()).ms);
  const stepsMs: number[] = [];
  const counters: StepCounters[] = [];
  const start = performance.now();
  while (
    stepsMs.length < plan.minWarm ||
    (stepsMs.length < plan.maxWarm && performance.now() - start < plan.budgetMs)
  ) {
    const r = await timed();
    stepsMs.push(r.ms);
    counters.push(r.counters);
    log(`step ${stepsMs.length}: ${r.ms.toFixed(0)} ms`);
  }
  const med = median(stepsMs);
  const keys = Object.keys(counters[0] ?? {});
  return {
    firstStepMs: round(first.ms),
    warmupMs: warmupMs.map((x) => round(x)),
    stepsMs: stepsMs.map((x) => round(x)),
    medianMs: round(med),
    tokensPerS: round(tokens / (med / 1000)),
    losses: losses.map((x) => round(x, 5)),
    counters: Object.fromEntries(keys.map((k) => [k, round(median(counters.map((c) => c[k])), 1)])),
    plan,
  };
}
