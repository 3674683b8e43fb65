// erf.wgsl: exact-erf GELU building blocks for WGSL (which has no erf builtin).
//
// How to use: this file has no bindings and no entry point. A consumer appends its text to its own
// shader source (`code = kernelSrc + "\n" + erfSrc`; WGSL lets module-scope functions be declared
// after their use) and calls the functions below. matmul_plan.ts does this when epilogue = "gelu".
//
// Accuracy (checked against a float64 reference in test/backend/matmul_plan_test.ts): max absolute
// error of erf_f32 below 1e-6 over the whole real line (measured ~2e-7 on lavapipe).
// Method:
//  * |x| < 0.5: odd Maclaurin series of erf truncated after x^11; the first dropped term is
//    < 2e-8 there, and the series keeps full relative precision near 0 (1 - erfc would cancel).
//  * otherwise: erf = 1 - erfc(|x|) (sign restored), with the Chebyshev-fitted erfc of Numerical
//    Recipes (2nd ed., sec. 6.2, "erfcc"): erfc(z) = t * exp(-z^2 + P(t)), t = 1 / (1 + z / 2),
//    fractional error < 1.2e-7 for all z >= 0. Absolute erf error is therefore < 1.2e-7 * erfc(z)
//    plus float32 rounding.
// exp() of a very negative argument underflows to 0, which gives erf = +-1 exactly: correct in f32.

const ERF_TWO_OVER_SQRT_PI: f32 = 1.1283791670955126;
const GELU_INV_SQRT2: f32 = 0.7071067811865476;

/// erf(x) for a vec4, lane-wise (both branches are evaluated; select picks one, no divergence).
fn erf_v4(x: vec4<f32>) -> vec4<f32> {
  let z = abs(x);
  // Small |x|: x * (c0 + c1 x^2 + ... + c5 x^10), c_n = (-1)^n / (n! (2n + 1)) * 2 / sqrt(pi).
  let x2 = x * x;
  let series = x * ERF_TWO_OVER_SQRT_PI * (1.0 + x2 * (-0.3333333333333333 + x2 * (0.1 +
    x2 * (-0.023809523809523808 + x2 * (0.004629629629629629 + x2 * (-0.0007575757575757576))))));
  // Large |x|: Numerical Recipes erfcc.
  let t = 1.0 / (1.0 + 0.5 * z);
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277))))))));
  let erfc = t * exp(poly - z * z);
  let tail = sign(x) * (1.0 - erfc);
  return select(tail, series, z < vec4<f32>(0.5));
}

/// erf(x) for one f32.
fn erf_f32(x: f32) -> f32 {
  return erf_v4(vec4<f32>(x)).x;
}

/// Exact GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), lane-wise.
fn gelu_erf_v4(x: vec4<f32>) -> vec4<f32> {
  return 0.5 * x * (1.0 + erf_v4(x * GELU_INV_SQRT2));
}

/// Exact GELU for one f32.
fn gelu_erf(x: f32) -> f32 {
  return gelu_erf_v4(vec4<f32>(x)).x;
}
