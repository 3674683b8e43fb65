// Fused cross-entropy with ignore_index, one invocation per row of `cols` logits.
// Entry `cross_entropy`: loss[r] = logsumexp(x[r]) − x[r, t[r]] (0 when t[r] is ignored).
// Entry `cross_entropy_grad`: dx[r] = (softmax(x[r]) − onehot(t[r]))·scale (0 when ignored).
struct Params {
  rows: u32,
  cols: u32,
  ignore_index: i32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> t: array<i32>;
@group(0) @binding(4) var<storage, read> scale: array<f32>;

fn row_id(wg: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
  return (wg.y * nwg.x + wg.x) * 64u + li;
}

fn lse(base: u32) -> f32 {
  var mx = -3.402823e38;
  for (var c = 0u; c < P.cols; c++) {
    mx = max(mx, x[base + c]);
  }
  var s = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    s += exp(x[base + c] - mx);
  }
  return mx + log(s);
}

fn ignored(tgt: i32) -> bool {
  return tgt == P.ignore_index || tgt < 0 || u32(tgt) >= P.cols;
}

@compute @workgroup_size(64)
fn cross_entropy(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                 @builtin(local_invocation_index) li: u32) {
  let r = row_id(wg, nwg, li);
  if (r >= P.rows) {
    return;
  }
  let tgt = t[r];
  if (ignored(tgt)) {
    out[r] = 0.0;
    return;
  }
  out[r] = lse(r * P.cols) - x[r * P.cols + u32(tgt)];
}

@compute @workgroup_size(64)
fn cross_entropy_grad(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                      @builtin(local_invocation_index) li: u32) {
  let r = row_id(wg, nwg, li);
  if (r >= P.rows) {
    return;
  }
  let base = r * P.cols;
  let tgt = t[r];
  if (ignored(tgt)) {
    for (var c = 0u; c < P.cols; c++) {
      out[base + c] = 0.0;
    }
    return;
  }
  let l = lse(base);
  let s = scale[0];
  for (var c = 0u; c < P.cols; c++) {
    let onehot = select(0.0, 1.0, c == u32(tgt));
    out[base + c] = (exp(x[base + c] - l) - onehot) * s;
  }
}
