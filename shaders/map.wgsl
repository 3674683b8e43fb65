// Element-wise map with NumPy broadcasting: out[i] = EXPR(a, b, c, p).
// Template slots, filled by src/backend/webgpu/kernels/elementwise.ts:
//   slot OUT     output scalar type (f32 or i32)
//   slot INPUTS  declarations `@group(0) @binding(2 + j) var<storage, read> inJ: array<T>;`
//   slot ELEM    element type of out and of the inputs: T, or vec4<T> in the flat vec4 variant
//   slot BODY    loads, the op's expression of a, b, c and the params p (vec4<f32>), and the store
//                of out[i]; the flat vec4 variant (length a multiple of 4) evaluates the
//                expression once per component of 16-byte loads (cheaper on software adapters,
//                where every per-lane load is a scalar loop over the lanes whatever its width)
//   slot PRELUDE helper functions the expression calls (e.g. erf)
// Shapes travel in the uniforms, so one pipeline serves every shape of an op.
struct Params {
  n: u32,
  rank: u32,
  pad0: u32,
  pad1: u32,
  p: vec4<f32>,
  shape: array<vec4<u32>, 2>,
  strides: array<vec4<u32>, 6>, // input j, dim d at [j * 2 + d / 4][d % 4]
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<{{ELEM}}>;
{{INPUTS}}

{{PRELUDE}}

// Offset of flat output index i in input j (its broadcast strides).
fn offset_of(i: u32, j: u32) -> u32 {
  var rem = i;
  var off = 0u;
  for (var d = i32(P.rank) - 1; d >= 0; d--) {
    let dim = P.shape[d / 4][d % 4];
    let idx = rem % dim;
    rem = rem / dim;
    off += idx * P.strides[j * 2u + u32(d) / 4u][d % 4];
  }
  return off;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.n) {
    return;
  }
  let p = P.p;
  _ = p;
  {{BODY}}
}
