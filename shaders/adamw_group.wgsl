// AdamW over a group of {{G}} parameters in one dispatch (the arithmetic of adamw.wgsl):
//   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p − (lr / bc1) · m / (√v / √bc2 + eps)
// Parameter k has its own bindings (p, m, v, grad at 2 + 4k … 5 + 4k) and a row of the table:
// (length in T elements, first workgroup, decay 1 or 0). The workgroups of parameter k follow those
// of k − 1, so every workgroup updates one parameter and the `switch` below is uniform across it.
// h = [lr, β1, β2, eps, wd, bc1, bc2, scale] as in adamw.wgsl; wd applies where decay is 1.
// Template: {{G}} parameters (unrolled with //#for), {{T}} f32 or vec4<f32> (all lengths % 4 == 0),
// BINDINGS (the slot below) the declarations of p, m, v (read_write) and grad (read), per k.
alias T = {{T}};

struct Params {
  count: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
  table: array<vec4<u32>, {{G}}>,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let w = wg.y * nwg.x + wg.x;
  // The parameter of this workgroup: the last k whose first workgroup is ≤ w (table is sorted).
  var k = 0u;
  for (var q = 1u; q < {{G}}u; q++) {
    if (w >= P.table[q].y) {
      k = q;
    }
  }
  let row = P.table[k];
  let i = (w - row.y) * 256u + li;
  if (i >= row.x) {
    return;
  }
  let lr = h[0];
  let b1 = h[1];
  let b2 = h[2];
  let eps = h[3];
  let wd = h[4] * f32(row.z);
  let scale = h[7];
  switch k {
    //#for k 0 G
    case {{k}}u: {
      let g = grad{{k}}[i] * scale;
      let mi = b1 * m{{k}}[i] + (1.0 - b1) * g;
      let vi = b2 * v{{k}}[i] + (1.0 - b2) * g * g;
      m{{k}}[i] = mi;
      v{{k}}[i] = vi;
      p{{k}}[i] = p{{k}}[i] * (1.0 - lr * wd) - (lr / h[5]) * mi / (sqrt(vi) / sqrt(h[6]) + eps);
    }
    //#endfor
    default: {}
  }
}
