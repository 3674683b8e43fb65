// Fused layer norm over rows of length `cols`.
// Entry `layer_norm` (one invocation per row): y = (x − mean)·rstd·γ + β; also writes mean, rstd.
// Entry `layer_norm_grad` (one per row): dx = rstd·(dŷ − mean(dŷ) − x̂·mean(dŷ·x̂)), dŷ = dy·γ.
// Entry `layer_norm_grad_params` (one per column): dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.
// Entry `residual_layer_norm` (one per row): s = dropout(x) + residual, then `layer_norm` of s;
// also writes s (the backward's input). The dropout mask is dropout.wgsl's, by element index
// (hash_u32 of hash.wgsl is appended to this text); threshold 0 and scale 1 mean no dropout.
alias U = u32;

struct Params {
  rows: u32,
  cols: u32,
  eps: f32,
  seed: u32,
  threshold: u32,
  scale: f32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>; // y | dx | dγ
@group(0) @binding(2) var<storage, read_write> out1: array<f32>; // mean | dβ
@group(0) @binding(3) var<storage, read_write> out2: array<f32>; // rstd
@group(0) @binding(4) var<storage, read> in0: array<f32>; // x | dy | dy
@group(0) @binding(5) var<storage, read> in1: array<f32>; // γ | x | x
@group(0) @binding(6) var<storage, read> in2: array<f32>; // β | γ | mean
@group(0) @binding(7) var<storage, read> in3: array<f32>; // - | mean | rstd
@group(0) @binding(8) var<storage, read> in4: array<f32>; // - | rstd | -
@group(0) @binding(9) var<storage, read_write> out3: array<f32>; // residual_layer_norm's s

fn flat_id(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
  return (wg.y * nwg.x + wg.x) * 64u + li;
}

@compute @workgroup_size(64)
fn layer_norm(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
  let r = flat_id(wg, nwg, li);
  if (r >= P.rows) {
    return;
  }
  let base = r * P.cols;
  var s = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    s += in0[base + c];
  }
  let mean = s / f32(P.cols);
  var v = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    let d = in0[base + c] - mean;
    v += d * d;
  }
  let rstd = inverseSqrt(v / f32(P.cols) + P.eps);
  out1[r] = mean;
  out2[r] = rstd;
  for (var c = 0u; c < P.cols; c++) {
    out0[base + c] = (in0[base + c] - mean) * rstd * in1[c] + in2[c];
  }
}

@compute @workgroup_size(64)
fn residual_layer_norm(@builtin(workgroup_id) wg: vec3<u32>,
                       @builtin(num_workgroups) nwg: vec3<u32>,
                       @builtin(local_invocation_index) li: u32) {
  let r = flat_id(wg, nwg, li);
  if (r >= P.rows) {
    return;
  }
  let base = r * P.cols;
  var s = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    let keep = hash_u32(P.seed ^ hash_u32(base + c)) >= P.threshold;
    let x = select(0.0, in0[base + c] * P.scale, keep) + in3[base + c];
    out3[base + c] = x;
    s += x;
  }
  let mean = s / f32(P.cols);
  var v = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    let d = out3[base + c] - mean;
    v += d * d;
  }
  let rstd = inverseSqrt(v / f32(P.cols) + P.eps);
  out1[r] = mean;
  out2[r] = rstd;
  for (var c = 0u; c < P.cols; c++) {
    out0[base + c] = (out3[base + c] - mean) * rstd * in1[c] + in2[c];
  }
}

@compute @workgroup_size(64)
fn layer_norm_grad(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                   @builtin(local_invocation_index) li: u32) {
  let r = flat_id(wg, nwg, li);
  if (r >= P.rows) {
    return;
  }
  let base = r * P.cols;
  let mean = in3[r];
  let rstd = in4[r];
  var s1 = 0.0;
  var s2 = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    let dh = in0[base + c] * in2[c];
    s1 += dh;
    s2 += dh * (in1[base + c] - mean) * rstd;
  }
  s1 /= f32(P.cols);
  s2 /= f32(P.cols);
  for (var c = 0u; c < P.cols; c++) {
    let xh = (in1[base + c] - mean) * rstd;
    out0[base + c] = rstd * (in0[base + c] * in2[c] - s1 - xh * s2);
  }
}

@compute @workgroup_size(64)
fn layer_norm_grad_params(@builtin(workgroup_id) wg: vec3<u32>,
                          @builtin(num_workgroups) nwg: vec3<u32>,
                          @builtin(local_invocation_index) li: u32) {
  let c = flat_id(wg, nwg, li);
  if (c >= P.cols) {
    return;
  }
  var dg = 0.0;
  var db = 0.0;
  for (var r = 0u; r < P.rows; r++) {
    let dy = in0[r * P.cols + c];
    dg += dy * (in1[r * P.cols + c] - in2[r]) * in3[r];
    db += dy;
  }
  out0[c] = dg;
  out1[c] = db;
}
