/**
 * `deno task bench:memory [--model=tiny|mini|minilm] [--steps=1000] [--out=FILE]`: runs the
 * benchmarked BERT training step (bench/bert_step.ts) on WebGPU for many steps and records the
 * backend's memory after every step: bytes held by tensors, bytes pooled for reuse, and the peak
 * within the step. JSON on stdout (checkpoints at steps 1, 2, 5, 10, 20, 50, …, and the last) with
 * the verdict `flat`: live and pooled bytes after the last step equal those after the first warm
 * step, and no step's peak exceeds the first step's.
 * @module
 */
import { WebGPUBackend } from "../src/backend/webgpu/webgpu_backend.ts";
import { MODEL_SHAPES } from "./bench_inputs.ts";
import { buildJointagStep } from "./bert_step.ts";
import { benchOption } from "./options.ts";

const option = (name: string, fallback: string) => benchOption(name) ?? fallback;

const modelName = option("model", "tiny");
const steps = Number(option("steps", "1000"));
const out = option("out", "");
const shape = MODEL_SHAPES[modelName];
if (!shape || !Number.isInteger(steps) || steps < 2) {
  console.error(
    `memory_webgpu: --model must be one of ${Object.keys(MODEL_SHAPES).join(", ")}` +
      ` and --steps an integer ≥ 2`,
  );
  Deno.exit(2);
}
const backend = await WebGPUBackend.create();
if (!backend) {
  console.error("memory_webgpu: no WebGPU adapter (run with --unstable-webgpu)");
  Deno.exit(2);
}
const step = buildJointagStep(backend, shape);
const checkpoints = new Set([steps]);
for (let d = 1; d <= steps; d *= 10) for (const f of [1, 2, 5]) checkpoints.add(d * f);
const records: Record<string, number>[] = [];
let maxPeak = 0;
let firstPeak = 0;
let firstWarm: Record<string, number> | null = null;
let lastLoss = NaN;
const t0 = performance.now();
for (let i = 1; i <= steps; i++) {
  backend.resetPeak();
  lastLoss = await step.step();
  const m = backend.memory();
  if (i === 1) firstPeak = m.peakBytes;
  maxPeak = Math.max(maxPeak, m.peakBytes);
  const record = {
    step: i,
    liveBuffers: m.liveBuffers,
    liveBytes: m.liveBytes,
    pooledBytes: m.pooledBytes,
    peakBytes: m.peakBytes,
  };
  if (i === 2) firstWarm = record;
  if (checkpoints.has(i)) {
    records.push(record);
    console.error(`[memory] step ${i}: ${JSON.stringify(record)}, loss ${lastLoss.toFixed(4)}`);
  }
}
const last = records[records.length - 1];
const report = {
  model: modelName,
  adapter: backend.adapterInfo,
  steps,
  seconds: Math.round((performance.now() - t0) / 1000),
  lastLoss,
  flat: firstWarm !== null && last.liveBytes === firstWarm.liveBytes &&
    last.pooledBytes === firstWarm.pooledBytes && maxPeak <= firstPeak,
  firstStepPeakBytes: firstPeak,
  maxPeakBytes: maxPeak,
  records,
};
const json = JSON.stringify(report, null, 2);
console.log(json);
if (out) await Deno.writeTextFile(out, json + "\n");
step.dispose();
