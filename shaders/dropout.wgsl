// Inverted dropout with a counter-based mask (the same hash as src/core/random.ts `hashU32`):
// element i is kept when hash(seed ^ hash(i)) ≥ threshold (= p·2³²), and scaled by 1/(1−p).
struct Params {
  n: u32,
  seed: u32,
  threshold: u32,
  scale: f32,
  first: u32, // index of element 0 of this chunk in the whole tensor (the mask is by whole index)
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;

fn hash_u32(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.n) {
    return;
  }
  let keep = hash_u32(P.seed ^ hash_u32(P.first + i)) >= P.threshold;
  y[i] = select(0.0, x[i] * P.scale, keep);
}
