/**
 * WebGPU kernels of element-wise ops: `map` (shaders/map.wgsl, with the op's expression spliced
 * in, and the shared functions it names prepended; see src/ops/map.ts) and `fill`
 * (shaders/fill.wgsl).
 * @module
 */
import { erfWgsl, fillWgsl, mapWgsl } from "../../../generated/shaders.ts";
import type { MapAttrs, WgslFunction } from "../../../core/kernel_contract.ts";
import {
  elementWidth,
  forEachChunk,
  type GpuKernel,
  type GpuKernels,
  uniforms,
} from "../gpu_types.ts";
import { expandWgslTemplate } from "../wgsl_template.ts";

/** Source of each shared WGSL function a map expression may call (`MapExpr.wgslFunctions`). */
const WGSL_FUNCTIONS: Record<WgslFunction, string> = { erf: erfWgsl };

const fillCode = (w: 1 | 4) =>
  expandWgslTemplate(fillWgsl, { T: w === 4 ? "vec4<u32>" : "u32" }, {}, "fill.wgsl");

const LETTERS = ["a", "b", "c"];

function mapCode(a: MapAttrs, w: 1 | 4): string {
  const ty = (d: string) => (d === "i32" ? "i32" : "f32");
  const elem = (d: string) => (w === 4 ? `vec4<${ty(d)}>` : ty(d));
  const out = ty(a.outDType);
  const inputs = a.inDTypes
    .map((d, j) => `@group(0) @binding(${2 + j}) var<storage, read> in${j}: array<${elem(d)}>;`)
    .join("\n");
  const loads = (at: (j: number) => string) =>
    LETTERS.map((l, j) => `let ${l} = ${j < a.inDTypes.length ? `f32(${at(j)})` : "0.0"};`)
      .join(" ");
  let body: string;
  if (w === 1) {
    const at = (j: number) => `in${j}[${a.flat ? "i" : `offset_of(i, ${j}u)`}]`;
    body = `${loads(at)}\n  out[i] = ${out}(${a.expr.wgsl});`;
  } else {
    const vecLoads = a.inDTypes.map((_, j) => `let v${j} = in${j}[i];`).join(" ");
    const parts = ["x", "y", "z", "w"].map((q) =>
      `{ ${loads((j) => `v${j}.${q}`)} r.${q} = ${out}(${a.expr.wgsl}); }`
    );
    body = [vecLoads, `var r: vec4<${out}>;`, ...parts, "out[i] = r;"].join("\n  ");
  }
  return mapWgsl
    .replace("{{ELEM}}", elem(a.outDType))
    .replace("{{INPUTS}}", inputs)
    .replace("{{PRELUDE}}", (a.expr.wgslFunctions ?? []).map((f) => WGSL_FUNCTIONS[f]).join("\n"))
    .replace("{{BODY}}", body);
}

const map: GpuKernel<"map"> = (ctx, inputs, [out], attrs) => {
  const a = attrs;
  const n = out.bytes / 4;
  const rank = a.flat ? 0 : a.shape.length;
  if (rank > 8) throw new Error(`map: ${rank} dims after coalescing; at most 8 are supported`);
  const u = uniforms([n, rank, 0, 0, { f32: a.params[0] }, { f32: a.params[1] }, {
    f32: a.params[2],
  }, { f32: a.params[3] }]);
  const key = `map:${a.expr.key}:${a.inDTypes.join(",")}>${a.outDType}:${
    a.flat ? "flat" : "bcast"
  }`;
  if (a.flat) {
    // Same-shape inputs: split huge tensors into chunks that fit one storage binding.
    const w = elementWidth(n);
    forEachChunk(ctx, n, (_first, count, range) => {
      const block = new Uint32Array(8 + 8 + 24);
      block.set(u.subarray(0, 8));
      block[0] = count / w;
      ctx.dispatch({
        key: `${key}:${w}`,
        code: () => mapCode(a, w),
        bindings: [block, range(out), ...inputs.map(range)],
        workgroups: { threads: count / w, size: 256 },
      });
    });
    return;
  }
  const block = new Uint32Array(8 + 8 + 24);
  block.set(u.subarray(0, 8));
  for (let d = 0; d < rank; d++) {
    block[8 + d] = a.shape[d];
    for (let j = 0; j < inputs.length; j++) block[16 + j * 8 + d] = a.strides[j][d];
  }
  ctx.dispatch({
    key,
    code: () => mapCode(a, 1),
    bindings: [block, out, ...inputs],
    workgroups: { threads: n, size: 256 },
  });
};

const fill: GpuKernel<"fill"> = (ctx, _inputs, [out], attrs) => {
  const n = out.bytes / 4;
  const value = attrs.value as number;
  const bits = out.dtype === "i32"
    ? new Uint32Array(Int32Array.of(value).buffer)[0]
    : new Uint32Array(Float32Array.of(value).buffer)[0];
  const w = elementWidth(n);
  forEachChunk(ctx, n, (_first, count, range) =>
    ctx.dispatch({
      key: `fill:${w}`,
      code: () => fillCode(w),
      bindings: [uniforms([count / w, bits]), range(out)],
      workgroups: { threads: count / w, size: 256 },
    }));
};

/** Element-wise kernels by name. */
export const elementwiseKernels: GpuKernels<"map" | "fill"> = { map, fill };
