/**
 * The softmax row code that wasm/passes.as.ts (which owns its memory) and wasm/inplace.as.ts
 * (which runs on the CPU backend's imported shared memory) both compile: imported by each, so the
 * logic lives once. Each caller passes its 16 bytes of scratch for partial vectors as `lanes`
 * (passes.as.ts: static data; inplace.as.ts: the calling thread's scratch, since that module has
 * no static data). See passes.as.ts for the arithmetic and its accuracy.
 */

/**
 * e^x lane-wise for x ≤ 0; 0 below −87.3 (where e^x is below float32's least normal and the
 * softmax's 1/sum ≤ 1 would only shrink it further).
 */
// @ts-ignore: decorator
@inline function expNonPositive(x: v128): v128 {
  const tiny = f32x4.lt(x, f32x4.splat(-87.3));
  // t = x·log2(e) + 1.5·2^23 + 127 rounds to an integer whose low mantissa bits are n + 127:
  // n without a float-to-int conversion, and 2^n by shifting those bits into the exponent.
  const magic = f32x4.splat(12583039.0);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(t, 23);
  return v128.andnot(f32x4.mul(e, scale), tiny);
}

/**
 * x + mask for the `count` < 4 columns from column `at` as one vector (other lanes −inf), built in
 * the 16 bytes at `lanes`.
 */
function loadTail(x: usize, mask: usize, at: i32, count: i32, lanes: usize): v128 {
  for (let i = 0; i < 4; i++) {
    const o = <usize>(at + i) * 4;
    const s = i < count ? load<f32>(x + o) + (mask ? load<f32>(mask + o) : <f32>0) : -Infinity;
    store<f32>(lanes + <usize>i * 4, s);
  }
  return v128.load(lanes);
}

/**
 * Softmax over each of `rows` rows of `cols` floats at `x` (byte address) into `y` (may equal x),
 * with 16 bytes of scratch at `lanes`. `mask`: byte address of the masks and `maskRows` of one
 * byte offset per row into them (both 0 for no mask); a row's mask is `cols` contiguous floats.
 */
export function softmaxRows(
  x: usize,
  mask: usize,
  maskRows: usize,
  rows: i32,
  cols: i32,
  y: usize,
  lanes: usize,
): void {
  const full = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * <usize>cols * 4, yr = y + <usize>r * <usize>cols * 4;
    const mr = mask ? mask + <usize>load<i32>(maskRows + <usize>r * 4) : 0;
    // pmax (b < a ? a : b) is one maxps; max's NaN and signed-zero rules cost several
    // instructions on a chain. No NaN comes in from a finite forward pass; a NaN row's result
    // is NaN either way (it reaches the sum).
    let mx = f32x4.splat(-Infinity), mx1 = mx;
    let c = 0;
    for (; c + 8 <= full; c += 8) {
      let v = v128.load(xr + <usize>c * 4), w = v128.load(xr + <usize>c * 4, 16);
      if (mr) {
        v = f32x4.add(v, v128.load(mr + <usize>c * 4));
        w = f32x4.add(w, v128.load(mr + <usize>c * 4, 16));
      }
      mx = f32x4.pmax(mx, v);
      mx1 = f32x4.pmax(mx1, w);
    }
    for (; c < full; c += 4) {
      let v = v128.load(xr + <usize>c * 4);
      if (mr) v = f32x4.add(v, v128.load(mr + <usize>c * 4));
      mx = f32x4.pmax(mx, v);
    }
    mx = f32x4.pmax(mx, mx1);
    if (full < cols) mx = f32x4.pmax(mx, loadTail(xr, mr, full, cols - full, lanes));
    mx = f32x4.pmax(mx, v128.shuffle<f32>(mx, mx, 2, 3, 0, 1));
    mx = f32x4.pmax(mx, v128.shuffle<f32>(mx, mx, 1, 0, 3, 2));
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    for (c = 0; c < full; c += 4) {
      let v = v128.load(xr + <usize>c * 4);
      if (mr) v = f32x4.add(v, v128.load(mr + <usize>c * 4));
      const e = expNonPositive(f32x4.sub(v, mx));
      v128.store(yr + <usize>c * 4, e);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
    }
    let sum: f64 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) +
      (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
    if (full < cols) {
      v128.store(lanes, expNonPositive(f32x4.sub(loadTail(xr, mr, full, cols - full, lanes), mx)));
      for (let i = 0; i < cols - full; i++) {
        const e = load<f32>(lanes + <usize>i * 4);
        store<f32>(yr + <usize>(full + i) * 4, e);
        sum += <f64>e;
      }
    }
    const inv = f32x4.splat(<f32>(1 / sum));
    for (c = 0; c < full; c += 4) {
      v128.store(yr + <usize>c * 4, f32x4.mul(v128.load(yr + <usize>c * 4), inv));
    }
    for (c = full; c < cols; c++) {
      store<f32>(yr + <usize>c * 4, load<f32>(yr + <usize>c * 4) * f32x4.extract_lane(inv, 0));
    }
  }
}
