/**
 * Paired significance tests for two systems scored on the same sentences, working on
 * per-sentence entity counts (tp/fp/fn), so corpus-level micro scores are recomputed exactly on
 * every resample.
 * @module
 */
import { TaggingArgumentError } from "../errors.ts";
import type { EntityCounts } from "./entity_metrics.ts";
import { Rng } from "../data/random.ts";

/** Corpus-level metric recomputed from summed counts. */
export type CountMetric = "f1" | "precision" | "recall";

/** Options for the tests. */
export interface SignificanceOptions {
  /** Number of resamples; default 10 000. */
  resamples?: number;
  /** PRNG seed; default 0. */
  seed?: number;
  /** Metric compared; default `"f1"`. */
  metric?: CountMetric;
}

/** Outcome of a significance test. */
export interface SignificanceResult {
  /** Two-sided p-value, `(hits + 1) / (resamples + 1)`. */
  pValue: number;
  /** Resamples drawn. */
  resamples: number;
  /** Observed metric difference, system A minus system B. */
  observed: number;
  /** Metric of system A on all sentences. */
  scoreA: number;
  /** Metric of system B on all sentences. */
  scoreB: number;
}

/** Bootstrap result with a percentile interval for the difference. */
export interface BootstrapResult extends SignificanceResult {
  /** 2.5th and 97.5th percentiles of the resampled differences. */
  ci95: [number, number];
}

/** Metric of summed counts; 0 where undefined (seqeval's zero-division convention). */
export function metricFromCounts(tp: number, fp: number, fn: number, metric: CountMetric): number {
  if (metric === "precision") return tp + fp === 0 ? 0 : tp / (tp + fp);
  if (metric === "recall") return tp + fn === 0 ? 0 : tp / (tp + fn);
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

// Differences below this are floating-point noise, not a real change in the metric.
const EPS = 1e-12;

function checkInputs(
  op: string,
  a: readonly EntityCounts[],
  b: readonly EntityCounts[],
  options: SignificanceOptions,
) {
  if (a.length !== b.length) {
    throw new TaggingArgumentError(op, `system A has ${a.length} sentences, system B ${b.length}`);
  }
  const r = options.resamples ?? 10000;
  if (!Number.isInteger(r) || r < 1) {
    throw new TaggingArgumentError(op, `resamples must be a positive integer, got ${r}`);
  }
  return { resamples: r, metric: options.metric ?? "f1", rng: new Rng(options.seed ?? 0) };
}

function sum(xs: readonly EntityCounts[]): [number, number, number] {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const c of xs) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return [tp, fp, fn];
}

/**
 * Paired approximate randomization: on each resample, every sentence's outputs of A and B are
 * swapped with probability 1/2; the p-value is the share of resamples whose |difference| reaches
 * the observed one. Identical systems give p = 1.
 */
export function approximateRandomization(
  a: readonly EntityCounts[],
  b: readonly EntityCounts[],
  options: SignificanceOptions = {},
): SignificanceResult {
  const { resamples, metric, rng } = checkInputs("approximateRandomization", a, b, options);
  const [atp, afp, afn] = sum(a);
  const [btp, bfp, bfn] = sum(b);
  const scoreA = metricFromCounts(atp, afp, afn, metric);
  const scoreB = metricFromCounts(btp, bfp, bfn, metric);
  const observed = scoreA - scoreB;
  // Only sentences where the systems differ change the statistic when swapped.
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i].tp !== b[i].tp || a[i].fp !== b[i].fp || a[i].fn !== b[i].fn) diff.push(i);
  }
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    let xtp = atp, xfp = afp, xfn = afn;
    let ytp = btp, yfp = bfp, yfn = bfn;
    for (const i of diff) {
      if (rng.nextBool()) {
        const dtp = b[i].tp - a[i].tp;
        const dfp = b[i].fp - a[i].fp;
        const dfn = b[i].fn - a[i].fn;
        xtp += dtp;
        xfp += dfp;
        xfn += dfn;
        ytp -= dtp;
        yfp -= dfp;
        yfn -= dfn;
      }
    }
    const d = metricFromCounts(xtp, xfp, xfn, metric) - metricFromCounts(ytp, yfp, yfn, metric);
    if (Math.abs(d) >= Math.abs(observed) - EPS) hits++;
  }
  return { pValue: (hits + 1) / (resamples + 1), resamples, observed, scoreA, scoreB };
}

/**
 * Paired bootstrap: sentences are resampled with replacement and both systems scored on each
 * sample. The two-sided p-value is the share of samples whose difference deviates from the
 * observed one by at least |observed| (the bootstrap distribution shifted to the null, as in
 * Berg-Kirkpatrick et al. 2012). Identical systems give p = 1.
 */
export function pairedBootstrap(
  a: readonly EntityCounts[],
  b: readonly EntityCounts[],
  options: SignificanceOptions = {},
): BootstrapResult {
  const { resamples, metric, rng } = checkInputs("pairedBootstrap", a, b, options);
  const [atp, afp, afn] = sum(a);
  const [btp, bfp, bfn] = sum(b);
  const scoreA = metricFromCounts(atp, afp, afn, metric);
  const scoreB = metricFromCounts(btp, bfp, bfn, metric);
  const observed = scoreA - scoreB;
  const n = a.length;
  const deltas = new Float64Array(resamples);
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    let xtp = 0, xfp = 0, xfn = 0, ytp = 0, yfp = 0, yfn = 0;
    for (let k = 0; k < n; k++) {
      const i = rng.nextInt(n);
      xtp += a[i].tp;
      xfp += a[i].fp;
      xfn += a[i].fn;
      ytp += b[i].tp;
      yfp += b[i].fp;
      yfn += b[i].fn;
    }
    const d = metricFromCounts(xtp, xfp, xfn, metric) - metricFromCounts(ytp, yfp, yfn, metric);
    deltas[r] = d;
    if (Math.abs(d - observed) >= Math.abs(observed) - EPS) hits++;
  }
  deltas.sort();
  const q = (p: number) => deltas[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))];
  return {
    pValue: (hits + 1) / (resamples + 1),
    resamples,
    observed,
    scoreA,
    scoreB,
    ci95: [q(0.025), q(0.975)],
  };
}
