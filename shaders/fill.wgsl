// Fills a buffer with one value (given as raw bits so f32 and i32 share the shader).
// {{T}} is u32, or vec4<u32> when the length is a multiple of 4 (16-byte stores).
alias T = {{T}};
struct Params {
  n: u32,
  bits: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<T>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i < P.n) {
    out[i] = T(P.bits);
  }
}
