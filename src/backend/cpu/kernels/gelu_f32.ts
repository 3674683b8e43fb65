/**
 * Exact (erf) GELU and its gradient for float32 outputs, fast: Φ (the normal CDF) and φ (its
 * density) are read from piecewise-cubic Hermite tables on [−4, 4] (knots every 1/32, values and
 * slopes from the double-precision erf of src/core/erf.ts), which gives an absolute error below
 * 1e-8 (float32 rounding of values near 1 is 6e-8). Outside, Φ comes from Numerical Recipes'
 * erfc fit (fractional error < 1.2e-7, the same approximation as shaders/erf.wgsl), evaluated in
 * double with no cancellation in the left tail. Float64 mode keeps the op's own exact erf.
 * @module
 */
import { erf } from "../../../core/erf.ts";
import type { TypedArray } from "../../../core/dtype.ts";
import { expF32 } from "./fast_math.ts";

const LO = -4;
const HI = 4;
const PER_UNIT = 32;
const H = 1 / PER_UNIT;
const INTERVALS = (HI - LO) * PER_UNIT;
const INV_SQRT_2PI = 0.3989422804014327;

/** Cubic coefficients (c0 + c1·t + c2·t² + c3·t³, t ∈ [0, 1)) of each interval, 4 per interval. */
function hermite(f: (x: number) => number, df: (x: number) => number): Float64Array {
  const c = new Float64Array(4 * INTERVALS);
  for (let i = 0; i < INTERVALS; i++) {
    const x0 = LO + i * H;
    const x1 = x0 + H;
    const f0 = f(x0), f1 = f(x1), d0 = df(x0) * H, d1 = df(x1) * H;
    c[4 * i] = f0;
    c[4 * i + 1] = d0;
    c[4 * i + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
    c[4 * i + 3] = 2 * (f0 - f1) + d0 + d1;
  }
  return c;
}

const pdf = (x: number) => INV_SQRT_2PI * Math.exp(-0.5 * x * x);
const cdf = (x: number) => 0.5 * (1 + erf(x * Math.SQRT1_2));
/** Φ on the knots' intervals. */
export const PHI_TABLE: Float64Array = hermite(cdf, pdf);
/** φ on the knots' intervals. */
export const PDF_TABLE: Float64Array = hermite(pdf, (x) => -x * pdf(x));

/** Φ(a) outside [−4, 4] (and anywhere, slower): the erfc fit, no cancellation for a < 0. */
export function phiTail(a: number): number {
  const x = a * Math.SQRT1_2;
  const z = x < 0 ? -x : x;
  // Numerical Recipes "erfcc": erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2).
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * expF32(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                  t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
                                  t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x < 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
}

/** out[oo + i] = gelu(x[ox + i·sx]) for i < w. */
export function geluRowF32(
  x: TypedArray,
  ox: number,
  sx: number,
  out: TypedArray,
  oo: number,
  w: number,
): void {
  const P = PHI_TABLE;
  for (let i = 0; i < w; i++) {
    const a = x[ox + i * sx];
    const u = (a - LO) * PER_UNIT;
    if (u >= 0 && u < INTERVALS) {
      const k = u | 0;
      const t = u - k;
      const j = 4 * k;
      out[oo + i] = a * (P[j] + t * (P[j + 1] + t * (P[j + 2] + t * P[j + 3])));
    } else out[oo + i] = a * phiTail(a);
  }
}

/** out[oo + i] = dy · gelu'(x) with x = x[ox + i·sx], dy = y[oy + i·sy]. */
export function geluGradRowF32(
  x: TypedArray,
  ox: number,
  sx: number,
  y: TypedArray,
  oy: number,
  sy: number,
  out: TypedArray,
  oo: number,
  w: number,
): void {
  const P = PHI_TABLE;
  const D = PDF_TABLE;
  for (let i = 0; i < w; i++) {
    const a = x[ox + i * sx];
    const u = (a - LO) * PER_UNIT;
    let g: number;
    if (u >= 0 && u < INTERVALS) {
      const k = u | 0;
      const t = u - k;
      const j = 4 * k;
      g = P[j] + t * (P[j + 1] + t * (P[j + 2] + t * P[j + 3])) +
        a * (D[j] + t * (D[j + 1] + t * (D[j + 2] + t * D[j + 3])));
    } else g = phiTail(a) + a * INV_SQRT_2PI * expF32(-0.5 * a * a);
    out[oo + i] = y[oy + i * sy] * g;
  }
}
