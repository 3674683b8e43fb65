/**
 * `deno task bench`: one JSON report on stdout (progress on stderr) with
 * (a) matmul GFLOP/s on jointag-WebGPU, TF.js 4.22 WebGPU (same adapter), jointag-CPU with the
 *     TypeScript GEMM, the WebAssembly SIMD GEMM and the native BLAS, with ratios;
 * (b) the BERT training step (forward + backward + AdamW, two heads, batch 8 × seq 128) for the
 *     Tiny, Mini and all-MiniLM-L6 shapes on jointag-WebGPU, jointag-CPU-BLAS, jointag-CPU-WASM,
 *     jointag-CPU-JS,
 *     TF.js WebGPU (bench/tfjs/) and PyTorch CPU (tools/bench_torch.py, when its Python exists),
 *     all in the same run: ms/step (median of warm steps), tokens/s, ratios, WebGPU dispatches and
 *     submits per step, peak bytes, and for the CPU the split matmul vs the rest.
 *
 * Options:
 *   --quick               Tiny only, a few steps, a few matmul shapes
 *   --only=a,b            sections: matmul, webgpu, cpu-blas, cpu-wasm, cpu-js, cpu (= all three),
 *                         tfjs, torch,
 *                         webgpu-f16 (f16 mixed-precision matmuls; only when named)
 *   --models=tiny,mini,minilm
 *   --cpu-js-all          run the TypeScript-GEMM CPU step on every model (default: Tiny only)
 *   --out=FILE            also write the JSON to FILE
 * Dev-only prerequisites: bench/tfjs/build.sh and bench/tfjs/build_train.sh (TF.js bundles in the
 * gitignored dist/); PyTorch in /root/.cache/jointag-py (or JOINTAG_PYTHON). Missing ones are
 * skipped with a note in the JSON.
 * @module
 */
import { type Backend, CpuBackend, createWasmGemm, jsGemm, WebGPUBackend } from "../mod.ts";
import {
  type BlasGemm,
  blasHint,
  blasStatus,
  createCpuWorkers,
  loadBlas,
  parallelBlas,
  parallelWasm,
} from "../deno.ts";
import { type BenchInputs, makeInputs, MODEL_SHAPES, type ModelShape } from "./bench_inputs.ts";
import { buildJointagStep } from "./bert_step.ts";
import { flopsOf, MATMUL_SHAPES, timeCpuMatmul } from "./matmul_cpu.ts";
import { median, round, runSteps, type StepPlan, type StepRun } from "./step_runner.ts";
import { timedGemm } from "./timed_gemm.ts";
import { benchOption } from "./options.ts";
import { buildTfjsStep } from "./tfjs/bert_step_tfjs.ts";
import { loadTfjs } from "./tfjs/load_tfjs.ts";

// Order of the run: CPU-BLAS and PyTorch back to back (they are compared, and the machine may be
// shared), then the rest.
const SECTIONS = [
  "matmul",
  "cpu-blas",
  "torch",
  "cpu-wasm",
  "cpu-js",
  "webgpu",
  "tfjs",
  "webgpu-f16",
] as const;
type Section = (typeof SECTIONS)[number];
/** Sections run without --only (webgpu-f16, the mixed-precision option, is asked for by name). */
const DEFAULT_SECTIONS: readonly Section[] = SECTIONS.filter((s) => s !== "webgpu-f16");

/** Raised for a bad command-line option. */
export class BenchOptionError extends Error {
  constructor(option: string, value: string, expected: string) {
    super(`bench: ${option}=${value}: expected ${expected}`);
    this.name = "BenchOptionError";
  }
}

const option = benchOption;

const log = (msg: string) => console.error(`[bench] ${msg}`);

async function loadAvg(): Promise<string | null> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return null;
  }
}

/** Step budgets: slow configurations get fewer warm steps (reported as `plan` in the JSON). */
function planFor(implName: string, model: string, quick: boolean): StepPlan {
  const impl = implName.replace(/^jointag-/, "");
  if (quick) {
    return { minWarm: 2, maxWarm: 3, budgetMs: 5_000, warmup: impl.startsWith("cpu") ? 2 : 1 };
  }
  const big = model === "minilm" ? 2 : model === "mini" ? 1 : 0;
  switch (impl) {
    case "cpu-blas":
    case "cpu-wasm":
      return {
        minWarm: 3,
        maxWarm: [10, 7, 5][big],
        budgetMs: [15_000, 20_000, 30_000][big],
        warmup: 3,
      };
    case "torch":
      return { minWarm: 3, maxWarm: [10, 7, 5][big], budgetMs: [15_000, 20_000, 30_000][big] };
    case "cpu-js":
      return { minWarm: 1, maxWarm: 3, budgetMs: 30_000, warmup: 2 };
    default: // WebGPU on these machines' software adapter, TF.js likewise
      return { minWarm: [2, 2, 1][big], maxWarm: 5, budgetMs: [15_000, 30_000, 45_000][big] };
  }
}

// ---- (a) matmul -------------------------------------------------------------------------------

async function webgpuMatmuls(quick: boolean, names: string[]): Promise<Record<string, unknown>> {
  // bench/matmul_webgpu_bench.ts (the WGSL planner's own bench) times ours and TF.js's matMul on
  // the same adapter; it runs in its own process so its device and TF.js instance stay separate.
  const args = ["run", "-A", "bench/matmul_webgpu_bench.ts", "--sets=squares,bert"];
  if (quick) args.push(`--only=${names.join(",")}`);
  const cmd = new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "inherit",
  });
  const out = await cmd.output();
  if (!out.success) return { error: `matmul_webgpu_bench.ts exited with ${out.code}` };
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

async function matmulSection(quick: boolean, blas: BlasGemm | null, sections: Set<Section>) {
  // The WASM GEMM as chooseBackend sets it up: split by rows over a pool on all cores. Never
  // stopped for idleness here: the WebGPU bench and the slower GEMMs between the WASM timings
  // take longer than the pool's default second, and a stopped pool runs whole on one thread
  // until its workers are up again (this section measured one thread that way before).
  const workers = sections.has("cpu-wasm") ? createCpuWorkers({ idleMs: Infinity }) : null;
  const one = createWasmGemm();
  const wasm = one && workers ? parallelWasm(one, workers) : one;
  const shapes = quick
    ? MATMUL_SHAPES.filter((s) => ["square_256", "square_512", "tok1024_128x512"].includes(s.name))
    : MATMUL_SHAPES;
  const gpu = sections.has("webgpu") || sections.has("tfjs")
    ? await webgpuMatmuls(quick, shapes.map((s) => s.name))
    : null;
  // deno-lint-ignore no-explicit-any
  const gpuRows = new Map<string, any>(((gpu?.results as any[]) ?? []).map((r) => [r.name, r]));
  const rows = [];
  for (const s of shapes) {
    const g = gpuRows.get(s.name);
    const cpuJs = sections.has("cpu-js") ? timeCpuMatmul(jsGemm, s, quick ? 500 : 1500) : null;
    const cpuBlas = blas && sections.has("cpu-blas") ? timeCpuMatmul(blas, s) : null;
    if (workers) await waitReady(workers);
    const cpuWasm = wasm && sections.has("cpu-wasm") ? timeCpuMatmul(wasm, s) : null;
    const webgpu = g?.ours?.[0]
      ? {
        gflops: g.ours[0].gflops,
        ms: g.ours[0].ms,
        streamedMs: g.ours[0].streamedMs,
        streamedGflops: g.ours[0].streamedGflops,
        kernel: g.ours[0].variant ?? g.ours[0].key,
      }
      : null;
    const tfjs = g?.tfjs
      ? {
        gflops: g.tfjs.gflops,
        ms: g.tfjs.ms,
        streamedMs: g.tfjs.streamedMs,
        streamedGflops: g.tfjs.streamedGflops,
      }
      : null;
    const ratio = (a?: number, b?: number) => (a && b ? round(a / b, 2) : null);
    rows.push({
      name: s.name,
      shape: { batch: s.batch, m: s.m, n: s.n, k: s.k, transA: s.transA, transB: s.transB },
      gflop: round(flopsOf(s) / 1e9, 4),
      webgpu,
      tfjsWebgpu: tfjs,
      cpuJs,
      cpuWasm,
      cpuBlas,
      ratios: {
        webgpuVsTfjs: ratio(webgpu?.gflops, tfjs?.gflops),
        webgpuVsTfjsStreamed: ratio(tfjs?.streamedMs, webgpu?.streamedMs),
        cpuBlasVsWebgpu: ratio(cpuBlas?.gflops, webgpu?.gflops),
        cpuBlasVsCpuJs: ratio(cpuBlas?.gflops, cpuJs?.gflops),
        cpuWasmVsCpuJs: ratio(cpuWasm?.gflops, cpuJs?.gflops),
        cpuBlasVsCpuWasm: ratio(cpuBlas?.gflops, cpuWasm?.gflops),
      },
    });
    log(
      `matmul ${s.name}: webgpu ${webgpu?.gflops ?? "-"} tfjs ${tfjs?.gflops ?? "-"} js ${
        cpuJs?.gflops ?? "-"
      } wasm ${cpuWasm?.gflops ?? "-"} blas ${cpuBlas?.gflops ?? "-"} GFLOP/s`,
    );
  }
  workers?.close();
  return {
    adapter: gpu?.adapter ?? null,
    cpuWasm: wasm?.name ?? null,
    webgpuBench: gpu && "error" in gpu
      ? gpu.error
      : gpu
      ? "bench/matmul_webgpu_bench.ts"
      : "skipped",
    note:
      "webgpu/tfjs: one dispatch per submit, median of ≥5 runs after a warm-up (streamedMs: 8 " +
      "dispatches per submit, per dispatch); cpu: median of timed runs after one warm-up",
    rows,
  };
}

// ---- (b) training step ------------------------------------------------------------------------

interface StepRow {
  impl: string;
  model: string;
  run?: StepRun;
  skipped?: string;
  [extra: string]: unknown;
}

async function jointagRun(
  impl: string,
  backend: Backend,
  shape: ModelShape,
  inputs: BenchInputs,
  quick: boolean,
  timer?: ReturnType<typeof timedGemm>,
): Promise<StepRow> {
  const gpu = backend instanceof WebGPUBackend ? backend : null;
  const s = buildJointagStep(backend, shape, inputs);
  let d0 = 0, s0 = 0;
  const liveAfter: number[] = [];
  const run = await runSteps(
    () => s.step(),
    planFor(impl, shape.name, quick),
    inputs.batch * inputs.seq,
    {
      before: () => {
        backend.resetPeak();
        timer?.reset();
        if (gpu) [d0, s0] = [gpu.dispatchCount, gpu.submitCount];
      },
      after: () => {
        const m = backend.memory();
        liveAfter.push(m.liveBytes);
        return {
          peakBytes: m.peakBytes,
          ...(gpu ? { dispatches: gpu.dispatchCount - d0, submits: gpu.submitCount - s0 } : {}),
          ...(timer
            ? { matmulMs: timer.ms, matmulCalls: timer.calls, matmulGflops: timer.flops / 1e9 }
            : {}),
        };
      },
    },
    (m) => log(`${impl} ${shape.name}: ${m}`),
  );
  // Issue 3's phases on the same model: forward only (no graph) and forward + backward.
  const phase = async (f: () => Promise<number>) => {
    const ms: number[] = [];
    for (let i = 0; i < (quick ? 2 : 3); i++) {
      const t0 = performance.now();
      await f();
      ms.push(performance.now() - t0);
    }
    return round(median(ms));
  };
  const phases = {
    forwardMs: await phase(() => s.forward()),
    forwardBackwardMs: await phase(() => s.forwardBackward()),
  };
  s.dispose();
  const extra: Record<string, unknown> = {
    parameters: s.parameters,
    phases,
    liveBytesAfterFirstStep: liveAfter[0],
    liveBytesAfterLastStep: liveAfter.at(-1),
  };
  if (timer) {
    const mm = run.counters.matmulMs;
    extra.split = {
      matmulMs: mm,
      restMs: round(run.medianMs - mm),
      matmulShare: round(mm / run.medianMs, 3),
      matmulGflopsPerS: round(run.counters.matmulGflops / (mm / 1000), 2),
    };
  }
  return { impl, model: shape.name, run, ...extra };
}

/**
 * jointag on the CPU with BLAS, with the library's threads at all cores and at one (symmetric with
 * PyTorch's run: on a shared machine multi-threaded BLAS calls stall when a core is taken); the
 * faster is the row's result, both are reported.
 */
async function cpuBlasRun(
  blas: BlasGemm,
  shape: ModelShape,
  inputs: BenchInputs,
  quick: boolean,
): Promise<StepRow> {
  const counts = blas.threads > 1 ? [blas.threads, 1] : [blas.threads];
  const rows: StepRow[] = [];
  for (const threads of counts) {
    // The thread count is a process-wide setting of the library: set it, run, restore below.
    // As chooseBackend does: with several threads, a worker pool splits the TypeScript kernels and
    // the GEMMs, and the BLAS runs one thread per part.
    const workers = createCpuWorkers({ threads });
    const native = loadBlas({ threads: workers ? 1 : threads }) ?? blas;
    const gemm = workers ? parallelBlas(native, workers) : native;
    const timer = timedGemm(gemm);
    const backend = new CpuBackend({ gemm: timer, workers });
    const row = await jointagRun("jointag-cpu-blas", backend, shape, inputs, quick, timer);
    backend.dispose();
    row.gemm = gemm.name;
    row.threads = threads;
    rows.push(row);
  }
  loadBlas({ threads: blas.threads });
  const best = rows.reduce((a, b) => (b.run!.medianMs < a.run!.medianMs ? b : a));
  return {
    ...best,
    byThreads: rows.map((r) => ({
      threads: r.threads,
      medianMs: r.run!.medianMs,
      stepsMs: r.run!.stepsMs,
      split: r.split,
    })),
  };
}

/** jointag on the CPU with the WebAssembly GEMM, set up as chooseBackend does without a BLAS. */
async function cpuWasmRun(
  shape: ModelShape,
  inputs: BenchInputs,
  quick: boolean,
): Promise<StepRow> {
  const one = createWasmGemm();
  if (!one) return { impl: "jointag-cpu-wasm", model: shape.name, skipped: "no WebAssembly SIMD" };
  const workers = createCpuWorkers();
  const gemm = workers ? parallelWasm(one, workers) : one;
  const timer = timedGemm(gemm);
  const backend = new CpuBackend({ gemm: timer, workers });
  const row = await jointagRun("jointag-cpu-wasm", backend, shape, inputs, quick, timer);
  backend.dispose();
  row.gemm = gemm.name;
  return row;
}

/** Waits (up to 20 s) until the pool's workers have started. */
async function waitReady(workers: { threads: number; ready(): number }): Promise<void> {
  const t0 = performance.now();
  while (workers.ready() < workers.threads - 1 && performance.now() - t0 < 20_000) {
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function tfjsRun(shape: ModelShape, inputs: BenchInputs, quick: boolean): Promise<StepRow> {
  const { tf, reason } = await loadTfjs();
  if (!tf) return { impl: "tfjs-webgpu", model: shape.name, skipped: reason };
  const s = buildTfjsStep(tf, shape, inputs);
  const run = await runSteps(
    () => s.step(),
    planFor("tfjs", shape.name, quick),
    inputs.batch * inputs.seq,
    {},
    (m) => log(`tfjs ${shape.name}: ${m}`),
  );
  s.dispose();
  return { impl: "tfjs-webgpu", model: shape.name, run, parameters: s.parameters, version: reason };
}

function pythonPath(): string | null {
  const env = Deno.env.get("JOINTAG_PYTHON");
  const candidates = [env, "/root/.cache/jointag-py/bin/python"].filter((p): p is string => !!p);
  for (const p of candidates) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  return null;
}

async function torchRun(shape: ModelShape, quick: boolean): Promise<StepRow> {
  const py = pythonPath();
  if (!py) {
    return {
      impl: "torch-cpu",
      model: shape.name,
      skipped: "no PyTorch Python (set JOINTAG_PYTHON or create /root/.cache/jointag-py)",
    };
  }
  const plan = planFor("torch", shape.name, quick);
  const cores = navigator.hardwareConcurrency;
  const threads = cores > 1 ? `${cores},1` : "1";
  const cmd = new Deno.Command(py, {
    args: [
      "tools/bench_torch.py",
      `--shapes=${shape.name}`,
      `--steps=${plan.maxWarm}`,
      `--budget-s=${plan.budgetMs / 1000}`,
      `--threads=${threads}`,
    ],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" | ");
    return { impl: "torch-cpu", model: shape.name, skipped: `tools/bench_torch.py failed: ${err}` };
  }
  const j = JSON.parse(new TextDecoder().decode(out.stdout));
  // deno-lint-ignore no-explicit-any
  const all = j.results as any[];
  // The reference is PyTorch's best: with all cores on a quiet machine, often one thread on a
  // shared one (OpenMP barriers stall when a core is taken by another process).
  const r = all.reduce((best, x) => (x.medianMs < best.medianMs ? x : best));
  log(`torch ${shape.name}: ${all.map((x) => `${x.threads} threads ${x.medianMs} ms`).join(", ")}`);
  return {
    impl: "torch-cpu",
    model: shape.name,
    run: {
      firstStepMs: r.firstStepMs,
      stepsMs: r.stepsMs,
      medianMs: r.medianMs,
      tokensPerS: r.tokensPerS,
      losses: r.losses,
      counters: {},
      plan: { ...plan, minWarm: 2 },
    },
    parameters: r.parameters,
    threads: r.threads,
    byThreads: all.map((x) => ({ threads: x.threads, medianMs: x.medianMs, stepsMs: x.stepsMs })),
    version: `torch ${j.torch}, BLAS ${j.blas}; the faster of ${threads} threads`,
  };
}

function ratios(rows: StepRow[], model: string) {
  const tps = (impl: string) =>
    rows.find((r) => r.impl === impl && r.model === model)?.run?.tokensPerS;
  const r = (a: string, b: string) => {
    const x = tps(a), y = tps(b);
    return x && y ? round(x / y, 3) : null;
  };
  const blasVsTorch = r("jointag-cpu-blas", "torch-cpu");
  const blasVsWebgpu = r("jointag-cpu-blas", "jointag-webgpu");
  const wasmVsTorch = r("jointag-cpu-wasm", "torch-cpu");
  const wasmVsWebgpu = r("jointag-cpu-wasm", "jointag-webgpu");
  const webgpuVsTfjs = r("jointag-webgpu", "tfjs-webgpu");
  return {
    cpuBlasVsTorch: blasVsTorch,
    cpuBlasVsTfjs: r("jointag-cpu-blas", "tfjs-webgpu"),
    cpuBlasVsWebgpu: blasVsWebgpu,
    cpuBlasVsCpuJs: r("jointag-cpu-blas", "jointag-cpu-js"),
    cpuWasmVsTorch: wasmVsTorch,
    cpuWasmVsWebgpu: wasmVsWebgpu,
    cpuWasmVsCpuJs: r("jointag-cpu-wasm", "jointag-cpu-js"),
    webgpuVsTfjs,
    webgpuVsTorch: r("jointag-webgpu", "torch-cpu"),
    webgpuF16VsWebgpu: r("jointag-webgpu-f16", "jointag-webgpu"),
    targets: {
      "issue8 cpuBlas >= 0.5x torch": blasVsTorch === null ? null : blasVsTorch >= 0.5,
      "issue8 cpuBlas >= 10x software webgpu": blasVsWebgpu === null ? null : blasVsWebgpu >= 10,
      "issue5 webgpu >= 5x tfjs": webgpuVsTfjs === null ? null : webgpuVsTfjs >= 5,
      "issue14 cpuWasm >= 0.25x torch": wasmVsTorch === null ? null : wasmVsTorch >= 0.25,
      "issue14 cpuWasm >= 2x software webgpu": wasmVsWebgpu === null ? null : wasmVsWebgpu >= 2,
    },
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const quick = option("quick") !== undefined;
  const onlyRaw = option("only");
  const sections = new Set<Section>();
  for (const s of (onlyRaw ?? DEFAULT_SECTIONS.join(",")).split(",").filter((x) => x)) {
    if (s === "cpu") {
      sections.add("cpu-blas");
      sections.add("cpu-wasm");
      sections.add("cpu-js");
    } else if ((SECTIONS as readonly string[]).includes(s)) sections.add(s as Section);
    else throw new BenchOptionError("--only", s, `a list of ${[...SECTIONS, "cpu"].join(", ")}`);
  }
  const modelNames = (option("models") ?? (quick ? "tiny" : "tiny,mini,minilm")).split(",");
  for (const m of modelNames) {
    if (!MODEL_SHAPES[m]) throw new BenchOptionError("--models", m, "tiny, mini or minilm");
  }
  const cpuJsAll = option("cpu-js-all") !== undefined;

  const blas = loadBlas();
  const blasLine = blasStatus().reason;
  log(blasLine);
  if (!blas) log(`CPU-BLAS skipped; for the fast path: ${blasHint()}`);
  const needGpu = sections.has("webgpu");
  const gpu = needGpu ? await WebGPUBackend.create() : null;
  const gpuF16 = sections.has("webgpu-f16")
    ? await WebGPUBackend.create({ precision: "f16" }).catch((e) => {
      log(`webgpu-f16 skipped: ${(e as Error).message}`);
      return null;
    })
    : null;
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    cpus: navigator.hardwareConcurrency,
    quick,
    sections: [...sections],
    models: modelNames,
    loadAvgStart: await loadAvg(),
    blas: blas
      ? { name: blas.name, library: blas.library, core: blas.core, threads: blas.threads }
      : null,
    blasStatus: blasLine,
    webgpuAdapter: gpu ? { info: gpu.adapterInfo, software: gpu.software } : null,
    step: {
      what: "forward + backward + AdamW; BERT + shared dropout 0.3 + heads NER 17 / POS 42; " +
        "loss = mean of the two masked CEs; batch 8 x seq 128 (1,024 tokens, padding counted); vocab 30,522",
      timing:
        "median of warm steps (each step awaits its loss on the host); first step reported apart",
    },
  };
  if (needGpu && !gpu) log("no WebGPU adapter: WebGPU step skipped");

  if (sections.has("matmul")) report.matmul = await matmulSection(quick, blas, sections);

  const inputs = makeInputs();
  const rows: StepRow[] = [];
  const stepSections = [...sections].filter((s) => s !== "matmul");
  for (const name of modelNames) {
    const shape = MODEL_SHAPES[name];
    for (const section of stepSections) {
      const load = await loadAvg();
      let row: StepRow;
      if (section === "torch") row = await torchRun(shape, quick);
      else if (section === "tfjs") row = await tfjsRun(shape, inputs, quick);
      else if (section === "webgpu") {
        row = gpu
          ? await jointagRun("jointag-webgpu", gpu, shape, inputs, quick)
          : { impl: "jointag-webgpu", model: name, skipped: "no WebGPU adapter" };
      } else if (section === "webgpu-f16") {
        row = gpuF16 ? await jointagRun("jointag-webgpu-f16", gpuF16, shape, inputs, quick) : {
          impl: "jointag-webgpu-f16",
          model: name,
          skipped: "no WebGPU adapter with shader-f16",
        };
      } else if (section === "cpu-blas") {
        if (!blas) row = { impl: "jointag-cpu-blas", model: name, skipped: blasLine };
        else row = await cpuBlasRun(blas, shape, inputs, quick);
      } else if (section === "cpu-wasm") {
        row = await cpuWasmRun(shape, inputs, quick);
      } else {
        if (name !== "tiny" && !cpuJsAll) {
          row = {
            impl: "jointag-cpu-js",
            model: name,
            skipped: "TypeScript GEMM: Tiny only (--cpu-js-all runs all)",
          };
        } else {
          const timer = timedGemm(jsGemm);
          row = await jointagRun(
            "jointag-cpu-js",
            new CpuBackend({ gemm: timer }),
            shape,
            inputs,
            quick,
            timer,
          );
          row.gemm = jsGemm.name;
        }
      }
      row.loadAvgBefore = load;
      rows.push(row);
    }
  }
  report.trainingStep = rows;
  report.ratios = Object.fromEntries(modelNames.map((m) => [m, ratios(rows, m)]));
  report.summary = Object.fromEntries(
    modelNames.map((m) => [
      m,
      Object.fromEntries(
        rows.filter((r) => r.model === m).map((r) => [
          r.impl,
          r.run
            ? `${r.run.medianMs} ms/step, ${r.run.tokensPerS} tokens/s`
            : `skipped: ${r.skipped}`,
        ]),
      ),
    ]),
  );
  report.loadAvgEnd = await loadAvg();
  report.totalSeconds = round((performance.now() - t0) / 1000, 1);
  const json = JSON.stringify(report, null, 1);
  const out = option("out");
  if (out) await Deno.writeTextFile(out, json + "\n");
  console.log(json);
  gpu?.dispose();
}

const USAGE =
  `deno task bench [--quick] [--only=matmul,webgpu,cpu-blas,cpu-wasm,cpu-js,cpu,tfjs,torch]
                [--models=tiny,mini,minilm] [--cpu-js-all] [--out=FILE]
Prints one JSON report (matmul GFLOP/s and BERT training steps on every backend, with TF.js and
PyTorch references and ratios) on stdout; progress on stderr.`;

if (import.meta.main) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(USAGE);
    Deno.exit(0);
  }
  await main();
  // TF.js and the WebGPU device keep handles open; end the process explicitly.
  Deno.exit(0);
}
