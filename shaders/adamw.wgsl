// One fused AdamW step (PyTorch's torch.optim.AdamW arithmetic), in place on param, m and v:
//   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p − (lr / bc1) · m / (√v / √bc2 + eps)
// The hyper-parameters come from a small storage buffer written once per step, so a changing
// learning rate neither recompiles nor creates uniforms. h = [lr, β1, β2, eps, wd, bc1, bc2, scale]
// where `scale` multiplies the gradient (gradient clipping's factor, computed on the device).
// {{T}} is f32, or vec4<f32> when the length is a multiple of 4: each invocation then moves 16
// bytes per array (on software adapters a per-lane load costs the same for 4 or 16 bytes).
alias T = {{T}};

struct Params {
  n: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> param: array<T>;
@group(0) @binding(2) var<storage, read_write> m: array<T>;
@group(0) @binding(3) var<storage, read_write> v: array<T>;
@group(0) @binding(4) var<storage, read> grad: array<T>;
@group(0) @binding(5) var<storage, read> h: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * 256u + li;
  if (i >= P.n) {
    return;
  }
  let lr = h[0];
  let b1 = h[1];
  let b2 = h[2];
  let eps = h[3];
  let wd = h[4];
  let g = grad[i] * h[7];
  var p = param[i] * (1.0 - lr * wd);
  let mi = b1 * m[i] + (1.0 - b1) * g;
  let vi = b2 * v[i] + (1.0 - b2) * g * g;
  m[i] = mi;
  v[i] = vi;
  p -= (lr / h[5]) * mi / (sqrt(vi) / sqrt(h[6]) + eps);
  param[i] = p;
}
