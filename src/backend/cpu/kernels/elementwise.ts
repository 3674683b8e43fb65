/**
 * CPU kernels of element-wise ops: `map` (src/ops/map.ts: any expression, broadcasting) and `fill`.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { MapAttrs } from "../../../ops/map.ts";
import type { CpuKernel } from "./types.ts";

const map: CpuKernel = (inputs, [out], attrs) => {
  const a = attrs as unknown as MapAttrs;
  const f = a.expr.js;
  const p = a.params;
  const n = out.length;
  const [x, y, z] = inputs;
  if (a.flat) {
    if (inputs.length === 1) { for (let i = 0; i < n; i++) out[i] = f(x[i], 0, 0, p); }
    else if (inputs.length === 2) { for (let i = 0; i < n; i++) out[i] = f(x[i], y[i], 0, p); }
    else for (let i = 0; i < n; i++) out[i] = f(x[i], y[i], z[i], p);
    return;
  }
  const off = new Array<number>(inputs.length).fill(0);
  const rank = a.shape.length;
  // Walk the output in order and step input offsets incrementally (an odometer), which avoids a
  // division per dim per element.
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    const va = x[off[0]];
    const vb = y ? y[off[1]] : 0;
    const vc = z ? z[off[2]] : 0;
    out[i] = f(va, vb, vc, p);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      for (let j = 0; j < off.length; j++) off[j] += a.strides[j][d];
      if (idx[d] < a.shape[d]) break;
      for (let j = 0; j < off.length; j++) off[j] -= a.strides[j][d] * a.shape[d];
      idx[d] = 0;
    }
  }
};

const fill: CpuKernel = (_inputs, [out], attrs) => {
  (out as TypedArray).fill(attrs.value as number);
};

/** Element-wise kernels by name. */
export const elementwiseKernels: Record<string, CpuKernel> = { map, fill };
