/**
 * The CPU backend's element-wise and row passes in AssemblyScript with 128-bit SIMD (compiled by
 * `deno task build:wasm` into passes.wasm, which is committed; src/backend/cpu/wasm_passes.ts
 * loads it). The caller copies the operands into this module's memory and the results out.
 *
 * softmax: per row, y = e^(v - max v) / sum, v = x + mask. The exponential is a float32 polynomial
 * (Cephes' expf) of x − max rounded to float32, the sums kept in float64: within 1e-7 absolute
 * and 2e-6 relative of the TypeScript kernel (which computes in float64 and rounds once). Each
 * row is computed alone, so any split of the rows across threads gives the same bits.
 */

import { softmaxRows } from "./softmax_rows.as";

/** First free byte, 64-aligned: the caller places operands from here. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** 16 bytes of static scratch for partial vectors. */
const LANES: usize = memory.data(16, 16);

/**
 * Softmax over each of `rows` rows of `cols` floats at `x` (byte address) into `y` (may equal x):
 * softmax_rows.as.ts's code with this module's static scratch. `mask`: byte address of the masks
 * and `maskRows` of one byte offset per row into them (both 0 for no mask); a row's mask is `cols`
 * contiguous floats.
 */
export function softmax(
  x: usize,
  mask: usize,
  maskRows: usize,
  rows: i32,
  cols: i32,
  y: usize,
): void {
  softmaxRows(x, mask, maskRows, rows, cols, y, LANES);
}
