/**
 * Descriptive statistics and Student-t confidence intervals for comparing runs (e.g. F1 over
 * several seeds).
 * @module
 */
import { TaggingArgumentError } from "../errors.ts";

/** Arithmetic mean; NaN for an empty input. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation (n − 1 denominator); NaN for fewer than two values. */
export function sampleStd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - m) * (xs[i] - m);
  return Math.sqrt(ss / (n - 1));
}

// Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for positive arguments.
const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** Natural log of the gamma function for `x > 0`. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) +
    b * Math.log1p(-x);
  // Use the continued fraction where it converges fast, the symmetry relation elsewhere.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Cumulative distribution function of Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Quantile (inverse CDF) of Student's t: the `t` with `studentTCdf(t, df) = p`.
 * @throws TaggingArgumentError unless `0 < p < 1` and `df > 0`.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) {
    throw new TaggingArgumentError(
      "studentTQuantile",
      `need 0 < p < 1 and df > 0, got p=${p}, df=${df}`,
    );
  }
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bracket, then bisect to full double precision: robust for every df, and cheap enough.
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Result of {@link pairedTInterval}. */
export interface PairedInterval {
  /** Mean of `a[i] − b[i]`. */
  meanDiff: number;
  /** Sample standard deviation of the differences. */
  sdDiff: number;
  /** Lower end of the interval. */
  low: number;
  /** Upper end of the interval. */
  high: number;
  /** Degrees of freedom (`n − 1`). */
  df: number;
  /** Confidence level used. */
  confidence: number;
  /** Number of pairs. */
  n: number;
}

/**
 * Student-t confidence interval (default 95%) for the mean of paired differences `a[i] − b[i]`
 * (e.g. the F1 of two systems trained with the same seeds).
 * @throws TaggingArgumentError for fewer than two pairs or unequal lengths.
 */
export function pairedTInterval(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  confidence = 0.95,
): PairedInterval {
  if (a.length !== b.length || a.length < 2) {
    throw new TaggingArgumentError(
      "pairedTInterval",
      `need two equally long samples of at least 2 values, got ${a.length} and ${b.length}`,
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new TaggingArgumentError(
      "pairedTInterval",
      `confidence must be in (0, 1), got ${confidence}`,
    );
  }
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  const m = mean(d);
  const sd = sampleStd(d);
  const half = studentTQuantile(0.5 + confidence / 2, n - 1) * sd / Math.sqrt(n);
  return { meanDiff: m, sdDiff: sd, low: m - half, high: m + half, df: n - 1, confidence, n };
}
