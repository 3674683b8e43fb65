// Copies between a contiguous buffer and a strided view (shape, strides, offset) of another.
// Template slot slot BODY: `dst[i] = src[off]` (gather: strided_copy) or `dst[off] = src[i]`
// (scatter: strided_scatter). slot T: element type.
struct Params {
  n: u32,
  rank: u32,
  offset: u32,
  pad: u32,
  shape: array<vec4<u32>, 2>,
  strides: array<vec4<u32>, 2>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<{{T}}>;
@group(0) @binding(2) var<storage, read> src: array<{{T}}>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.n) {
    return;
  }
  var rem = i;
  var off = P.offset;
  for (var d = i32(P.rank) - 1; d >= 0; d--) {
    let dim = P.shape[d / 4][d % 4];
    let idx = rem % dim;
    rem = rem / dim;
    off += idx * P.strides[d / 4][d % 4];
  }
  {{BODY}};
}
