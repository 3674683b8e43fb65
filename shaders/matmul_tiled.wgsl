// matmul_tiled.wgsl: batched C = epilogue(op(A) . op(B) + bias) (+ C) for real GPUs: classic
// workgroup-memory tiling. A 16 x 16 workgroup computes a TILE x TILE block of C, each invocation
// RT x RT outputs (rows ty + 16 i, columns tx + 16 j, so that neighbouring invocations touch
// neighbouring columns of the B tile and of C). Each step stages a TILE x BK slice of A and a
// BK x TILE slice of B in workgroup memory with coalesced, bounds-guarded loads (zero padding).
// Correct on any adapter; on llvmpipe it is slow (barriers and workgroup memory are emulated), so
// matmul_plan.ts uses matmul_register.wgsl there.
//
// Template (expanded by expandWgslTemplate in src/backend/webgpu/kernels/matmul_plan.ts):
//   {{TILE}}   rows and columns of C per workgroup (= 16 * RT)
//   {{RT}}     rows and columns per invocation
//   {{BK}}     k values staged per step (TILE * BK must be a multiple of 256)
//   {{LOADS}}  TILE * BK / 256: elements of each tile loaded by one invocation
//   Flags (`//#if FLAG` / `//#else` / `//#endif`):
//   TRANS_A    A is [k, m] per batch (only changes how invocations split the tile load, so that
//              neighbouring invocations read neighbouring addresses); strides come from uniforms
//   TRANS_B    B is [n, k] per batch (same remark)
//   BIAS, GELU, SAVE_PRE, ACCUMULATE, F16: as in matmul_register.wgsl (erf.wgsl is appended for GELU); with
//              F16 the staged tiles are f16 (half the workgroup memory and its traffic)
//   Unrolling: `//#for i 0 COUNT` ... `//#endfor` repeats lines with {{i}} = 0..COUNT-1.
//
// Bindings: 0 = A (read), 1 = B (read), 2 = C (read_write), 3 = MatmulParams (uniform), 4 = bias.
// Dispatch: x = ceil(n / TILE); t = rowBlock + rowBlocks * batchIndex = wid.y + wid.z * dispatchY.

//#if F16
enable f16;
alias S = f16;
/// One multiply-accumulate step: f16 product, f32 sum.
fn mac(a: S, b: S, acc: f32) -> f32 {
  return acc + f32(a * b);
}
//#else
alias S = f32;
/// One multiply-accumulate step.
fn mac(a: S, b: S, acc: f32) -> f32 {
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
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
@group(0) @binding(3) var<uniform> p: MatmulParams;
//#if BIAS
@group(0) @binding(4) var<storage, read> BIAS: array<f32>;
//#endif
//#if SAVE_PRE
@group(0) @binding(5) var<storage, read_write> PRE: array<f32>;
//#endif

const TILE: u32 = {{TILE}}u;
const BK: u32 = {{BK}}u;
// Row stride of the staged tiles, padded by one so that the invocations storing one k-column of
// a tile (consecutive kk, same r) hit different memory banks.
const TS: u32 = TILE + 1u;
// As[kk * TS + r] = A(row0 + r, k0 + kk); Bs[kk * TS + c] = B(k0 + kk, col0 + c).
var<workgroup> As: array<S, TS * BK>;
var<workgroup> Bs: array<S, TS * BK>;

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

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
) {
  let t = wid.y + wid.z * p.dispatchY;
  if (t >= p.rowBlocks * p.batch) {
    return;
  }
  let bi = t / p.rowBlocks;
  let row0 = (t - bi * p.rowBlocks) * TILE;
  let col0 = wid.x * TILE;
  let bo = bi / p.heads;
  let bh = bi - bo * p.heads;
  let aBase = bo * p.aBatchStride + bh * p.aHeadStride;
  let bBase = bo * p.bBatchStride + bh * p.bHeadStride;
  let cBase = bo * p.cBatchStride + bh * p.cHeadStride;

  //#for i 0 RT
  //#for j 0 RT
  var acc{{i}}_{{j}} = 0.0;
  //#endfor
  //#endfor

  for (var k0 = 0u; k0 < p.k; k0 += BK) {
    //#for l 0 LOADS
    {
      let e = {{l}}u * 256u + lidx;
      //#if TRANS_A
      let r = e % TILE;
      let kk = e / TILE;
      //#else
      let r = e / BK;
      let kk = e % BK;
      //#endif
      let gr = row0 + r;
      let gk = k0 + kk;
      var v = 0.0;
      if (gr < p.m && gk < p.k) {
        v = A[aBase + gr * p.aRowStride + gk * p.aKStride];
      }
      As[kk * TS + r] = S(v);
    }
    {
      let e = {{l}}u * 256u + lidx;
      //#if TRANS_B
      let c = e / BK;
      let kk = e % BK;
      //#else
      let c = e % TILE;
      let kk = e / TILE;
      //#endif
      let gc = col0 + c;
      let gk = k0 + kk;
      var v = 0.0;
      if (gc < p.n && gk < p.k) {
        v = B[bBase + gk * p.bKStride + gc * p.bColStride];
      }
      Bs[kk * TS + c] = S(v);
    }
    //#endfor
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let base = kk * TS;
      //#for i 0 RT
      let a{{i}} = As[base + lid.y + {{i}}u * 16u];
      //#endfor
      //#for j 0 RT
      let b{{j}} = Bs[base + lid.x + {{j}}u * 16u];
      //#endfor
      //#for i 0 RT
      //#for j 0 RT
      acc{{i}}_{{j}} = mac(a{{i}}, b{{j}}, acc{{i}}_{{j}});
      //#endfor
      //#endfor
    }
    workgroupBarrier();
  }

  //#for j 0 RT
  let cCol{{j}} = col0 + lid.x + {{j}}u * 16u;
  //#if BIAS
  let bias{{j}} = BIAS[min(cCol{{j}}, p.n - 1u)];
  //#else
  let bias{{j}} = 0.0;
  //#endif
  //#endfor
  //#for i 0 RT
  {
    let row = row0 + lid.y + {{i}}u * 16u;
    if (row < p.m) {
      //#for j 0 RT
      if (cCol{{j}} < p.n) {
        finish(cBase + row * p.cRowStride + cCol{{j}}, acc{{i}}_{{j}}, bias{{j}});
      }
      //#endfor
    }
  }
  //#endfor
}
