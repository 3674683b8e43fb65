/**
 * Benchmark of the planned WGSL matmuls (src/backend/webgpu/kernels/matmul_plan.ts) against
 * TF.js 4.22's WebGPU backend, on the same adapter in the same process. Prints JSON.
 *
 * Usage:
 *   bench/tfjs/build.sh            # once: bundles TF.js into dist/tfjs/ (dev-only, gitignored)
 *   deno run -A --unstable-webgpu bench/matmul_webgpu_bench.ts [options]
 * Options:
 *   --sets=squares,bert,grad   shape sets to run (default all three)
 *   --only=NAME,NAME           run only the shapes with these names
 *   --reps=N                   timed runs per measurement, median reported (default 5, min 5)
 *   --no-tfjs                  skip TF.js
 *   --configs=TMxV,...         also time these register-kernel blocks (e.g. 32x4,64x8)
 *   --kernels=register,tiled   kernels to time with their default tuning (default: the planner's
 *                              choice for the adapter)
 * One measurement = one dispatch submitted, then `await device.queue.onSubmittedWorkDone()`,
 * after one untimed warm-up run (which also compiles the pipeline: reported as firstRunMs); all
 * contenders of a shape are timed in interleaved rounds; medians are reported (and min).
 * Shapes under 100 ms also report "streamed" numbers: 8 dispatches per submission, per dispatch.
 *
 * @module
 */

import { MATMUL_SETS as SETS, type MatmulShape as Shape } from "./matmul_shapes.ts";
import { importTfjsBundle } from "./tfjs/load_tfjs.ts";
import {
  type MatmulSpec,
  type MatmulTuning,
  planMatmul,
} from "../src/backend/webgpu/kernels/matmul_plan.ts";

function arg(name: string): string | undefined {
  const hit = Deno.args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return hit === undefined ? undefined : (hit.split("=")[1] ?? "");
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const gflops = (s: Shape, ms: number) => (2 * s.batch * s.m * s.n * s.k) / (ms * 1e6);
const round = (x: number, d = 3) => Number(x.toFixed(d));

function randomArray(n: number, seed: number): Float32Array<ArrayBuffer> {
  // Small LCG: reproducible inputs without a dependency.
  const out = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x / 2 ** 32 - 0.5;
  }
  return out;
}

/** One implementation of one shape, ready to time: `run(count)` = count dispatches, one submit. */
interface Contender {
  label: string;
  run: (count: number) => Promise<void>;
  firstRunMs: number;
  /** Extra fields for the report (variant, accuracy); called once after timing. */
  report: () => Promise<Record<string, unknown>>;
  dispose: () => void;
}

async function ourContender(
  device: GPUDevice,
  s: Shape,
  isSoftware: boolean,
  simd: number,
  tuning: MatmulTuning,
): Promise<Contender> {
  const spec: MatmulSpec = {
    batch: s.batch,
    m: s.m,
    n: s.n,
    k: s.k,
    transA: s.transA,
    transB: s.transB,
    aBatchStride: s.m * s.k,
    bBatchStride: s.k * s.n,
    device: isSoftware ? "software" : "gpu",
  };
  const limits = {
    maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    subgroupMaxSize: simd,
  };
  const plan = planMatmul(spec, limits, tuning);
  const a = randomArray(s.batch * s.m * s.k, 1);
  const b = randomArray(s.batch * s.k * s.n, 2);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const upload = (data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, use: number) => {
    const buf = device.createBuffer({
      size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
      usage: use,
    });
    device.queue.writeBuffer(buf, 0, data);
    return buf;
  };
  const bufA = upload(a, usage);
  const bufB = upload(b, usage);
  const cBytes = s.batch * s.m * s.n * 4;
  const bufC = device.createBuffer({ size: cBytes, usage });
  const bufU = upload(plan.uniforms, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const t0 = performance.now();
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: plan.code });
  const pipeline = await device.createComputePipelineAsync({
    layout: "auto",
    compute: { module, entryPoint: plan.entryPoint },
  });
  const error = await device.popErrorScope();
  if (error) throw new Error(`${plan.key}: ${error.message}`);
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [bufA, bufB, bufC, bufU].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const run = async (count: number) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    for (let i = 0; i < count; i++) pass.dispatchWorkgroups(...plan.workgroups);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run(1);
  const firstRunMs = performance.now() - t0;
  // Spot check 64 outputs against float64 so a broken kernel cannot post a good number.
  const report = async () => {
    const read = device.createBuffer({
      size: cBytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(bufC, 0, read, 0, cBytes);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const c = new Float32Array(read.getMappedRange().slice(0));
    read.destroy();
    let maxErr = 0;
    let maxRef = 0;
    for (let t = 0; t < 64; t++) {
      const bi = (t * 7919) % s.batch;
      const i = (t * 104729) % s.m;
      const j = (t * 1299709) % s.n;
      let ref = 0;
      for (let kk = 0; kk < s.k; kk++) {
        const av = a[bi * s.m * s.k + (s.transA ? kk * s.m + i : i * s.k + kk)];
        const bv = b[bi * s.k * s.n + (s.transB ? j * s.k + kk : kk * s.n + j)];
        ref += av * bv;
      }
      maxErr = Math.max(maxErr, Math.abs(ref - c[bi * s.m * s.n + i * s.n + j]));
      maxRef = Math.max(maxRef, Math.abs(ref));
    }
    return {
      variant: plan.variant,
      key: plan.key,
      relErr: Number((maxErr / Math.max(maxRef, 1e-30)).toExponential(2)),
    };
  };
  const dispose = () => [bufA, bufB, bufC, bufU].forEach((buf) => buf.destroy());
  return { label: plan.variant, run, firstRunMs, report, dispose };
}

/**
 * Deno resolves onSubmittedWorkDone by polling (~11 ms here), which dominates small shapes. So
 * besides single dispatches, shapes under 100 ms also get STREAM_COUNT dispatches per submission
 * (as a training step issues them), reported per dispatch.
 */
const STREAM_COUNT = 8;

/**
 * Times all contenders of one shape in interleaved rounds (other processes share the 2 cores, so
 * interleaving keeps a load burst from favouring one side) and returns median/min per contender.
 */
async function timeContenders(s: Shape, contenders: Contender[], reps: number) {
  const single: number[][] = contenders.map(() => []);
  const streamed: number[][] = contenders.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (const [i, c] of contenders.entries()) {
      const t = performance.now();
      await c.run(1);
      single[i].push(performance.now() - t);
    }
  }
  const stream = contenders.every((_, i) => median(single[i]) < 100);
  if (stream) {
    for (const c of contenders) await c.run(STREAM_COUNT);
    for (let r = 0; r < reps; r++) {
      for (const [i, c] of contenders.entries()) {
        const t = performance.now();
        await c.run(STREAM_COUNT);
        streamed[i].push((performance.now() - t) / STREAM_COUNT);
      }
    }
  }
  const out = [];
  for (const [i, c] of contenders.entries()) {
    const ms = median(single[i]);
    const row: Record<string, unknown> = {
      ...(await c.report()),
      ms: round(ms),
      gflops: round(gflops(s, ms)),
      minMs: round(Math.min(...single[i])),
      firstRunMs: round(c.firstRunMs, 0),
      timesMs: single[i].map((x) => round(x, 2)),
    };
    if (stream) {
      const sm = median(streamed[i]);
      Object.assign(row, {
        streamedMs: round(sm),
        streamedGflops: round(gflops(s, sm)),
        streamedPerDispatchMs: streamed[i].map((x) => round(x, 2)),
      });
    }
    out.push(row);
  }
  return out;
}

// deno-lint-ignore no-explicit-any
type Tf = any;

async function loadTfjs(): Promise<Tf | null> {
  const url = new URL("../dist/tfjs/tfjs_webgpu.mjs", import.meta.url);
  try {
    await Deno.stat(url);
  } catch {
    console.error(
      `TF.js bundle missing (${url.pathname}); run bench/tfjs/build.sh. Skipping TF.js.`,
    );
    return null;
  }
  return await importTfjsBundle(url);
}

async function tfjsContender(tf: Tf, s: Shape): Promise<Contender> {
  const backend = tf.backend();
  const shapeA = s.transA ? [s.k, s.m] : [s.m, s.k];
  const shapeB = s.transB ? [s.n, s.k] : [s.k, s.n];
  const batched = (shape: number[]) => (s.batch > 1 ? [s.batch, ...shape] : shape);
  const a = tf.tensor(randomArray(s.batch * s.m * s.k, 1), batched(shapeA));
  const b = tf.tensor(randomArray(s.batch * s.k * s.n, 2), batched(shapeB));
  const run = async (count: number) => {
    const outs = [];
    for (let i = 0; i < count; i++) outs.push(tf.matMul(a, b, s.transA, s.transB));
    // TF.js records into an open compute pass; it must be ended before the encoder is submitted
    // (submitQueue alone fails validation silently and nothing runs).
    backend.endComputePassEncoder();
    backend.submitQueue();
    await backend.device.queue.onSubmittedWorkDone();
    for (const c of outs) c.dispose();
  };
  const t0 = performance.now();
  await run(1);
  const firstRunMs = performance.now() - t0;
  return {
    label: "tfjs",
    run,
    firstRunMs,
    report: () => Promise.resolve({ variant: "tfjs-4.22 webgpu matMul" }),
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

async function main() {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error("no WebGPU adapter (run with --unstable-webgpu)");
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const info = adapter.info;
  const isSoftware = info.isFallbackAdapter ||
    /llvmpipe|lavapipe|swiftshader/i.test(info.description);
  // GPUAdapterInfo.subgroupMaxSize is recent; fall back to the planner's default.
  const simd = (info as GPUAdapterInfo & { subgroupMaxSize?: number }).subgroupMaxSize ?? 8;
  const reps = Math.max(5, Number(arg("reps") ?? 5));
  const sets = (arg("sets") ?? "squares,bert,grad").split(",");
  const only = arg("only")?.split(",");
  const configs = (arg("configs") ?? "").split(",").filter((x) => x).map((c) => {
    const [tm, v] = c.split("x").map(Number);
    return { kernel: "register", tm, v } as MatmulTuning;
  });
  const kernels = arg("kernels")?.split(",") ?? [isSoftware ? "register" : "tiled"];
  const tf = arg("no-tfjs") === undefined ? await loadTfjs() : null;
  const results = [];
  for (const set of sets) {
    for (const s of SETS[set] ?? []) {
      if (only && !only.includes(s.name)) continue;
      const contenders: Contender[] = [];
      for (const kernel of kernels) {
        contenders.push(
          await ourContender(device, s, isSoftware, simd, {
            kernel: kernel as MatmulTuning["kernel"],
          }),
        );
      }
      for (const tuning of configs) {
        contenders.push(await ourContender(device, s, isSoftware, simd, tuning));
      }
      if (tf) contenders.push(await tfjsContender(tf, s));
      const timed = await timeContenders(s, contenders, reps);
      contenders.forEach((c) => c.dispose());
      const ours = tf ? timed.slice(0, -1) : timed;
      const tfjs = tf ? timed[timed.length - 1] : null;
      const best = ours[0];
      const ratio = (key: string) =>
        tfjs && typeof tfjs[key] === "number" && typeof best[key] === "number"
          ? round((tfjs[key] as number) / (best[key] as number), 2)
          : null;
      const row = {
        set,
        ...s,
        gflop: round((2 * s.batch * s.m * s.n * s.k) / 1e9, 4),
        ours,
        tfjs,
        speedupVsTfjs: ratio("ms"),
        streamedSpeedupVsTfjs: ratio("streamedMs"),
      };
      const fmt = (o: Record<string, unknown>) =>
        `${o.variant} ${o.gflops}/${o.streamedGflops ?? "-"} GF`;
      console.error(
        `${s.name}: ${ours.map(fmt).join(" | ")}` +
          (tfjs ? ` | ${fmt(tfjs)} | x${row.speedupVsTfjs}/${row.streamedSpeedupVsTfjs}` : ""),
      );
      results.push(row);
    }
  }
  console.log(JSON.stringify(
    {
      adapter: { description: info.description, isFallbackAdapter: info.isFallbackAdapter, simd },
      date: new Date().toISOString(),
      reps,
      results,
    },
    null,
    1,
  ));
}

await main();
