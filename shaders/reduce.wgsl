// Reductions over the middle axis of an [outer, r, inner] view, written to out[out_offset + i].
// Template slots (src/backend/webgpu/kernels/reduce.ts): INIT (identity), COMBINE (acc, v) → acc,
// LOAD (v from x[j]: x[j] or x[j]*x[j] for a sum of squares).
// Entry `main`: one invocation per output element (many outputs, e.g. bias gradients).
// Entry `wide`: one workgroup of 256 invocations per output element, each summing a strided slice,
// then a tree in workgroup memory (few outputs over long rows, e.g. a whole tensor's sum: one
// invocation alone would walk millions of elements).
struct Params {
  outer: u32,
  r: u32,
  inner: u32,
  out_offset: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;

fn load(j: u32) -> f32 {
  let v = x[j];
  return {{LOAD}};
}

fn combine(acc: f32, v: f32) -> f32 {
  return {{COMBINE}};
}

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
  // Four accumulators: shorter dependency chains, and a summation order closer to pairwise.
  var a0 = {{INIT}};
  var a1 = {{INIT}};
  var a2 = {{INIT}};
  var a3 = {{INIT}};
  var j = 0u;
  for (; j + 4u <= P.r; j += 4u) {
    a0 = combine(a0, load(base));
    a1 = combine(a1, load(base + P.inner));
    a2 = combine(a2, load(base + 2u * P.inner));
    a3 = combine(a3, load(base + 3u * P.inner));
    base += 4u * P.inner;
  }
  for (; j < P.r; j++) {
    a0 = combine(a0, load(base));
    base += P.inner;
  }
  out[P.out_offset + i] = combine(combine(a0, a1), combine(a2, a3));
}

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256)
fn wide(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = wg.y * nwg.x + wg.x; // output element (uniform across the workgroup)
  let valid = i < P.outer * P.inner;
  var acc = {{INIT}};
  if (valid) {
    let o = i / P.inner;
    let c = i % P.inner;
    let base = o * P.r * P.inner + c;
    for (var j = li; j < P.r; j += 256u) {
      acc = combine(acc, load(base + j * P.inner));
    }
  }
  partial[li] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (li < s) {
      partial[li] = combine(partial[li], partial[li + s]);
    }
    workgroupBarrier();
  }
  if (valid && li == 0u) {
    out[P.out_offset + i] = partial[0];
  }
}
