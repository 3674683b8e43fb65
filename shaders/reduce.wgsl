// Sum or max over the middle axis of an [outer, r, inner] view: one invocation per output element.
// Template slots INIT, COMBINE4, FOLD, COMBINE1 select sum or max (src/backend/webgpu/kernels/reduce.ts).
struct Params {
  outer: u32,
  r: u32,
  inner: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.outer * P.inner) {
    return;
  }
  let o = i / P.inner;
  let c = i % P.inner;
  var base = o * P.r * P.inner + c;
  // Four independent accumulators: shorter dependency chains, and a sum order closer to pairwise.
  var acc = vec4<f32>({{INIT}});
  var j = 0u;
  for (; j + 4u <= P.r; j += 4u) {
    let v = vec4<f32>(x[base], x[base + P.inner], x[base + 2u * P.inner], x[base + 3u * P.inner]);
    acc = {{COMBINE4}};
    base += 4u * P.inner;
  }
  var total = {{FOLD}};
  for (; j < P.r; j++) {
    total = {{COMBINE1}};
    base += P.inner;
  }
  out[i] = total;
}
