/**
 * WebGPU kernel `matmul` (src/ops/matmul.ts): the kernel variant — register-blocked without
 * workgroup memory on software adapters, shared-memory tiles on real GPUs — and its WGSL
 * (shaders/matmul_*.wgsl) come from `planMatmul` (matmul_plan.ts).
 * @module
 */
import type { GpuKernel, GpuKernels } from "../gpu_types.ts";
import { type MatmulPlan, type MatmulSpec, planMatmul } from "./matmul_plan.ts";

const plans = new Map<string, MatmulPlan>();

/** The last variant chosen per shape, for benchmark output. */
export const matmulVariants: Map<string, string> = new Map();

const matmul: GpuKernel<"matmul"> = (ctx, [a, b, bias], [c, pre], attrs) => {
  const at = attrs;
  const spec: MatmulSpec = {
    ...at,
    bias: bias !== undefined,
    savePre: pre !== undefined,
    epilogue: at.epilogue ?? "none",
    device: ctx.softwareKernels ? "software" : "gpu",
    f16: ctx.precision === "f16",
  };
  const id = JSON.stringify(spec);
  let plan = plans.get(id);
  if (!plan) {
    plan = planMatmul(spec, {
      maxComputeWorkgroupsPerDimension: ctx.limits.maxComputeWorkgroupsPerDimension,
      subgroupMaxSize: ctx.subgroupMaxSize,
    });
    plans.set(id, plan);
    matmulVariants.set(
      `${spec.batch}x${spec.m}x${spec.n}x${spec.k}${spec.transA ? "T" : ""}${
        spec.transB ? "T" : ""
      }`,
      plan.variant,
    );
  }
  const p = plan;
  ctx.dispatch({
    key: p.key,
    code: () => p.code,
    entryPoint: p.entryPoint,
    bindings: [a, b, c, p.uniforms, bias ?? null, ...(pre ? [pre] : [])],
    workgroups: p.workgroups,
  });
};

/** Matmul kernels by name. */
export const matmulKernels: GpuKernels<"matmul"> = { matmul };
