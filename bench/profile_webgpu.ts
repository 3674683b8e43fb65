/**
 * `deno task bench:profile [--model=tiny|mini|minilm] [--steps=N] [--kernels=software|gpu]`: GPU
 * time per kernel of the
 * benchmarked BERT training step (bench/bert_step.ts) on WebGPU, measured with timestamp queries
 * (the adapter needs the `timestamp-query` feature). JSON on stdout: per kernel pipeline the
 * dispatch count and milliseconds per step, and each one's share of the step's GPU time. Used to
 * decide what to fuse next; it slows the step (one pass per dispatch), so wall times here are not
 * the benchmark's. `--kernels=gpu` runs the real-GPU kernel variants (tiled matmuls, grouped AdamW)
 * on any adapter, to count their dispatches.
 * @module
 */
import { createWebGPUBackendForTesting } from "../src/backend/webgpu/webgpu_backend.ts";
import { MODEL_SHAPES } from "./bench_inputs.ts";
import { buildJointagStep } from "./bert_step.ts";
import { benchOption } from "./options.ts";

const option = (name: string, fallback: string) => benchOption(name) ?? fallback;

const modelName = option("model", "mini");
const steps = Number(option("steps", "2"));
const variants = option("kernels", "");
const shape = MODEL_SHAPES[modelName];
if (
  !shape || !Number.isInteger(steps) || steps < 1 || !["", "software", "gpu"].includes(variants)
) {
  console.error(
    `profile_webgpu: --model must be one of ${Object.keys(MODEL_SHAPES).join(", ")}` +
      `, --steps a positive integer, --kernels software or gpu`,
  );
  Deno.exit(2);
}
const backend = await createWebGPUBackendForTesting({
  profile: true,
  kernels: variants === "" ? undefined : variants as "software" | "gpu",
});
if (!backend) {
  console.error("profile_webgpu: no WebGPU adapter (run with --unstable-webgpu)");
  Deno.exit(2);
}
const step = buildJointagStep(backend, shape);
await step.step(); // cold: pipelines compile, buffers allocate
await backend.profile();
backend.resetProfile();
for (let i = 0; i < steps; i++) await step.step();
const kernels = await backend.profile();
const total = kernels.reduce((s, k) => s + k.ms, 0);
const round = (x: number, d: number) => Number(x.toFixed(d));
console.log(JSON.stringify(
  {
    model: modelName,
    adapter: backend.adapterInfo,
    kernelVariants: backend.softwareKernels ? "software" : "gpu",
    steps,
    gpuMsPerStep: round(total / steps, 1),
    dispatchesPerStep: kernels.reduce((s, k) => s + k.count, 0) / steps,
    kernels: kernels.map((k) => ({
      op: k.op,
      key: k.key,
      dispatchesPerStep: k.count / steps,
      msPerStep: round(k.ms / steps, 2),
      share: round(k.ms / total, 3),
    })),
  },
  null,
  2,
));
step.dispose();
