// Softmax / log-softmax over rows of length `cols`, one invocation per row.
// Entry `softmax`: y = softmax(x + mask) where the mask row is found from the row index through
// the broadcast strides of the leading dims (so [B,1,1,T] serves [B,h,T,T] without a copy).
// Entry `softmax_grad`: dx = y·(dy − Σ dy·y), or for log-softmax dx = dy − exp(y)·Σ dy.
// Template slot slot LOG: `true` for log-softmax.
struct Params {
  rows: u32,
  cols: u32,
  rank: u32, // leading dims of x
  has_mask: u32,
  mask_col_stride: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
  row_shape: array<vec4<u32>, 2>,
  mask_strides: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> m: array<f32>;

fn mask_row(r0: u32) -> u32 {
  var r = r0;
  var off = 0u;
  for (var d = i32(P.rank) - 1; d >= 0; d--) {
    let dim = P.row_shape[d / 4][d % 4];
    let idx = r % dim;
    r = r / dim;
    off += idx * P.mask_strides[d / 4][d % 4];
  }
  return off;
}

@compute @workgroup_size(64)
fn softmax(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) li: u32) {
  let r = (wg.y * nwg.x + wg.x) * 64u + li;
  if (r >= P.rows) {
    return;
  }
  let base = r * P.cols;
  var mo = 0u;
  if (P.has_mask != 0u) {
    mo = mask_row(r);
  }
  var mx = -3.402823e38;
  for (var c = 0u; c < P.cols; c++) {
    var v = x[base + c];
    if (P.has_mask != 0u) {
      v += m[mo + c * P.mask_col_stride];
    }
    mx = max(mx, v);
  }
  var s = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    var v = x[base + c];
    if (P.has_mask != 0u) {
      v += m[mo + c * P.mask_col_stride];
    }
    let e = exp(v - mx);
    s += e;
    if (!{{LOG}}) {
      y[base + c] = e;
    }
  }
  if ({{LOG}}) {
    let lse = mx + log(s);
    for (var c = 0u; c < P.cols; c++) {
      var v = x[base + c];
      if (P.has_mask != 0u) {
        v += m[mo + c * P.mask_col_stride];
      }
      y[base + c] = v - lse;
    }
  } else {
    let inv = 1.0 / s;
    for (var c = 0u; c < P.cols; c++) {
      y[base + c] *= inv;
    }
  }
}

// For softmax_grad the bindings are: 1 = dx (out), 2 = y, 3 = dy.
@compute @workgroup_size(64)
fn softmax_grad(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) li: u32) {
  let r = (wg.y * nwg.x + wg.x) * 64u + li;
  if (r >= P.rows) {
    return;
  }
  let base = r * P.cols;
  var s = 0.0;
  for (var c = 0u; c < P.cols; c++) {
    if ({{LOG}}) {
      s += m[base + c];
    } else {
      s += m[base + c] * x[base + c];
    }
  }
  for (var c = 0u; c < P.cols; c++) {
    if ({{LOG}}) {
      y[base + c] = m[base + c] - exp(x[base + c]) * s;
    } else {
      y[base + c] = x[base + c] * (m[base + c] - s);
    }
  }
}
