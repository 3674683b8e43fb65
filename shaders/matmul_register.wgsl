// matmul_register.wgsl: batched C = epilogue(op(A) . op(B) + bias) (+ C), tuned for software
// WebGPU adapters (Mesa llvmpipe/lavapipe, SwiftShader). No workgroup memory, no barriers.
//
// Why this shape: llvmpipe runs SIMD_WIDTH invocations in the lanes of one CPU vector. A storage
// load whose address differs between lanes becomes a scalar loop over the lanes (slow); a load whose
// address is provably the same for the whole workgroup (derived only from workgroup_id, uniforms and
// uniform loop counters) is a single scalar load + broadcast (cheap). So each workgroup owns a block
// of TM output rows, and every A element is fetched with a workgroup-uniform address; the lanes
// span output columns, and each invocation keeps TM x (4 * V) accumulators so that every divergent
// B load (one vec4 = 4 columns) feeds TM FMAs. Loops are unrolled textually (`//#for`), because
// llvmpipe does not unroll them and dynamically indexed private arrays are ~10x slower.
//
// Template (expanded by expandWgslTemplate in src/backend/webgpu/kernels/matmul_plan.ts):
//   {{TM}}   rows of C per workgroup (= per invocation), integer >= 1
//   {{V}}    vec4 column groups per invocation (4 * V columns), integer >= 1
//   {{WGX}}  invocations per workgroup (all along the columns)
//   Flags (`//#if FLAG` / `//#else` / `//#endif`, exactly one flag is true among the B_* ones):
//   B_N4     B is [k, n] with n, B's row pitch and batch/head strides % 4 == 0: one vec4 = 4 columns
//   B_K4     B is [n, k] (transB) with k, row pitch and strides % 4 == 0: vec4 loads along k
//   B_SCALAR any other layout: scalar loads with the strides in the uniforms
//   C_VEC    n, C's row pitch and batch/head strides % 4 == 0: C (and bias) read/written as vec4
//   BIAS     add bias[col] (binding 4)
//   GELU     apply exact-erf GELU after the bias (erf.wgsl is appended to this text)
//   SAVE_PRE also store the value before GELU (binding 5, laid out like C): GELU's backward input
//   ACCUMULATE  C = C + result instead of C = result
//   F16      mixed precision (needs shader-f16): A and B values are rounded to f16 and multiplied
//            in f16; the sums stay f32 (so do storage and the epilogue)
//   Unrolling: lines between `//#for i 0 COUNT` and `//#endfor` are repeated with {{i}} = 0..COUNT-1
//   (COUNT is a number or one of the constants above).
//
// Bindings: 0 = A (read), 1 = B (read), 2 = C (read_write), 3 = MatmulParams (uniform), 4 = bias,
// 5 = PRE (read_write).
// Dispatch: x = ceil(n / (4 * V * WGX)); the (row block, batch) pairs are numbered
// t = rowBlock + rowBlocks * batchIndex and spread over y and z: t = wid.y + wid.z * dispatchY.
// The batch index splits as bi = outer * heads + head; A is addressed as outer * aBatchStride +
// head * aHeadStride + row * aRowStride + k * aKStride (so transA is just strides); B (scalar mode)
// likewise with k * bKStride + col * bColStride; C rows are cRowStride apart. Results are scaled by
// alpha before the bias.

//#if F16
enable f16;
alias S = f16;
/// One multiply-accumulate step: f16 products, f32 sums.
fn mac(a: vec4<S>, b: vec4<S>, acc: vec4<f32>) -> vec4<f32> {
  return acc + vec4<f32>(a * b);
}
//#else
alias S = f32;
/// One multiply-accumulate step.
fn mac(a: vec4<S>, b: vec4<S>, acc: vec4<f32>) -> vec4<f32> {
  return fma(a, b, acc);
}
//#endif

struct MatmulParams {
  m: u32,
  n: u32,
  k: u32,
  batch: u32,
  aBatchStride: u32,
  bBatchStride: u32,
  aRowStride: u32,
  aKStride: u32,
  bKStride: u32,
  bColStride: u32,
  rowBlocks: u32,
  dispatchY: u32,
  // Batch index bi = outer * heads + head (attention heads read in place: src/ops/head_matmul.ts).
  heads: u32,
  aHeadStride: u32,
  bHeadStride: u32,
  cBatchStride: u32,
  cHeadStride: u32,
  cRowStride: u32,
  alpha: f32,
  pad0: u32,
}

@group(0) @binding(0) var<storage, read> A: array<f32>;
//#if B_SCALAR
@group(0) @binding(1) var<storage, read> B: array<f32>;
//#else
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
//#endif
//#if C_VEC
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;
//#else
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
//#endif
@group(0) @binding(3) var<uniform> p: MatmulParams;
//#if BIAS
//#if C_VEC
@group(0) @binding(4) var<storage, read> BIAS: array<vec4<f32>>;
//#else
@group(0) @binding(4) var<storage, read> BIAS: array<f32>;
//#endif
//#endif
//#if SAVE_PRE
//#if C_VEC
@group(0) @binding(5) var<storage, read_write> PRE: array<vec4<f32>>;
//#else
@group(0) @binding(5) var<storage, read_write> PRE: array<f32>;
//#endif
//#endif

//#if C_VEC
/// Applies the epilogue to 4 consecutive columns and stores them at C[idx] (vec4 index).
fn finish(idx: u32, x: vec4<f32>, bias: vec4<f32>) {
  var y = x * p.alpha + bias;
  //#if SAVE_PRE
  PRE[idx] = y;
  //#endif
  //#if GELU
  y = gelu_erf_v4(y);
  //#endif
  //#if ACCUMULATE
  y = y + C[idx];
  //#endif
  C[idx] = y;
}
//#else
/// Applies the epilogue to one element and stores it at C[idx].
fn finish(idx: u32, x: f32, bias: f32) {
  var y = x * p.alpha + bias;
  //#if SAVE_PRE
  PRE[idx] = y;
  //#endif
  //#if GELU
  y = gelu_erf(y);
  //#endif
  //#if ACCUMULATE
  y = y + C[idx];
  //#endif
  C[idx] = y;
}
//#endif

@compute @workgroup_size({{WGX}})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = wid.y + wid.z * p.dispatchY;
  if (t >= p.rowBlocks * p.batch) {
    return;
  }
  let bi = t / p.rowBlocks;
  let row0 = (t - bi * p.rowBlocks) * {{TM}}u;
  // First of the 4 * V output columns of this invocation.
  let col0 = (wid.x * {{WGX}}u + lid.x) * (4u * {{V}}u);
  let lastRow = p.m - 1u;
  let lastCol = p.n - 1u;
  let bo = bi / p.heads;
  let bh = bi - bo * p.heads;
  let aBase = bo * p.aBatchStride + bh * p.aHeadStride;
  let bBase = bo * p.bBatchStride + bh * p.bHeadStride;
  let cBase = bo * p.cBatchStride + bh * p.cHeadStride;

  // Row offsets into A. Rows past m are clamped (their results are never stored), which keeps
  // every load in bounds and workgroup-uniform.
  //#for i 0 TM
  let aRow{{i}} = aBase + min(row0 + {{i}}u, lastRow) * p.aRowStride;
  //#endfor

  //#for i 0 TM
  //#for v 0 V
  var acc{{i}}_{{v}} = vec4<f32>(0.0);
  //#endfor
  //#endfor

  //#if B_N4
  // B is [k, n]: the vec4 at (k, col0 + 4v) holds 4 adjacent columns. Columns past n are clamped.
  let n4 = p.n / 4u;
  let bPitch4 = p.bKStride / 4u;
  //#for v 0 V
  let bCol{{v}} = min(col0 / 4u + {{v}}u, n4 - 1u);
  //#endfor
  var bRow = bBase / 4u;
  var aK = 0u;
  for (var kk = 0u; kk < p.k; kk++) {
    //#for v 0 V
    let b{{v}} = vec4<S>(B[bRow + bCol{{v}}]);
    //#endfor
    //#for i 0 TM
    let a{{i}} = vec4<S>(S(A[aRow{{i}} + aK]));
    //#for v 0 V
    acc{{i}}_{{v}} = mac(a{{i}}, b{{v}}, acc{{i}}_{{v}});
    //#endfor
    //#endfor
    bRow += bPitch4;
    aK += p.aKStride;
  }
  //#endif

  //#if B_K4
  // B is [n, k] (transB): each of the 4 * V columns is a run of k / 4 vec4s along k; one step of
  // the loop consumes 4 values of k and transposes the 4 x 4 blocks in registers.
  let k4 = p.k / 4u;
  let bPitch4 = p.bColStride / 4u;
  //#for v 0 V
  //#for j 0 4
  let bCol{{v}}_{{j}} = bBase / 4u + min(col0 + {{v}}u * 4u + {{j}}u, lastCol) * bPitch4;
  //#endfor
  //#endfor
  for (var kq = 0u; kq < k4; kq++) {
    //#for v 0 V
    //#for j 0 4
    let b{{v}}_{{j}} = vec4<S>(B[bCol{{v}}_{{j}} + kq]);
    //#endfor
    //#endfor
    //#for q 0 4
    let aK{{q}} = (kq * 4u + {{q}}u) * p.aKStride;
    //#for v 0 V
    let bq{{q}}_{{v}} = vec4<S>(b{{v}}_0[{{q}}], b{{v}}_1[{{q}}], b{{v}}_2[{{q}}], b{{v}}_3[{{q}}]);
    //#endfor
    //#for i 0 TM
    let a{{i}}_{{q}} = vec4<S>(S(A[aRow{{i}} + aK{{q}}]));
    //#for v 0 V
    acc{{i}}_{{v}} = mac(a{{i}}_{{q}}, bq{{q}}_{{v}}, acc{{i}}_{{v}});
    //#endfor
    //#endfor
    //#endfor
  }
  //#endif

  //#if B_SCALAR
  // Any layout: 4 scalar loads per vec4 of columns, addressed with the uniform strides.
  //#for v 0 V
  //#for j 0 4
  let bCol{{v}}_{{j}} = bBase + min(col0 + {{v}}u * 4u + {{j}}u, lastCol) * p.bColStride;
  //#endfor
  //#endfor
  var bK = 0u;
  var aK = 0u;
  for (var kk = 0u; kk < p.k; kk++) {
    //#for v 0 V
    let b{{v}} = vec4<S>(vec4<f32>(B[bCol{{v}}_0 + bK], B[bCol{{v}}_1 + bK], B[bCol{{v}}_2 + bK], B[bCol{{v}}_3 + bK]));
    //#endfor
    //#for i 0 TM
    let a{{i}} = vec4<S>(S(A[aRow{{i}} + aK]));
    //#for v 0 V
    acc{{i}}_{{v}} = mac(a{{i}}, b{{v}}, acc{{i}}_{{v}});
    //#endfor
    //#endfor
    bK += p.bKStride;
    aK += p.aKStride;
  }
  //#endif

  // Epilogue: bias, GELU, accumulate, guarded stores.
  //#if C_VEC
  let n4c = p.n / 4u;
  //#for v 0 V
  let cCol{{v}} = col0 / 4u + {{v}}u;
  //#if BIAS
  let bias{{v}} = BIAS[min(cCol{{v}}, n4c - 1u)];
  //#else
  let bias{{v}} = vec4<f32>(0.0);
  //#endif
  //#endfor
  //#for i 0 TM
  if (row0 + {{i}}u < p.m) {
    let cRow = (cBase + (row0 + {{i}}u) * p.cRowStride) / 4u;
    //#for v 0 V
    if (cCol{{v}} < n4c) {
      finish(cRow + cCol{{v}}, acc{{i}}_{{v}}, bias{{v}});
    }
    //#endfor
  }
  //#endfor
  //#else
  //#for v 0 V
  //#for j 0 4
  let cCol{{v}}_{{j}} = col0 + {{v}}u * 4u + {{j}}u;
  //#if BIAS
  let bias{{v}}_{{j}} = BIAS[min(cCol{{v}}_{{j}}, lastCol)];
  //#else
  let bias{{v}}_{{j}} = 0.0;
  //#endif
  //#endfor
  //#endfor
  //#for i 0 TM
  if (row0 + {{i}}u < p.m) {
    let cRow = cBase + (row0 + {{i}}u) * p.cRowStride;
    //#for v 0 V
    //#for j 0 4
    if (cCol{{v}}_{{j}} < p.n) {
      finish(cRow + cCol{{v}}_{{j}}, acc{{i}}_{{v}}[{{j}}], bias{{v}}_{{j}});
    }
    //#endfor
    //#endfor
  }
  //#endfor
  //#endif
}
