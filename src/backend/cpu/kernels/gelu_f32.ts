/**
 * Exact (erf) GELU and its gradient for float32 outputs, fast: Φ (the normal CDF) and
 * gelu′ = Φ + x·φ are read from piecewise-cubic Hermite tables on [−4, 4] (values and slopes from
 * the double-precision erf of src/core/erf.ts). Φ has knots every 1/32 (absolute error < 1e-8,
 * and gelu = x·Φ keeps that error relative to x near 0); gelu′ has knots every 1/64 (absolute
 * error < 5e-10 — its fourth derivative is larger). Float32 rounding of values near 1 is 6e-8.
 * Outside [−4, 4], Φ comes from Numerical Recipes' erfc fit (fractional error < 1.2e-7, the same
 * approximation as shaders/erf.wgsl), evaluated in double with no cancellation in the left tail.
 * Float64 mode keeps the op's own exact erf.
 *
 * Speed: one table lookup (four coefficients, one cubic) per element in both directions; a
 * contiguous loop without stride arithmetic for the common unbroadcast case; the rare elements
 * outside the tables are finished after the loop.
 *
 * Contiguous rows of tensors on the WebAssembly heap run in place in WebAssembly
 * (../wasm_inplace.ts): the same tables, pairs and tail formulas in float64, so the same bits.
 * @module
 */
import { erf } from "../../../core/erf.ts";
import type { TypedArray } from "../../../core/dtype.ts";
import { expF32 } from "./fast_math.ts";
import { inplaceFor, inplaceTable, memoryOf } from "../wasm_inplace.ts";

const LO = -4;
const HI = 4;
/** Knots per unit of the Φ table and of the gelu′ table. */
const PHI_PER_UNIT = 32;
const GRAD_PER_UNIT = 64;
const PHI_INTERVALS = (HI - LO) * PHI_PER_UNIT;
const GRAD_INTERVALS = (HI - LO) * GRAD_PER_UNIT;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Cubic coefficients (c0 + c1·t + c2·t² + c3·t³, t ∈ [0, 1)) of each of `intervals` intervals of
 * width 1/perUnit from LO, 4 per interval, from the values and derivatives at the knots.
 */
function hermite(
  f: (x: number) => number,
  df: (x: number) => number,
  perUnit: number,
  intervals: number,
): Float64Array {
  const h = 1 / perUnit;
  const c = new Float64Array(4 * intervals);
  for (let i = 0; i < intervals; i++) {
    const x0 = LO + i * h;
    const x1 = x0 + h;
    const f0 = f(x0), f1 = f(x1), d0 = df(x0) * h, d1 = df(x1) * h;
    c[4 * i] = f0;
    c[4 * i + 1] = d0;
    c[4 * i + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
    c[4 * i + 3] = 2 * (f0 - f1) + d0 + d1;
  }
  return c;
}

const pdf = (x: number) => INV_SQRT_2PI * Math.exp(-0.5 * x * x);
const cdf = (x: number) => 0.5 * (1 + erf(x * Math.SQRT1_2));
/** Φ on the knots' intervals (1/32 apart). */
export const PHI_TABLE: Float64Array = hermite(cdf, pdf, PHI_PER_UNIT, PHI_INTERVALS);
/** gelu′ = Φ + x·φ on the knots' intervals (1/64 apart); its derivative is φ·(2 − x²). */
export const GELU_GRAD_TABLE: Float64Array = hermite(
  (x) => cdf(x) + x * pdf(x),
  (x) => pdf(x) * (2 - x * x),
  GRAD_PER_UNIT,
  GRAD_INTERVALS,
);

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

/** gelu′(a) outside [−4, 4]: Φ from the tail fit plus a·φ(a). */
function geluGradTail(a: number): number {
  return phiTail(a) + a * INV_SQRT_2PI * expF32(-0.5 * a * a);
}

/** Elements per chunk of the hot loops: the outliers of one chunk are finished before the next. */
const CHUNK = 4096;

/**
 * Positions of the current chunk's elements outside the tables, filled by the hot loops and
 * finished after each chunk: with the tail formulas inlined into the loops, V8 allocates
 * registers for them and the common path runs at half speed. Kernels run one at a time.
 */
const outliers = new Int32Array(CHUNK);

/** GELU of a contiguous row in place in WebAssembly; false when not all on the heap. */
function inplaceGelu(x: TypedArray, ox: number, out: TypedArray, oo: number, w: number): boolean {
  if (!(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const wasm = inplaceFor(x, out);
  const tab = wasm && inplaceTable(memoryOf(x)!, PHI_TABLE);
  if (!wasm || tab === null) return false;
  wasm.gelu(x.byteOffset + 4 * ox, out.byteOffset + 4 * oo, w, tab);
  return true;
}

/** GELU's gradient of a contiguous row in place in WebAssembly; false when not all on the heap. */
function inplaceGeluGrad(
  x: TypedArray,
  ox: number,
  y: TypedArray,
  oy: number,
  out: TypedArray,
  oo: number,
  w: number,
): boolean {
  const f32 = x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array;
  const wasm = f32 ? inplaceFor(x, y, out) : null;
  const tab = wasm && inplaceTable(memoryOf(x)!, GELU_GRAD_TABLE);
  if (!wasm || tab === null) return false;
  wasm.geluGrad(x.byteOffset + 4 * ox, y.byteOffset + 4 * oy, out.byteOffset + 4 * oo, w, tab);
  return true;
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
  if (sx === 1 && inplaceGelu(x, ox, out, oo, w)) return;
  // Indexing from 0 is markedly faster in V8 than from an offset: re-base the arrays instead.
  if (ox !== 0) x = x.subarray(ox);
  if (oo !== 0) out = out.subarray(oo);
  const P = PHI_TABLE;
  const far = outliers;
  for (let from = 0; from < w; from += CHUNK) {
    const to = from + CHUNK < w ? from + CHUNK : w;
    let nFar = 0;
    // A NaN fails both range checks and goes to the tail, which returns NaN as the expression
    // does.
    if (sx === 1) {
      // Two elements per iteration (V8 does not unroll); a pair with an outlier goes to the tail.
      let i = from;
      for (; i + 1 < to; i += 2) {
        const a = x[i];
        const b = x[i + 1];
        const u = (a - LO) * PHI_PER_UNIT;
        const v = (b - LO) * PHI_PER_UNIT;
        if (u >= 0 && u < PHI_INTERVALS && v >= 0 && v < PHI_INTERVALS) {
          const k = u | 0;
          const l = v | 0;
          const t = u - k;
          const q = v - l;
          const j = k << 2;
          const m = l << 2;
          out[i] = a * (P[j] + t * (P[j + 1] + t * (P[j + 2] + t * P[j + 3])));
          out[i + 1] = b * (P[m] + q * (P[m + 1] + q * (P[m + 2] + q * P[m + 3])));
        } else {
          far[nFar++] = i;
          far[nFar++] = i + 1;
        }
      }
      if (i < to) far[nFar++] = i;
    } else {
      for (let i = from; i < to; i++) {
        const a = x[i * sx];
        const u = (a - LO) * PHI_PER_UNIT;
        if (u >= 0 && u < PHI_INTERVALS) {
          const k = u | 0;
          const t = u - k;
          const j = k << 2;
          out[i] = a * (P[j] + t * (P[j + 1] + t * (P[j + 2] + t * P[j + 3])));
        } else far[nFar++] = i;
      }
    }
    for (let f = 0; f < nFar; f++) {
      const i = far[f];
      const a = x[i * sx];
      out[i] = a * phiTail(a);
    }
  }
}

/** out[oo + i] = dy · gelu′(x) with x = x[ox + i·sx], dy = y[oy + i·sy]. */
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
  if (sx === 1 && sy === 1 && inplaceGeluGrad(x, ox, y, oy, out, oo, w)) return;
  if (ox !== 0) x = x.subarray(ox);
  if (oy !== 0) y = y.subarray(oy);
  if (oo !== 0) out = out.subarray(oo);
  const G = GELU_GRAD_TABLE;
  const far = outliers;
  for (let from = 0; from < w; from += CHUNK) {
    const to = from + CHUNK < w ? from + CHUNK : w;
    let nFar = 0;
    if (sx === 1 && sy === 1) {
      let i = from;
      for (; i + 1 < to; i += 2) {
        const a = x[i];
        const b = x[i + 1];
        const u = (a - LO) * GRAD_PER_UNIT;
        const v = (b - LO) * GRAD_PER_UNIT;
        if (u >= 0 && u < GRAD_INTERVALS && v >= 0 && v < GRAD_INTERVALS) {
          const k = u | 0;
          const l = v | 0;
          const t = u - k;
          const q = v - l;
          const j = k << 2;
          const m = l << 2;
          out[i] = y[i] * (G[j] + t * (G[j + 1] + t * (G[j + 2] + t * G[j + 3])));
          out[i + 1] = y[i + 1] * (G[m] + q * (G[m + 1] + q * (G[m + 2] + q * G[m + 3])));
        } else {
          far[nFar++] = i;
          far[nFar++] = i + 1;
        }
      }
      if (i < to) far[nFar++] = i;
    } else {
      for (let i = from; i < to; i++) {
        const a = x[i * sx];
        const u = (a - LO) * GRAD_PER_UNIT;
        if (u >= 0 && u < GRAD_INTERVALS) {
          const k = u | 0;
          const t = u - k;
          const j = k << 2;
          out[i] = y[i * sy] * (G[j] + t * (G[j + 1] + t * (G[j + 2] + t * G[j + 3])));
        } else far[nFar++] = i;
      }
    }
    for (let f = 0; f < nFar; f++) {
      const i = far[f];
      out[i] = y[i * sy] * geluGradTail(x[i * sx]);
    }
  }
}
