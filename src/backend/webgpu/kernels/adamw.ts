/**
 * WebGPU kernels `adamw` (one parameter, shaders/adamw.wgsl) and `adamw_group` (all parameters of
 * a step, a few per dispatch: shaders/adamw_group.wgsl), used by src/nn/optim/adamw.ts.
 * @module
 */
import { adamwGroupWgsl, adamwWgsl } from "../../../generated/shaders.ts";
import type { GpuHandle } from "../gpu_types.ts";
import {
  elementWidth,
  forEachChunk,
  type GpuKernel,
  type GpuKernels,
  uniforms,
} from "../gpu_types.ts";
import { expandWgslTemplate } from "../wgsl_template.ts";

const code = (w: 1 | 4) =>
  expandWgslTemplate(adamwWgsl, { T: w === 4 ? "vec4<f32>" : "f32" }, {}, "adamw.wgsl");

const adamw: GpuKernel<"adamw"> = (ctx, [grad, hyper], [param, m, v]) => {
  const n = param.bytes / 4;
  const w = elementWidth(n);
  forEachChunk(ctx, n, (_first, count, range) =>
    ctx.dispatch({
      key: `adamw:${w}`,
      code: () => code(w),
      bindings: [uniforms([count / w]), range(param), range(m), range(v), range(grad), hyper],
      workgroups: { threads: count / w, size: 256 },
    }));
};

/** Most parameters per grouped dispatch (compile time grows with the unrolled switch). */
const MAX_GROUP = 8;

function groupCode(g: number, w: 1 | 4): string {
  const bindings = Array.from({ length: g }, (_, k) =>
    [
      `@group(0) @binding(${2 + 4 * k}) var<storage, read_write> p${k}: array<T>;`,
      `@group(0) @binding(${3 + 4 * k}) var<storage, read_write> m${k}: array<T>;`,
      `@group(0) @binding(${4 + 4 * k}) var<storage, read_write> v${k}: array<T>;`,
      `@group(0) @binding(${5 + 4 * k}) var<storage, read> grad${k}: array<T>;`,
    ].join("\n")).join("\n");
  return expandWgslTemplate(
    adamwGroupWgsl,
    { G: g, T: w === 4 ? "vec4<f32>" : "f32", BINDINGS: bindings },
    {},
    "adamw_group.wgsl",
  );
}

/**
 * All parameters of a step: inputs [hyper with decay, hyper without, grad 0, grad 1, …], outputs
 * [param 0, m 0, v 0, param 1, …]. On GPUs, parameters are packed into dispatches of as many as the
 * adapter's storage-buffer limit allows (4 buffers each, plus the hyper-parameters: 7 with the
 * common limit of 32); one too large for a single binding goes alone through `adamw`'s chunks, and
 * so does every parameter on a software adapter.
 */
const adamwGroup: GpuKernel<"adamw_group"> = (
  ctx,
  [hDecay, hNoDecay, ...grads],
  outputs,
  attrs,
) => {
  const { decay } = attrs;
  const perDispatch = Math.min(
    MAX_GROUP,
    Math.floor((ctx.limits.maxStorageBuffersPerShaderStage - 1) / 4),
  );
  const groups = new Map<1 | 4, number[]>([[1, []], [4, []]]);
  grads.forEach((g, i) => {
    const param = outputs[3 * i];
    // On software adapters the grouped shader runs every `switch` case under a lane mask (2.5×
    // slower, measured on llvmpipe), while a dispatch costs little: one parameter per dispatch.
    if (ctx.softwareKernels || perDispatch < 2 || param.bytes > ctx.maxBindingBytes) {
      adamw(ctx, [g, decay[i] ? hDecay : hNoDecay], outputs.slice(3 * i, 3 * i + 3), {});
    } else groups.get(elementWidth(param.bytes / 4))!.push(i);
  });
  for (const [w, members] of groups) {
    for (let start = 0; start < members.length; start += perDispatch) {
      const part = members.slice(start, start + perDispatch);
      const table: number[] = [part.length, 0, 0, 0];
      const bindings: GpuHandle[] = [];
      let firstGroup = 0;
      for (const i of part) {
        const n = outputs[3 * i].bytes / 4 / w;
        table.push(n, firstGroup, decay[i] ? 1 : 0, 0);
        firstGroup += Math.ceil(n / 256);
        bindings.push(outputs[3 * i], outputs[3 * i + 1], outputs[3 * i + 2], grads[i]);
      }
      ctx.dispatch({
        key: `adamw_group:${part.length}:${w}`,
        code: () => groupCode(part.length, w),
        bindings: [Uint32Array.from(table), hDecay, ...bindings],
        workgroups: { threads: firstGroup * 256, size: 256 },
      });
    }
  }
};

/** Optimizer kernels by name. */
export const adamwKernels: GpuKernels<"adamw" | "adamw_group"> = { adamw, adamw_group: adamwGroup };
