/**
 * WebGPU kernel `reduce` (src/ops/reduce.ts, shaders/reduce.wgsl): the one-invocation-per-output
 * entry for many outputs, the workgroup-per-output entry for few outputs over long rows.
 * @module
 */
import { reduceWgsl } from "../../../generated/shaders.ts";
import { type GpuKernel, type GpuKernels, uniforms } from "../gpu_types.ts";

const SLOTS = {
  sum: { INIT: "0.0", COMBINE: "acc + v", LOAD: "v" },
  sumsq: { INIT: "0.0", COMBINE: "acc + v", LOAD: "v * v" },
  max: { INIT: "-3.402823e38", COMBINE: "max(acc, v)", LOAD: "v" },
};

const reduce: GpuKernel<"reduce"> = (ctx, [x], [out], attrs) => {
  const { op, outer, r, inner, outOffset = 0 } = attrs;
  const slots = SLOTS[op];
  const outputs = outer * inner;
  // A software adapter runs a workgroup's barriers slowly and has few cores to fill: go wide only
  // for a handful of outputs there; a GPU needs thousands of threads, so go wide much sooner.
  const wide = ctx.softwareKernels ? outputs < 16 && r >= 4096 : outputs < 4096 && r >= 256;
  ctx.dispatch({
    key: `reduce:${op}`,
    entryPoint: wide ? "wide" : "main",
    code: () =>
      reduceWgsl.replaceAll("{{INIT}}", slots.INIT).replace("{{COMBINE}}", slots.COMBINE)
        .replace("{{LOAD}}", slots.LOAD),
    bindings: [uniforms([outer, r, inner, outOffset]), out, x],
    workgroups: wide ? { threads: outputs, size: 1 } : { threads: outputs, size: 256 },
  });
};

/** Reduction kernels by name. */
export const reduceKernels: GpuKernels<"reduce"> = { reduce };
