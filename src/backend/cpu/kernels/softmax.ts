/**
 * CPU kernels of softmax / log-softmax over the last axis with a broadcast additive mask
 * (src/ops/softmax.ts): `softmax` and `softmax_grad`.
 *
 * Each row is one pass to add the mask and find the max, one to exponentiate and sum, one to
 * scale; the masked, shifted values and their exponentials live in a float64 scratch row reused
 * across calls, so every exponential is computed once and only the final value is rounded.
 * Masked entries (−3.4e38) skip V8's very slow underflow path of `Math.exp` (see fast_math.ts).
 *
 * `softmax` also takes an optional `rowOffset` attribute: x and y are then rows rowOffset.. of the
 * whole tensor (a worker's share, see `softmaxSplits`), and only the mask is indexed by the global
 * row.
 *
 * The float32 softmax runs in WebAssembly (../wasm_passes.ts, copying), in place on tensors of
 * the WebAssembly heap (../wasm_inplace.ts: the same code, so the same results). The float32
 * `softmax_grad` (not log) of heap tensors runs in place in WebAssembly too
 * (wasm/softmax_grad.as.ts: the same float64 sums in the same order, so the TypeScript loop's
 * bits).
 * @module
 */
import type { SoftmaxAttrs } from "../../../core/kernel_contract.ts";
import { expExact, expF32, expNonPositive } from "./fast_math.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { type CpuSplits, rowSplit } from "../split_parts.ts";
import type { TypedArray } from "../../../core/dtype.ts";
import { wasmPasses } from "../wasm_passes.ts";
import { inplaceFor, inplaceScratch, memoryOf } from "../wasm_inplace.ts";

/** Offset of row `r`'s mask under the row shape and the mask's strides. */
export function maskRowOffset(r: number, rowShape: number[], strides: number[]): number {
  let off = 0;
  for (let d = rowShape.length - 1; d >= 0; d--) {
    const idx = r % rowShape[d];
    r = (r - idx) / rowShape[d];
    off += idx * strides[d];
  }
  return off;
}

let scratch = new Float64Array(256);

/** A float64 row of at least `n` elements, reused between calls (kernels run one at a time). */
function scratchRow(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

let maskRows = new Int32Array(256);

/**
 * Runs the float32 softmax in WebAssembly (../wasm_passes.ts) when it can: not log, float32, the
 * mask's columns contiguous, rows of at least 16 (shorter ones gain nothing over the copies).
 */
function softmaxWasm(
  x: TypedArray,
  mask: TypedArray,
  y: TypedArray,
  a: SoftmaxAttrs,
  rowOffset: number,
) {
  const { rows, cols, hasMask } = a;
  if (a.log || cols < 16 || !(x instanceof Float32Array) || !(y instanceof Float32Array)) {
    return false;
  }
  if (hasMask && (a.maskColStride !== 1 || !(mask instanceof Float32Array))) return false;
  const m = hasMask ? mask as Float32Array : null;
  if (softmaxInplace(x, m, y, a, rowOffset)) return true;
  const w = wasmPasses();
  if (!w) return false;
  if (hasMask) {
    if (maskRows.length < rows) maskRows = new Int32Array(Math.max(rows, 2 * maskRows.length));
    for (let r = 0; r < rows; r++) {
      maskRows[r] = maskRowOffset(rowOffset + r, a.rowShape, a.maskStrides);
    }
  }
  w.softmax(x, hasMask ? mask as Float32Array : null, hasMask ? maskRows : null, rows, cols, y);
  return true;
}

/**
 * The same WebAssembly softmax in place (../wasm_inplace.ts) when x, y (and the mask) are on the
 * WebAssembly heap: no copies; its row offsets and 16 bytes of scratch in this thread's scratch.
 */
function softmaxInplace(
  x: Float32Array,
  mask: Float32Array | null,
  y: Float32Array,
  a: SoftmaxAttrs,
  rowOffset: number,
): boolean {
  const wasm = mask ? inplaceFor(x, mask, y) : inplaceFor(x, y);
  const memory = wasm ? memoryOf(x)! : null;
  const scratch = memory && inplaceScratch(memory, 16 + 4 * a.rows);
  if (!wasm || !memory || scratch === null) return false;
  const { rows, cols } = a;
  if (mask) {
    const offsets = new Int32Array(memory.buffer, scratch + 16, rows);
    for (let r = 0; r < rows; r++) {
      offsets[r] = 4 * maskRowOffset(rowOffset + r, a.rowShape, a.maskStrides);
    }
  }
  const [mp, rp] = mask ? [mask.byteOffset, scratch + 16] : [0, 0];
  wasm.softmax(x.byteOffset, mp, rp, rows, cols, y.byteOffset, scratch);
  return true;
}

const softmax: CpuKernel<"softmax"> = ([x, mask], [y], attrs) => {
  const a = attrs;
  const { rows, cols, hasMask, maskColStride: ms, log } = a;
  const rowOffset = (attrs.rowOffset as number | undefined) ?? 0;
  if (softmaxWasm(x, mask, y, a, rowOffset)) return;
  const t = scratchRow(cols);
  const f32 = y instanceof Float32Array;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let mx = -Infinity;
    if (hasMask) {
      const mo = maskRowOffset(rowOffset + r, a.rowShape, a.maskStrides);
      for (let c = 0; c < cols; c++) {
        const v = x[base + c] + mask[mo + c * ms];
        t[c] = v;
        if (v > mx) mx = v;
      }
    } else {
      for (let c = 0; c < cols; c++) {
        const v = x[base + c];
        t[c] = v;
        if (v > mx) mx = v;
      }
    }
    let s = 0;
    if (log) {
      for (let c = 0; c < cols; c++) s += f32 ? expF32(t[c] - mx) : expExact(t[c] - mx);
      const lse = mx + Math.log(s);
      for (let c = 0; c < cols; c++) y[base + c] = t[c] - lse;
    } else {
      if (f32) {
        // e^d·(1/s) with d < −104 and s ≥ 1 is below float32's least subnormal: exactly 0
        // after rounding, so skip the exponential (and its range checks) there. Two sums: one
        // chain of float adds would wait on itself.
        let s1 = 0;
        let c = 0;
        for (; c + 1 < cols; c += 2) {
          const d0 = t[c] - mx;
          const d1 = t[c + 1] - mx;
          const e0 = d0 < -104 ? 0 : expNonPositive(d0);
          const e1 = d1 < -104 ? 0 : expNonPositive(d1);
          t[c] = e0;
          t[c + 1] = e1;
          s += e0;
          s1 += e1;
        }
        if (c < cols) {
          const d = t[c] - mx;
          const e = d < -104 ? 0 : expNonPositive(d);
          t[c] = e;
          s += e;
        }
        s += s1;
      } else {
        for (let c = 0; c < cols; c++) {
          const e = expExact(t[c] - mx);
          t[c] = e;
          s += e;
        }
      }
      const inv = 1 / s;
      for (let c = 0; c < cols; c++) y[base + c] = t[c] * inv;
    }
  }
};

const softmaxGrad: CpuKernel<"softmax_grad"> = ([y, dy], [dx], attrs) => {
  const { rows, cols, log } = attrs;
  const f32 = y instanceof Float32Array && dy instanceof Float32Array && dx instanceof Float32Array;
  const wasm = f32 && !log ? inplaceFor(y, dy, dx) : null;
  if (wasm) {
    wasm.softmaxGrad(y.byteOffset, dy.byteOffset, dx.byteOffset, rows, cols);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    if (log) {
      for (let c = 0; c < cols; c++) s += dy[base + c];
      for (let c = 0; c < cols; c++) dx[base + c] = dy[base + c] - Math.exp(y[base + c]) * s;
    } else {
      // Two partial dot products: one chain of float adds would wait on itself.
      let s1 = 0;
      const end = base + cols;
      let i = base;
      for (; i + 1 < end; i += 2) {
        s += dy[i] * y[i];
        s1 += dy[i + 1] * y[i + 1];
      }
      if (i < end) s += dy[i] * y[i];
      s += s1;
      for (let c = 0; c < cols; c++) dx[base + c] = y[base + c] * (dy[base + c] - s);
    }
  }
};

/** Softmax kernels by name. */
export const softmaxKernels: CpuKernels<"softmax" | "softmax_grad"> = {
  softmax,
  softmax_grad: softmaxGrad,
};

/**
 * Softmax kernels split by rows (../split_parts.ts `rowSplit`): x, y, dy and dx by rows, the mask
 * read whole (indexed by the global row through `rowOffset`).
 */
export const softmaxSplits: CpuSplits<"softmax" | "softmax_grad"> = {
  softmax: rowSplit("softmax", 32768, { inputs: ["c", 0], outputs: ["c"] }),
  softmax_grad: rowSplit("softmax_grad", 65536, { inputs: ["c", "c"], outputs: ["c"] }),
};
