/**
 * CPU kernels of element-wise ops: `map` (src/ops/map.ts: any expression, broadcasting) and `fill`.
 *
 * Speed: a generic loop calls the expression's JS function per element, and since one call site
 * sees every expression V8 cannot inline it (~20 ns an element). The expressions a training step
 * spends its element-wise time on (add/sub/mul/div, scalar add/mul, GELU and its gradient) have
 * hand-written loops here, picked by the expression's key; everything else takes the generic path.
 * Broadcasting walks the coalesced output as rows: an odometer over the outer dims gives each
 * input's row offset, and the innermost dim is a tight loop with constant strides.
 *
 * Contiguous float32 rows of +, −, ×, ÷ on the WebAssembly heap run in place in WebAssembly
 * (../wasm_inplace.ts), with the same bits.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { MapAttrs } from "../../../core/kernel_contract.ts";
import { geluGradRowF32, geluRowF32 } from "./gelu_f32.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { ALIGN, type CpuSplits, elementJobs, partsFor, splitPoints } from "../split_parts.ts";
import { inplaceFor } from "../wasm_inplace.ts";

type Arr = TypedArray;

/**
 * Applies the expression to one row of `w` elements: input j starts at offset oj and steps sj; the
 * output is contiguous from `oo`. Inputs that do not exist are passed as the output (never read).
 */
type RowFn = (
  x: Arr,
  ox: number,
  sx: number,
  y: Arr,
  oy: number,
  sy: number,
  z: Arr,
  oz: number,
  sz: number,
  out: Arr,
  oo: number,
  w: number,
  p: readonly number[],
) => void;

/**
 * Rows shorter than this keep their offsets; longer ones are re-based with `subarray` (an object
 * per array and row) so the loops index from 0, which V8 runs markedly faster (~1.1 vs ~1.9 ns an
 * element for a contiguous add).
 */
const REBASE_MIN = 32;

/** A binary row loop specialised on the stride pattern (contiguous, broadcast scalar, strided). */
function addRow(
  x: Arr,
  ox: number,
  sx: number,
  y: Arr,
  oy: number,
  sy: number,
  out: Arr,
  oo: number,
  w: number,
) {
  if (w < REBASE_MIN) {
    for (let i = 0; i < w; i++) out[oo + i] = x[ox + i * sx] + y[oy + i * sy];
    return;
  }
  if (ox !== 0) x = x.subarray(ox);
  if (oy !== 0) y = y.subarray(oy);
  if (oo !== 0) out = out.subarray(oo);
  if (sx === 1 && sy === 1) { for (let i = 0; i < w; i++) out[i] = x[i] + y[i]; }
  else if (sx === 1 && sy === 0) {
    const b = y[0];
    for (let i = 0; i < w; i++) out[i] = x[i] + b;
  } else if (sx === 0 && sy === 1) {
    const a = x[0];
    for (let i = 0; i < w; i++) out[i] = a + y[i];
  } else for (let i = 0; i < w; i++) out[i] = x[i * sx] + y[i * sy];
}

/** A binary row loop specialised on the stride pattern (contiguous, broadcast scalar, strided). */
function subRow(
  x: Arr,
  ox: number,
  sx: number,
  y: Arr,
  oy: number,
  sy: number,
  out: Arr,
  oo: number,
  w: number,
) {
  if (w < REBASE_MIN) {
    for (let i = 0; i < w; i++) out[oo + i] = x[ox + i * sx] - y[oy + i * sy];
    return;
  }
  if (ox !== 0) x = x.subarray(ox);
  if (oy !== 0) y = y.subarray(oy);
  if (oo !== 0) out = out.subarray(oo);
  if (sx === 1 && sy === 1) { for (let i = 0; i < w; i++) out[i] = x[i] - y[i]; }
  else if (sx === 1 && sy === 0) {
    const b = y[0];
    for (let i = 0; i < w; i++) out[i] = x[i] - b;
  } else if (sx === 0 && sy === 1) {
    const a = x[0];
    for (let i = 0; i < w; i++) out[i] = a - y[i];
  } else for (let i = 0; i < w; i++) out[i] = x[i * sx] - y[i * sy];
}

/** A binary row loop specialised on the stride pattern (contiguous, broadcast scalar, strided). */
function mulRow(
  x: Arr,
  ox: number,
  sx: number,
  y: Arr,
  oy: number,
  sy: number,
  out: Arr,
  oo: number,
  w: number,
) {
  if (w < REBASE_MIN) {
    for (let i = 0; i < w; i++) out[oo + i] = x[ox + i * sx] * y[oy + i * sy];
    return;
  }
  if (ox !== 0) x = x.subarray(ox);
  if (oy !== 0) y = y.subarray(oy);
  if (oo !== 0) out = out.subarray(oo);
  if (sx === 1 && sy === 1) { for (let i = 0; i < w; i++) out[i] = x[i] * y[i]; }
  else if (sx === 1 && sy === 0) {
    const b = y[0];
    for (let i = 0; i < w; i++) out[i] = x[i] * b;
  } else if (sx === 0 && sy === 1) {
    const a = x[0];
    for (let i = 0; i < w; i++) out[i] = a * y[i];
  } else for (let i = 0; i < w; i++) out[i] = x[i * sx] * y[i * sy];
}

/** A binary row loop specialised on the stride pattern (contiguous, broadcast scalar, strided). */
function divRow(
  x: Arr,
  ox: number,
  sx: number,
  y: Arr,
  oy: number,
  sy: number,
  out: Arr,
  oo: number,
  w: number,
) {
  if (w < REBASE_MIN) {
    for (let i = 0; i < w; i++) out[oo + i] = x[ox + i * sx] / y[oy + i * sy];
    return;
  }
  if (ox !== 0) x = x.subarray(ox);
  if (oy !== 0) y = y.subarray(oy);
  if (oo !== 0) out = out.subarray(oo);
  if (sx === 1 && sy === 1) { for (let i = 0; i < w; i++) out[i] = x[i] / y[i]; }
  else if (sx === 1 && sy === 0) {
    const b = y[0];
    for (let i = 0; i < w; i++) out[i] = x[i] / b;
  } else if (sx === 0 && sy === 1) {
    const a = x[0];
    for (let i = 0; i < w; i++) out[i] = a / y[i];
  } else for (let i = 0; i < w; i++) out[i] = x[i * sx] / y[i * sy];
}

/** out[oo + i] = x[ox + i·sx] · s. */
function mulScalarRow(x: Arr, ox: number, sx: number, out: Arr, oo: number, w: number, s: number) {
  if (w >= REBASE_MIN && sx === 1) {
    if (ox !== 0) x = x.subarray(ox);
    if (oo !== 0) out = out.subarray(oo);
    for (let i = 0; i < w; i++) out[i] = x[i] * s;
  } else for (let i = 0; i < w; i++) out[oo + i] = x[ox + i * sx] * s;
}

/** out[oo + i] = x[ox + i·sx] + s. */
function addScalarRow(x: Arr, ox: number, sx: number, out: Arr, oo: number, w: number, s: number) {
  if (w >= REBASE_MIN && sx === 1) {
    if (ox !== 0) x = x.subarray(ox);
    if (oo !== 0) out = out.subarray(oo);
    for (let i = 0; i < w; i++) out[i] = x[i] + s;
  } else for (let i = 0; i < w; i++) out[oo + i] = x[ox + i * sx] + s;
}

/**
 * A contiguous float32 row of op 0–3 (+ − × ÷) in place in WebAssembly (../wasm_inplace.ts: the
 * same bits); false when it is not one, or not all on the WebAssembly heap.
 */
function binaryInplace(
  op: number,
  x: Arr,
  ox: number,
  sx: number,
  y: Arr,
  oy: number,
  sy: number,
  out: Arr,
  oo: number,
  w: number,
): boolean {
  if (sx !== 1 || sy !== 1 || w < REBASE_MIN) return false;
  if (!(x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array)) {
    return false;
  }
  const wasm = inplaceFor(x, y, out);
  if (!wasm) return false;
  wasm.binary(op, x.byteOffset + 4 * ox, y.byteOffset + 4 * oy, out.byteOffset + 4 * oo, w);
  return true;
}

/** Row loops by expression key, for any float precision. */
const SPECIAL: Record<string, RowFn> = {
  add: (x, ox, sx, y, oy, sy, _z, _oz, _sz, out, oo, w) =>
    binaryInplace(0, x, ox, sx, y, oy, sy, out, oo, w) || addRow(x, ox, sx, y, oy, sy, out, oo, w),
  sub: (x, ox, sx, y, oy, sy, _z, _oz, _sz, out, oo, w) =>
    binaryInplace(1, x, ox, sx, y, oy, sy, out, oo, w) || subRow(x, ox, sx, y, oy, sy, out, oo, w),
  mul: (x, ox, sx, y, oy, sy, _z, _oz, _sz, out, oo, w) =>
    binaryInplace(2, x, ox, sx, y, oy, sy, out, oo, w) || mulRow(x, ox, sx, y, oy, sy, out, oo, w),
  div: (x, ox, sx, y, oy, sy, _z, _oz, _sz, out, oo, w) =>
    binaryInplace(3, x, ox, sx, y, oy, sy, out, oo, w) || divRow(x, ox, sx, y, oy, sy, out, oo, w),
  mul_scalar: (x, ox, sx, _y, _oy, _sy, _z, _oz, _sz, out, oo, w, p) =>
    mulScalarRow(x, ox, sx, out, oo, w, p[0]),
  add_scalar: (x, ox, sx, _y, _oy, _sy, _z, _oz, _sz, out, oo, w, p) =>
    addScalarRow(x, ox, sx, out, oo, w, p[0]),
};

/**
 * Row loops used only for float32 outputs: GELU with the float32-accurate erf (float64 mode keeps
 * the expression's exact erf, which the gradient checks need).
 */
const SPECIAL_F32: Record<string, RowFn> = {
  gelu: (x, ox, sx, _y, _oy, _sy, _z, _oz, _sz, out, oo, w) => geluRowF32(x, ox, sx, out, oo, w),
  gelu_grad: (x, ox, sx, y, oy, sy, _z, _oz, _sz, out, oo, w) =>
    geluGradRowF32(x, ox, sx, y, oy, sy, out, oo, w),
};

/**
 * Whether `map` runs expression `key` with a hand-written row loop (no call to the expression's
 * function) for an output of this kind: then a worker, which gets the attributes without the
 * function, can run it too (`elementwiseSplits`).
 */
export function mapHasRowLoop(key: string, inputs: number, outF32: boolean): boolean {
  return inputs <= 2 &&
    ((outF32 && Object.hasOwn(SPECIAL_F32, key)) || Object.hasOwn(SPECIAL, key));
}

/** The generic row: calls the expression per element. */
function genericRow(f: MapAttrs["expr"]["js"], inputs: number): RowFn {
  if (inputs === 1) {
    return (x, ox, sx, _y, _oy, _sy, _z, _oz, _sz, out, oo, w, p) => {
      for (let i = 0; i < w; i++) out[oo + i] = f(x[ox + i * sx], 0, 0, p);
    };
  }
  if (inputs === 2) {
    return (x, ox, sx, y, oy, sy, _z, _oz, _sz, out, oo, w, p) => {
      for (let i = 0; i < w; i++) out[oo + i] = f(x[ox + i * sx], y[oy + i * sy], 0, p);
    };
  }
  return (x, ox, sx, y, oy, sy, z, oz, sz, out, oo, w, p) => {
    for (let i = 0; i < w; i++) {
      out[oo + i] = f(x[ox + i * sx], y[oy + i * sy], z[oz + i * sz], p);
    }
  };
}

const map: CpuKernel<"map"> = (inputs, [out], attrs) => {
  const n = out.length;
  if (n === 0) return;
  const a = attrs;
  const p = a.params;
  const count = inputs.length;
  const x = inputs[0];
  const y = count > 1 ? inputs[1] : out;
  const z = count > 2 ? inputs[2] : out;
  const key = a.expr.key;
  const special = count > 2
    ? undefined
    : (out instanceof Float32Array ? SPECIAL_F32[key] : undefined) ?? SPECIAL[key];
  const row = special ?? genericRow(a.expr.js, count);
  if (a.flat) {
    row(x, 0, 1, y, 0, 1, z, 0, 1, out, 0, n, p);
    return;
  }
  const rank = a.shape.length;
  const inner = rank > 0 ? a.shape[rank - 1] : 1;
  if (inner === 0) return;
  const st = a.strides;
  const s0 = st[0], s1 = st[1] ?? s0, s2 = st[2] ?? s0;
  const sx = rank > 0 ? s0[rank - 1] : 0;
  const sy = rank > 0 ? s1[rank - 1] : 0;
  const sz = rank > 0 ? s2[rank - 1] : 0;
  // Odometer over the outer dims: offsets of each input's row, stepped incrementally.
  const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let ox = 0, oy = 0, oz = 0;
  for (let oo = 0; oo < n; oo += inner) {
    row(x, ox, sx, y, oy, sy, z, oz, sz, out, oo, inner, p);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      ox += s0[d];
      oy += s1[d];
      oz += s2[d];
      if (idx[d] < a.shape[d]) break;
      ox -= s0[d] * a.shape[d];
      oy -= s1[d] * a.shape[d];
      oz -= s2[d] * a.shape[d];
      idx[d] = 0;
    }
  }
};

const fill: CpuKernel<"fill"> = (_inputs, [out], attrs) => {
  (out as TypedArray).fill(attrs.value as number);
};

/** Element-wise kernels by name. */
export const elementwiseKernels: CpuKernels<"map" | "fill"> = { map, fill };

/** Least elements per part of a split `map`. */
const MAP_MIN_PART = 65536;
/** The same for GELU and its gradient (more work per element: smaller parts pay off). */
const MAP_GELU_MIN_PART = 16384;

/**
 * `map` split by element ranges (on cache lines) when its inputs are flat and its expression has
 * a hand-written row loop ({@link mapHasRowLoop}): the worker gets the expression's key only, no
 * function. Everything else (broadcasts, the generic loop) stays whole.
 */
export const elementwiseSplits: CpuSplits<"map"> = {
  map: (inputs, outputs, attrs, threads, minPart) => {
    const { key } = attrs.expr;
    const out = outputs[0];
    if (!attrs.flat || !mapHasRowLoop(key, inputs.length, out instanceof Float32Array)) {
      return null;
    }
    const gelu = key === "gelu" || key === "gelu_grad";
    const n = out.length;
    const min = minPart ?? (gelu ? MAP_GELU_MIN_PART : MAP_MIN_PART);
    const points = splitPoints(n, partsFor(n, min, threads), ALIGN);
    if (points.length < 3) return null;
    // The row loop is picked by key: the function itself (not cloneable) is left behind.
    const sent = { ...attrs, expr: { key } };
    return elementJobs("map", inputs, outputs, points, () => sent);
  },
};
