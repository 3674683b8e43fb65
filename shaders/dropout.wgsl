// Inverted dropout with a counter-based mask (hash_u32 of hash.wgsl, appended to this text):
// element i is kept when hash(seed ^ hash(i)) ≥ threshold (= p·2³²), and scaled by 1/(1−p).
// {{T}}/{{U}}/{{W}}/{{LANES}}: f32/u32/1u/0u, or, when the length is a multiple of 4, vec4<f32>/
// vec4<u32>/4u/vec4<u32>(0u, 1u, 2u, 3u): each invocation then handles 4 consecutive elements with
// 16-byte loads and stores (on software adapters a per-lane load costs the same for 4 or 16 bytes).
alias T = {{T}};
alias U = {{U}};
struct Params {
  n: u32,
  seed: u32,
  threshold: u32,
  scale: f32,
  first: u32, // index of element 0 of this chunk in the whole tensor (the mask is by whole index)
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> y: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.n) {
    return;
  }
  let index = U(P.first + i * {{W}}) + {{LANES}};
  let keep = hash_u32(U(P.seed) ^ hash_u32(index)) >= U(P.threshold);
  y[i] = select(T(0.0), x[i] * P.scale, keep);
}
