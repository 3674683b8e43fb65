/**
 * `deno task bench:memory [--device=webgpu|cpu|cpu-1] [--model=tiny|mini|minilm] [--steps=1000]
 * [--eval-sentences=10000] [--out=FILE]`: memory of long runs on one backend (`cpu`: the CPU with
 * its worker pool and native BLAS when present, as `--device cpu` runs it; `cpu-1`: the same on
 * one thread; `webgpu`: the WebGPU adapter).
 *
 * 1. Training: the benchmarked BERT step (bench/bert_step.ts) `--steps` times; after every step
 *    the bytes held by tensors, the bytes kept for reuse, the peak within the step and the
 *    process's resident memory.
 * 2. Evaluation: a tagger of the same size predicts `--eval-sentences` sentences of varied
 *    lengths (bench/eval_memory.ts); the same numbers after every batch.
 *
 * JSON on stdout (checkpoints at 1, 2, 5, 10, 20, 50, … and the last) with the verdicts: training
 * is `flat` when live and pooled bytes after the last step equal those after step 2, no step's
 * peak exceeds the first's, and resident memory grew by less than 64 MiB from step 10 on;
 * evaluation is `flat` when resident memory after the last batch is within 64 MiB of its value
 * after the first 10% of the sentences (the longest sentence comes first, so the working set is
 * reached at once).
 * @module
 */
import { type Backend, WebGPUBackend } from "../mod.ts";
import { chooseBackend } from "../deno.ts";
import { MODEL_SHAPES } from "./bench_inputs.ts";
import { buildJointagStep } from "./bert_step.ts";
import { evaluationMemory } from "./eval_memory.ts";
import { benchOption } from "./options.ts";

const option = (name: string, fallback: string) => benchOption(name) ?? fallback;

const device = option("device", "webgpu");
const modelName = option("model", "tiny");
const steps = Number(option("steps", "1000"));
const evalSentences = Number(option("eval-sentences", "10000"));
const out = option("out", "");
const shape = MODEL_SHAPES[modelName];
/** Growth of resident memory still called flat (allocator and JIT noise). */
const RSS_SLACK = 64 * 2 ** 20;
if (
  !shape || !Number.isInteger(steps) || steps < 10 || !Number.isInteger(evalSentences) ||
  evalSentences < 0 || !["webgpu", "cpu", "cpu-1"].includes(device)
) {
  console.error(
    `bench:memory: --device must be webgpu, cpu or cpu-1, --model one of ` +
      `${Object.keys(MODEL_SHAPES).join(", ")}, --steps an integer ≥ 10 and --eval-sentences ≥ 0`,
  );
  Deno.exit(2);
}

async function openBackend(): Promise<{ backend: Backend; description: string }> {
  if (device === "webgpu") {
    const backend = await WebGPUBackend.create();
    if (!backend) {
      console.error("bench:memory: no WebGPU adapter (run with --unstable-webgpu)");
      Deno.exit(2);
    }
    return { backend, description: JSON.stringify(backend.adapterInfo) };
  }
  const { backend, reason } = await chooseBackend("cpu", device === "cpu-1" ? { threads: 1 } : {});
  return { backend, description: reason };
}

const mib = (b: number) => Math.round(b / 2 ** 20);

async function trainingMemory(backend: Backend) {
  const step = buildJointagStep(backend, shape);
  const checkpoints = new Set([steps]);
  for (let d = 1; d <= steps; d *= 10) for (const f of [1, 2, 5]) checkpoints.add(d * f);
  const records: Record<string, number>[] = [];
  let maxPeak = 0, firstPeak = 0, lastLoss = NaN, maxRss = 0;
  let second: Record<string, number> | null = null, tenth = 0;
  for (let i = 1; i <= steps; i++) {
    backend.resetPeak();
    lastLoss = await step.step();
    const m = backend.memory();
    const { rss: rssBytes, heapUsed: heapBytes } = Deno.memoryUsage();
    if (i === 1) firstPeak = m.peakBytes;
    if (i === 10) tenth = rssBytes;
    if (i >= 10) maxRss = Math.max(maxRss, rssBytes);
    maxPeak = Math.max(maxPeak, m.peakBytes);
    const record = {
      step: i,
      liveBuffers: m.liveBuffers,
      liveBytes: m.liveBytes,
      pooledBytes: m.pooledBytes,
      peakBytes: m.peakBytes,
      rssBytes,
      heapBytes,
    };
    if (i === 2) second = record;
    if (checkpoints.has(i)) {
      records.push(record);
      console.error(
        `[memory] step ${i}: live ${mib(m.liveBytes)} MiB, pooled ${mib(m.pooledBytes)} MiB, ` +
          `peak ${mib(m.peakBytes)} MiB, resident ${mib(rssBytes)} MiB, JS heap ${
            mib(heapBytes)
          } MiB, loss ${lastLoss.toFixed(4)}`,
      );
    }
  }
  step.dispose();
  const last = records[records.length - 1];
  return {
    steps,
    lastLoss,
    flat: second !== null && last.liveBytes === second.liveBytes &&
      last.pooledBytes === second.pooledBytes && maxPeak <= firstPeak &&
      maxRss - tenth < RSS_SLACK,
    firstStepPeakBytes: firstPeak,
    maxPeakBytes: maxPeak,
    rssGrowthFromStep10Bytes: maxRss - tenth,
    records,
  };
}

async function evalMemory(backend: Backend) {
  if (evalSentences === 0) return null;
  const size = {
    hidden: shape.hidden,
    layers: shape.layers,
    heads: shape.heads,
    intermediate: shape.intermediate,
  };
  let nextReport = 0;
  const records = await evaluationMemory(backend, size, evalSentences, (r) => {
    if (r.sentences < nextReport && r.sentences < evalSentences) return;
    nextReport = r.sentences + evalSentences / 10;
    console.error(
      `[memory] evaluated ${r.sentences}: live ${mib(r.liveBytes)} MiB, pooled ` +
        `${mib(r.pooledBytes)} MiB, resident ${mib(r.rssBytes)} MiB`,
    );
  });
  const early = records.find((r) => r.sentences >= evalSentences / 10) ?? records[0];
  const last = records[records.length - 1];
  const maxRss = Math.max(
    ...records.filter((r) => r.sentences >= early.sentences).map((r) => r.rssBytes),
  );
  return {
    sentences: evalSentences,
    flat: maxRss - early.rssBytes < RSS_SLACK,
    rssAfterTenthBytes: early.rssBytes,
    rssAfterLastBytes: last.rssBytes,
    maxRssBytes: maxRss,
    records: records.filter((_, i) =>
      i % Math.max(1, Math.floor(records.length / 20)) === 0 || i === records.length - 1
    ),
  };
}

const { backend, description } = await openBackend();
const t0 = performance.now();
const training = await trainingMemory(backend);
const evaluation = await evalMemory(backend);
const report = {
  device,
  backend: description,
  model: modelName,
  seconds: Math.round((performance.now() - t0) / 1000),
  training,
  evaluation,
};
const json = JSON.stringify(report, null, 2);
console.log(json);
if (out) await Deno.writeTextFile(out, json + "\n");
backend.dispose();
