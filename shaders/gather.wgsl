// Embedding rows. Entry `gather_rows`: out[i, h] = table[ids[i], h] (zeros for an id out of range).
// Entry `segment_sum_rows`: out[uniq[u], h] = Σ_{j in [starts[u], starts[u+1])} dy[order[j], h],
// one invocation per (segment, h), so no two invocations write the same element.
struct Params {
  rows: u32,
  width: u32,
  vocab: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read> ids: array<i32>;
@group(0) @binding(4) var<storage, read> starts: array<i32>;
@group(0) @binding(5) var<storage, read> uniq: array<i32>;

@compute @workgroup_size(256)
fn gather_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.rows * P.width) {
    return;
  }
  let r = i / P.width;
  let h = i % P.width;
  let v = ids[r];
  if (v < 0 || u32(v) >= P.vocab) {
    out[i] = 0.0;
  } else {
    out[i] = src[u32(v) * P.width + h];
  }
}

// For segment_sum_rows, P.rows holds the number of segments; `ids` is the position order.
@compute @workgroup_size(256)
fn segment_sum_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                    @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.rows * P.width) {
    return;
  }
  let u = i / P.width;
  let h = i % P.width;
  var acc = 0.0;
  for (var j = u32(starts[u]); j < u32(starts[u + 1u]); j++) {
    acc += src[u32(ids[j]) * P.width + h];
  }
  out[u32(uniq[u]) * P.width + h] = acc;
}
