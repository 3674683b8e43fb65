/**
 * Turns job results into the comparison's numbers: per arm (and training fraction) the mean ± std
 * over seeds of entity P/R/F1, per-type F1, auxiliary accuracy, time and throughput; and for every
 * arm against the baseline (the single-task arm) the F1 difference with a 95% paired t-interval
 * over seeds and a paired approximate-randomization test on the test sentences, pooled over seeds.
 * @module
 */
import { approximateRandomization, pairedBootstrap } from "../metrics/significance.ts";
import { mean, pairedTInterval, sampleStd } from "../metrics/statistics.ts";
import type { JobResult } from "./job_result.ts";

/** Mean and sample standard deviation (0 with one value). */
export interface Spread {
  /** Mean of `values`. */
  mean: number;
  /** Sample standard deviation of `values` (n − 1 denominator). */
  std: number;
  /** Number of values (seeds). */
  n: number;
  /** The values, one per seed in seed order. */
  values: number[];
}

/** One arm at one training fraction. */
export interface ArmSummary {
  /** Arm label (see `CompareJob.arm`). */
  arm: string;
  /** Fraction of the training sentences used. */
  fraction: number;
  /** Seeds whose jobs finished, ascending. */
  seeds: number[];
  /** Main task's test micro precision over seeds. */
  precision: Spread;
  /** Main task's test micro recall over seeds. */
  recall: Spread;
  /** Main task's test micro F1 over seeds. */
  f1: Spread;
  /** Test F1 per entity type over seeds (0 for a seed where the type never occurs). */
  perTypeF1: Record<string, Spread>;
  /** Test token accuracy of each auxiliary (non-entity) task over seeds. */
  accuracy: Record<string, Spread>;
  /** Training time in seconds (evaluation excluded) over seeds. */
  trainSeconds: Spread;
  /** Training throughput in sub-word tokens per second over seeds. */
  tokensPerSecond: Spread;
  /** Mean dev F1 per epoch with min and max over seeds. */
  devCurve: { mean: number; min: number; max: number }[];
}

/** An arm against the baseline at one fraction. */
export interface ArmComparison {
  /** The arm compared. */
  arm: string;
  /** The arm it is compared against. */
  baseline: string;
  /** Training fraction both ran at. */
  fraction: number;
  /** Seeds both arms finished. */
  seeds: number[];
  /** Mean over seeds of F1(arm) − F1(baseline) with its 95% paired t-interval (null below 2 seeds). */
  f1Diff: { mean: number; low: number | null; high: number | null };
  /** Approximate randomization on per-sentence counts pooled over seeds. */
  randomization: { pValue: number; resamples: number; observed: number };
  /** Paired bootstrap interval of the pooled F1 difference. */
  bootstrap: { low: number; high: number; resamples: number };
  /** Plain-language reading of the numbers (see {@link verdictOf}). */
  verdict: string;
}

/** The whole comparison. */
export interface CompareSummary {
  /** One summary per arm and fraction. */
  arms: ArmSummary[];
  /** Each non-baseline arm against the baseline, per fraction (where they share seeds). */
  comparisons: ArmComparison[];
  /** Job results aggregated. */
  jobs: number;
}

function spread(values: number[]): Spread {
  return {
    mean: mean(values),
    std: values.length > 1 ? sampleStd(values) : 0,
    n: values.length,
    values,
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    m.set(k, [...(m.get(k) ?? []), x]);
  }
  return m;
}

function summarizeArm(results: JobResult[]): ArmSummary {
  const types = [...new Set(results.flatMap((r) => Object.keys(r.test.perType)))].sort();
  const accTasks = [...new Set(results.flatMap((r) => Object.keys(r.accuracy)))].sort();
  const epochs = Math.max(...results.map((r) => r.devCurve.length));
  const devCurve = Array.from({ length: epochs }, (_, e) => {
    const v = results.filter((r) => r.devCurve.length > e).map((r) => r.devCurve[e]);
    return { mean: mean(v), min: Math.min(...v), max: Math.max(...v) };
  });
  return {
    arm: results[0].job.arm,
    fraction: results[0].job.fraction,
    seeds: results.map((r) => r.job.seed),
    precision: spread(results.map((r) => r.test.precision)),
    recall: spread(results.map((r) => r.test.recall)),
    f1: spread(results.map((r) => r.test.f1)),
    perTypeF1: Object.fromEntries(
      types.map((t) => [t, spread(results.map((r) => r.test.perType[t]?.f1 ?? 0))]),
    ),
    accuracy: Object.fromEntries(
      accTasks.map((
        t,
      ) => [t, spread(results.filter((r) => t in r.accuracy).map((r) => r.accuracy[t]))]),
    ),
    trainSeconds: spread(results.map((r) => r.trainSeconds)),
    tokensPerSecond: spread(results.map((r) => r.tokensPerSecond)),
    devCurve,
  };
}

/** Plain-language reading of a comparison. */
export function verdictOf(
  arm: string,
  baseline: string,
  diff: number,
  p: number,
  alpha = 0.05,
  seedInterval: { low: number | null; high: number | null } = { low: null, high: null },
): string {
  const pts = `${(100 * diff >= 0 ? "+" : "")}${(100 * diff).toFixed(2)} F1 points`;
  if (p >= alpha) {
    return `No significant difference between ${arm} and ${baseline} (${pts}, p = ${
      p.toFixed(3)
    } ≥ ${alpha}).`;
  }
  const base = `${arm} is significantly ${
    diff > 0 ? "better" : "worse"
  } than ${baseline} (${pts}, p = ${p.toFixed(4)} < ${alpha})`;
  // The randomization test pools sentences over seeds; say so when the seeds themselves disagree.
  const { low, high } = seedInterval;
  if (low !== null && high !== null && low <= 0 && high >= 0) {
    return `${base}, but the 95% interval over seeds [${(100 * low).toFixed(2)}, ${
      (100 * high).toFixed(2)
    }] includes 0: more seeds are needed to call it.`;
  }
  return `${base}.`;
}

/** Options of `summarize`. */
export interface SummarizeOptions {
  /** The arm others are compared against (default: the first single-task arm, else the first). */
  baseline?: string;
  /** Resamples of the randomization test and of the bootstrap (default 10000). */
  resamples?: number;
  /** Seed of both resampling tests, so a report is reproducible (default 0). */
  seed?: number;
}

/** Aggregates job results (any order; unfinished jobs simply absent). */
export function summarize(results: JobResult[], o: SummarizeOptions = {}): CompareSummary {
  const byArmFrac = groupBy(results, (r) => `${r.job.arm}|${r.job.fraction}`);
  const arms = [...byArmFrac.values()].map((rs) =>
    summarizeArm(rs.sort((a, b) => a.job.seed - b.job.seed))
  );
  const armNames = [...new Set(results.map((r) => r.job.arm))];
  const baseline = o.baseline ??
    results.find((r) => r.job.tasks.length === 1)?.job.arm ?? armNames[0];
  const comparisons: ArmComparison[] = [];
  for (const fraction of [...new Set(results.map((r) => r.job.fraction))].sort((a, b) => a - b)) {
    const base = new Map(
      results.filter((r) => r.job.arm === baseline && r.job.fraction === fraction).map((
        r,
      ) => [r.job.seed, r]),
    );
    for (const arm of armNames.filter((a) => a !== baseline)) {
      const pairs = results
        .filter((r) => r.job.arm === arm && r.job.fraction === fraction && base.has(r.job.seed))
        .sort((a, b) => a.job.seed - b.job.seed)
        .map((r) => [r, base.get(r.job.seed)!] as const);
      if (pairs.length === 0) continue;
      const a = pairs.map(([r]) => r.test.f1);
      const b = pairs.map(([, s]) => s.test.f1);
      const interval = pairs.length >= 2 ? pairedTInterval(a, b, 0.95) : null;
      const countsA = pairs.flatMap(([r]) => r.sentenceCounts);
      const countsB = pairs.flatMap(([, s]) => s.sentenceCounts);
      const resamples = o.resamples ?? 10000;
      const ar = approximateRandomization(countsA, countsB, { resamples, seed: o.seed ?? 0 });
      const bs = pairedBootstrap(countsA, countsB, { resamples, seed: o.seed ?? 0 });
      const meanDiff = mean(a) - mean(b);
      comparisons.push({
        arm,
        baseline,
        fraction,
        seeds: pairs.map(([r]) => r.job.seed),
        f1Diff: { mean: meanDiff, low: interval?.low ?? null, high: interval?.high ?? null },
        randomization: { pValue: ar.pValue, resamples: ar.resamples, observed: ar.observed },
        bootstrap: { low: bs.ci95[0], high: bs.ci95[1], resamples: bs.resamples },
        verdict: verdictOf(arm, baseline, meanDiff, ar.pValue, 0.05, {
          low: interval?.low ?? null,
          high: interval?.high ?? null,
        }),
      });
    }
  }
  return { arms, comparisons, jobs: results.length };
}
