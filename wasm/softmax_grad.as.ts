/**
 * The softmax gradient in place (`softmax_grad` of src/backend/cpu/kernels/softmax.ts, not log),
 * imported by inplace.as.ts: per row s = Σ dy·y as the kernel's two partial sums (elements 0, 2,
 * 4, … and 1, 3, 5, …: the two float64 lanes, an odd last element to the first), then
 * dx = y·(dy − s). Same float64 operations in the same order: the TypeScript kernel's bits.
 */

import { ld2, st2 } from "./f32_lanes.as";

/** dx = y·(dy − Σ dy·y) over each of `rows` rows of `cols` floats. */
export function softmaxGrad(y: usize, dy: usize, dx: usize, rows: usize, cols: usize): void {
  for (let r: usize = 0; r < rows; r++) {
    const o = (r * cols) << 2;
    let acc = f64x2.splat(0);
    let c: usize = 0;
    for (; c + 2 <= cols; c += 2) {
      const p = o + (c << 2);
      acc = f64x2.add(acc, f64x2.mul(ld2(dy + p), ld2(y + p)));
    }
    let s = f64x2.extract_lane(acc, 0);
    if (c < cols) {
      const p = o + (c << 2);
      s += <f64>load<f32>(dy + p) * <f64>load<f32>(y + p);
    }
    s += f64x2.extract_lane(acc, 1);
    const vs = f64x2.splat(s);
    for (c = 0; c + 2 <= cols; c += 2) {
      const p = o + (c << 2);
      st2(dx + p, f64x2.mul(ld2(y + p), f64x2.sub(ld2(dy + p), vs)));
    }
    if (c < cols) {
      const p = o + (c << 2);
      store<f32>(dx + p, <f32>(<f64>load<f32>(y + p) * (<f64>load<f32>(dy + p) - s)));
    }
  }
}
