/**
 * Split CPU kernels (src/backend/cpu/parallel.ts) and the worker pool (src/io/web/cpu_workers.ts,
 * started by src/io/deno/cpu_workers.ts, and with the Web-standard worker and a caller that may not
 * block, as in a page): every split kernel gives the bits of the whole call, whether its
 * parts run one after another or on worker threads, for odd sizes, sizes that split into uneven
 * parts and sizes below the split threshold; the pool reports worker errors, stops when idle or
 * closed; GEMMs split by rows through the BLAS at one thread give the bits of the BLAS's own
 * threads; and a BERT training step on the pooled backend matches the single-threaded one bit for
 * bit.
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { cpuKernels } from "../../src/backend/cpu/kernels/mod.ts";
import type { KernelName, MapAttrs, MatmulAttrs } from "../../src/core/kernel_contract.ts";
import { splitGemm, splitKernel, splitPoints } from "../../src/backend/cpu/parallel.ts";
import type { GemmArgs } from "../../src/backend/cpu/gemm.ts";
import { loadBlas } from "../../src/io/deno/blas.ts";
import { parallelBlas } from "../../src/io/deno/parallel_blas.ts";
import { parallelWasm } from "../../src/io/web/parallel_gemm.ts";
import { canBlockInAtomicsWait, createCpuWorkerPool } from "../../src/io/web/cpu_workers.ts";
import { createWasmGemm } from "../../src/backend/cpu/wasm_gemm.ts";
import { noBlas, optionalBlas } from "../helpers/blas.ts";
import type { TypedArray } from "../../src/core/dtype.ts";
import {
  cpuThreads,
  CpuWorkerError,
  type CpuWorkerPool,
  createCpuWorkers,
} from "../../src/io/deno/cpu_workers.ts";
import { chooseBackend } from "../../src/io/deno/device.ts";
import { decodeJob, encodeJob } from "../../src/io/web/cpu_worker_protocol.ts";
import { BertConfig } from "../../src/bert/config.ts";
import { BertModel } from "../../src/bert/model.ts";
import { setBackend, tidy } from "../../src/core/engine.ts";
import { Random, setSeed } from "../../src/core/random.ts";
import { crossEntropy, tensor } from "../../src/ops/mod.ts";
import { Linear } from "../../src/nn/layers.ts";
import { AdamW, bertNoDecay } from "../../src/nn/optim/adamw.ts";

/** Makes arrays: shared ones when `backend` has workers (as the backend's own allocations). */
type Alloc = (kind: "f32" | "i32", n: number) => TypedArray;

/** One kernel call, built fresh (kernels may update their outputs in place). */
interface Case {
  name: string;
  kernel: string;
  /** Elements of the call's main array (for the size classes below). */
  build(alloc: Alloc, rnd: () => number): {
    inputs: TypedArray[];
    outputs: TypedArray[];
    attrs: Record<string, unknown>;
  };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function filled(alloc: Alloc, n: number, f: (i: number) => number): TypedArray {
  const a = alloc("f32", n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
}

const NEG = -3.4e38;

/** The split kernels' calls at `rows × cols`-like sizes. */
function cases(rows: number, cols: number): Case[] {
  const n = rows * cols;
  const heads = 3;
  const batch = Math.max(1, Math.floor(rows / (heads * 4)));
  const seqQ = Math.max(1, Math.floor(rows / (batch * heads)));
  const sRows = batch * heads * seqQ;
  const softmax = (log: boolean, hasMask: boolean): Case => ({
    name: `softmax log=${log} mask=${hasMask} ${sRows}x${cols}`,
    kernel: "softmax",
    build: (alloc, rnd) => ({
      inputs: [
        filled(alloc, sRows * cols, () => 8 * rnd() - 4),
        // Attention mask [batch, 1, 1, cols]: the last columns of each sequence masked.
        filled(alloc, batch * cols, (i) => (i % cols) >= cols - (i / cols | 0) - 1 ? NEG : 0),
      ].slice(0, hasMask ? 2 : 1),
      outputs: [alloc("f32", sRows * cols)],
      attrs: {
        rows: sRows,
        cols,
        log,
        rowShape: [batch, heads, seqQ],
        maskStrides: [cols, 0, 0],
        maskColStride: 1,
        hasMask,
      },
    }),
  });
  const softmaxGrad = (log: boolean): Case => ({
    name: `softmax_grad log=${log} ${rows}x${cols}`,
    kernel: "softmax_grad",
    build: (alloc, rnd) => ({
      inputs: [
        filled(alloc, n, () => (log ? -3 * rnd() : rnd())),
        filled(alloc, n, () => rnd() - 0.5),
      ],
      outputs: [alloc("f32", n)],
      attrs: { rows, cols, log },
    }),
  });
  const targets = (alloc: Alloc, rnd: () => number) => {
    const t = alloc("i32", rows);
    for (let r = 0; r < rows; r++) {
      t[r] = r % 7 === 3 ? -100 : r % 11 === 5 ? cols : (rnd() * cols) | 0;
    }
    return t;
  };
  const mapCase = (key: string, arity: number, params: number[] = []): Case => ({
    name: `map ${key} ${n}`,
    kernel: "map",
    build: (alloc, rnd) => ({
      inputs: Array.from({ length: arity }, () => filled(alloc, n, () => 10 * rnd() - 5)),
      outputs: [alloc("f32", n)],
      attrs: {
        // The kernel picks these row loops by key; no function is needed (nor sent to workers).
        expr: { key, wgsl: "", js: () => NaN },
        shape: [],
        strides: [],
        inDTypes: Array(arity).fill("f32"),
        outDType: "f32",
        params,
        flat: true,
      },
    }),
  });
  const adamwHyper = (alloc: Alloc) => {
    const h = alloc("f32", 8);
    h.set([1e-3, 0.9, 0.999, 1e-8, 0.01, 0.1, 0.002, 0.5]);
    return h;
  };
  /** A parameter whose moments and gradient are zero on some 128-blocks (unused rows). */
  const adamwArrays = (alloc: Alloc, rnd: () => number, len: number) => {
    const unused = (i: number) => (i >> 7) % 3 === 1;
    return {
      grad: filled(alloc, len, (i) => (unused(i) ? 0 : rnd() - 0.5)),
      param: filled(alloc, len, () => rnd() - 0.5),
      m: filled(alloc, len, (i) => (unused(i) ? 0 : 0.01 * (rnd() - 0.5))),
      v: filled(alloc, len, (i) => (unused(i) ? 0 : 1e-4 * rnd())),
    };
  };
  return [
    softmax(false, true),
    softmax(true, true),
    softmax(false, false),
    softmaxGrad(false),
    softmaxGrad(true),
    {
      name: `layer_norm ${rows}x${cols}`,
      kernel: "layer_norm",
      build: (alloc, rnd) => ({
        inputs: [
          filled(alloc, n, () => 3 * rnd() + 1),
          filled(alloc, cols, () => rnd() + 0.5),
          filled(alloc, cols, () => rnd() - 0.5),
        ],
        outputs: [alloc("f32", n), alloc("f32", rows), alloc("f32", rows)],
        attrs: { rows, cols, eps: 1e-12 },
      }),
    },
    {
      name: `layer_norm_grad ${rows}x${cols}`,
      kernel: "layer_norm_grad",
      build: (alloc, rnd) => ({
        inputs: [
          filled(alloc, n, () => rnd() - 0.5),
          filled(alloc, n, () => 3 * rnd()),
          filled(alloc, cols, () => rnd() + 0.5),
          filled(alloc, rows, () => 1.5 + 0.1 * rnd()),
          filled(alloc, rows, () => 1 + rnd()),
        ],
        outputs: [alloc("f32", n)],
        attrs: { rows, cols, eps: 1e-12 },
      }),
    },
    ...[0, 0.1].map((p): Case => ({
      name: `residual_layer_norm p=${p} ${rows}x${cols}`,
      kernel: "residual_layer_norm",
      build: (alloc, rnd) => ({
        inputs: [
          filled(alloc, n, () => rnd() - 0.5),
          filled(alloc, n, () => 2 * rnd()),
          filled(alloc, cols, () => rnd() + 0.5),
          filled(alloc, cols, () => rnd() - 0.5),
        ],
        outputs: [alloc("f32", n), alloc("f32", rows), alloc("f32", rows), alloc("f32", n)],
        attrs: { rows, cols, eps: 1e-12, p, seed: 0x9e3779b9 },
      }),
    })),
    {
      name: `layer_norm_grad_params ${rows}x${cols}`,
      kernel: "layer_norm_grad_params",
      build: (alloc, rnd) => ({
        inputs: [
          filled(alloc, n, () => rnd() - 0.5),
          filled(alloc, n, () => 3 * rnd()),
          filled(alloc, rows, () => 1.5 + 0.1 * rnd()),
          filled(alloc, rows, () => 1 + rnd()),
        ],
        outputs: [alloc("f32", cols), alloc("f32", cols)],
        attrs: { rows, cols, eps: 1e-12 },
      }),
    },
    ...([["sum", 1, 0], ["sumsq", 2, 3], ["max", 1, 0], ["sum", 3, 5]] as const).map(
      ([op, outer, outOffset]): Case => ({
        name: `reduce ${op} ${outer}x${rows}x${cols} +${outOffset}`,
        kernel: "reduce",
        build: (alloc, rnd) => ({
          inputs: [filled(alloc, outer * n, () => rnd() - 0.3)],
          outputs: [filled(alloc, outOffset + outer * cols, () => 42)],
          attrs: { op, outer, r: rows, inner: cols, ...(outOffset ? { outOffset } : {}) },
        }),
      }),
    ),
    {
      name: `cross_entropy ${rows}x${cols}`,
      kernel: "cross_entropy",
      build: (alloc, rnd) => ({
        inputs: [filled(alloc, n, () => 6 * rnd() - 3), targets(alloc, rnd)],
        outputs: [alloc("f32", rows)],
        attrs: { rows, cols, ignoreIndex: -100 },
      }),
    },
    {
      name: `cross_entropy_grad ${rows}x${cols}`,
      kernel: "cross_entropy_grad",
      build: (alloc, rnd) => ({
        inputs: [
          filled(alloc, n, () => 6 * rnd() - 3),
          targets(alloc, rnd),
          filled(alloc, 1, () => 1 / 77),
        ],
        outputs: [alloc("f32", n)],
        attrs: { rows, cols, ignoreIndex: -100 },
      }),
    },
    ...[[0.1, 0], [0.7, 0], [0.1, 1000003]].map(([p, indexOffset]): Case => ({
      name: `dropout p=${p} offset=${indexOffset} ${n}`,
      kernel: "dropout",
      build: (alloc, rnd) => ({
        inputs: [filled(alloc, n, () => rnd() - 0.5)],
        outputs: [alloc("f32", n)],
        attrs: { p, seed: 12345 + n, ...(indexOffset ? { indexOffset } : {}) },
      }),
    })),
    mapCase("add", 2),
    mapCase("sub", 2),
    mapCase("mul", 2),
    mapCase("div", 2),
    mapCase("mul_scalar", 1, [0.37]),
    mapCase("add_scalar", 1, [-1.5]),
    mapCase("gelu", 1),
    mapCase("gelu_grad", 2),
    {
      name: `adamw ${n}`,
      kernel: "adamw",
      build: (alloc, rnd) => {
        const { grad, param, m, v } = adamwArrays(alloc, rnd, n);
        return { inputs: [grad, adamwHyper(alloc)], outputs: [param, m, v], attrs: {} };
      },
    },
    {
      name: `adamw_group ${n}`,
      kernel: "adamw_group",
      build: (alloc, rnd) => {
        // Parameters of uneven sizes (some under a block, some not multiples of it).
        const sizes = [n + 77, cols, 5, Math.floor(n / 3) + 1, 300, 128 * 3];
        const params = sizes.map((len) => adamwArrays(alloc, rnd, len));
        return {
          inputs: [
            adamwHyper(alloc),
            adamwHyper(alloc).fill(0, 4, 5),
            ...params.map((p) => p.grad),
          ],
          outputs: params.flatMap((p) => [p.param, p.m, p.v]),
          attrs: { decay: sizes.map((_, i) => i % 2) },
        };
      },
    },
  ];
}

const plainAlloc: Alloc = (kind, n) => (kind === "i32" ? new Int32Array(n) : new Float32Array(n));

function bytes(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function assertSameBits(got: TypedArray[], want: TypedArray[], label: string): void {
  assert.equal(got.length, want.length, label);
  for (let k = 0; k < want.length; k++) {
    const g = bytes(got[k]), w = bytes(want[k]);
    assert.equal(g.length, w.length, `${label}: output ${k} length`);
    for (let i = 0; i < w.length; i++) {
      if (g[i] !== w[i]) {
        const e = (i / want[k].BYTES_PER_ELEMENT) | 0;
        assert.fail(`${label}: output ${k} element ${e}: ${got[k][e]} vs ${want[k][e]}`);
      }
    }
  }
}

/** The whole call on a plain single-threaded backend. */
function runWhole(c: Case): TypedArray[] {
  const cpu = new CpuBackend();
  const { inputs, outputs, attrs } = c.build(plainAlloc, lcg(7));
  cpuKernels[c.kernel](inputs, outputs, attrs, cpu);
  return outputs;
}

Deno.test("splitPoints: near-equal parts on aligned inner boundaries, fewer parts when too small", () => {
  assert.deepEqual(splitPoints(100, 2, 1), [0, 50, 100]);
  assert.deepEqual(splitPoints(1000, 3, 16), [0, 336, 672, 1000]);
  assert.deepEqual(splitPoints(20, 2, 32), [0, 20]);
  assert.deepEqual(splitPoints(70, 4, 32), [0, 32, 64, 70]);
  assert.deepEqual(splitPoints(0, 2, 1), [0, 0]);
});

Deno.test("split kernels: the parts run one after another give the whole call's bits (2-5 parts, odd sizes)", () => {
  const cpu = new CpuBackend();
  for (const [rows, cols] of [[37, 45], [96, 33], [3, 55]]) {
    for (const c of cases(rows, cols)) {
      const want = runWhole(c);
      for (const threads of [2, 3, 5]) {
        const { inputs, outputs, attrs } = c.build(plainAlloc, lcg(7));
        const jobs = splitKernel(c.kernel, inputs, outputs, attrs, threads, 1);
        assert.ok(jobs && jobs.length >= 2, `${c.name}: splits into ${threads}`);
        assert.ok(jobs.length <= threads, `${c.name}: at most ${threads} parts`);
        // Backwards: no part may depend on another's having run first.
        for (const j of jobs.reverse()) cpuKernels[j.kernel](j.inputs, j.outputs, j.attrs, cpu);
        assertSameBits(outputs, want, `${c.name} in ${jobs.length} parts`);
      }
    }
  }
});

Deno.test("split kernels: whole below the threshold; map splits only flat calls with a row loop", () => {
  for (const c of cases(8, 16)) {
    const { inputs, outputs, attrs } = c.build(plainAlloc, lcg(1));
    assert.equal(splitKernel(c.kernel, inputs, outputs, attrs, 2), null, c.name);
  }
  const n = 1 << 20;
  const x = new Float32Array(n), y = new Float32Array(n);
  const mapAttrs = (key: string, flat: boolean) => ({
    expr: { key, wgsl: "", js: (a: number) => a },
    shape: flat ? [] : [1024, 1024],
    strides: flat ? [] : [[1024, 1]],
    inDTypes: ["f32"],
    outDType: "f32",
    params: [],
    flat,
  });
  assert.ok(splitKernel("map", [x], [y], mapAttrs("gelu", true), 2));
  assert.equal(splitKernel("map", [x], [y], mapAttrs("gelu", false), 2), null, "broadcast");
  assert.equal(splitKernel("map", [x], [y], mapAttrs("tanh_custom", true), 2), null, "generic");
  // Float64 outputs run GELU through the expression's function: not split.
  const x64 = new Float64Array(n), y64 = new Float64Array(n);
  assert.equal(splitKernel("map", [x64], [y64], mapAttrs("gelu", true), 2), null, "f64 gelu");
  const sum = { op: "sum", outer: 1, r: n, inner: 1 };
  assert.equal(splitKernel("reduce", [x], [y], sum, 2), null, "reduce along rows");
  assert.equal(splitKernel("softmax", [x], [y], { rows: 1024, cols: 1024 }, 1), null, "1 thread");
});

/** A GEMM of `m × n × k` (batch, transposes, strides, beta) on shared arrays, from a seed. */
function gemmCase(
  m: number,
  n: number,
  k: number,
  o: { transA?: boolean; transB?: boolean; batch?: number; bcastB?: boolean; beta?: number },
): GemmArgs<Float32Array> {
  const batch = o.batch ?? 1;
  const transA = o.transA ?? false, transB = o.transB ?? false;
  const rnd = lcg(m * 31 + n * 7 + k);
  const sh = (len: number, f: () => number) => {
    const a = new Float32Array(new SharedArrayBuffer(len * 4));
    for (let i = 0; i < len; i++) a[i] = f();
    return a;
  };
  const a = sh(batch * m * k + 3, () => rnd() - 0.5);
  const b = sh((o.bcastB ? 1 : batch) * k * n, () => rnd() - 0.5);
  const c = sh(batch * m * n, () => rnd());
  return {
    transA,
    transB,
    m,
    n,
    k,
    a,
    aOffset: 3,
    lda: transA ? m : k,
    strideA: m * k,
    b,
    bOffset: 0,
    ldb: transB ? k : n,
    strideB: o.bcastB ? 0 : k * n,
    c,
    cOffset: 0,
    ldc: n,
    strideC: m * n,
    batch,
    alpha: 1,
    beta: o.beta ?? 0,
  };
}

/** The training step's GEMM shapes (MiniLM, batch 8 × 128) and odd ones. */
const GEMMS: [number, number, number, Parameters<typeof gemmCase>[3]][] = [
  [1024, 1536, 384, { transB: true, beta: 1 }],
  [1024, 384, 1536, { transB: true }],
  [1536, 384, 1024, { transA: true }],
  [384, 1536, 1024, { transA: true, beta: 1 }],
  [1024, 384, 1536, {}],
  [128, 128, 32, { batch: 12, transB: true }],
  [128, 32, 128, { batch: 12 }],
  [128, 384, 384, { batch: 8, bcastB: true, transB: true }],
  [333, 97, 211, { transA: true, transB: true }],
  [65, 1000, 77, { beta: 1 }],
];

const blas = optionalBlas();

Deno.test({
  name: "GEMMs split by rows, one BLAS thread per part, give the bits of the BLAS's own threads",
  ignore: noBlas(blas),
  fn: splitBlasBits,
});

function splitBlasBits(): void {
  for (const [m, n, k, o] of GEMMS) {
    const whole = gemmCase(m, n, k, o);
    loadBlas({ threads: 2 })!.sgemm(whole);
    for (const threads of [2, 3]) {
      const split = gemmCase(m, n, k, o);
      const parts = splitGemm(split, threads, 1);
      assert.ok(parts && parts.length >= 2, `${m}x${n}x${k}: split`);
      const one = loadBlas({ threads: 1 })!;
      for (const part of parts.reverse()) one.sgemm(part);
      assertSameBits(
        [split.c],
        [whole.c],
        `${m}x${n}x${k} ${JSON.stringify(o)} in ${parts.length}`,
      );
    }
  }
  assert.equal(splitGemm(gemmCase(16, 16, 16, {}), 2), null, "too small");
  assert.equal(splitGemm(gemmCase(20, 4000, 4000, {}), 2), null, "too few rows");
  loadBlas({ threads: 2 });
}

Deno.test("WASM GEMMs split by rows give the bits of the whole GEMM (both builds)", () => {
  for (const relaxed of [false, true]) {
    const wasm = createWasmGemm({ relaxed })!;
    for (const [m, n, k, o] of GEMMS) {
      const whole = gemmCase(m, n, k, o);
      wasm.sgemm(whole);
      for (const threads of [2, 3]) {
        const split = gemmCase(m, n, k, o);
        const parts = splitGemm(split, threads, 1)!;
        for (const part of parts.reverse()) wasm.sgemm(part);
        assertSameBits([split.c], [whole.c], `wasm ${m}x${n}x${k} in ${parts.length}`);
      }
    }
  }
});

async function readyPool(threads: number, idleMs?: number): Promise<CpuWorkerPool> {
  const pool = createCpuWorkers({ threads, idleMs });
  assert.ok(pool, "a pool for several threads");
  const t0 = performance.now();
  while (pool.ready() < threads - 1) {
    assert.ok(pool.failure === null, `pool failed: ${pool.failure}`);
    assert.ok(performance.now() - t0 < 20_000, "workers did not start in 20 s");
    await new Promise((r) => setTimeout(r, 5));
  }
  return pool;
}

Deno.test("worker pool: every split kernel gives the single-threaded bits (above and below the threshold)", async () => {
  const pool = await readyPool(3);
  const backend = new CpuBackend({ workers: pool });
  try {
    const alloc: Alloc = (kind, n) => backend.alloc(kind, n) as TypedArray;
    // 1027 x 129: above every threshold, odd rows and columns; 33 x 7: below.
    for (const [rows, cols, splits] of [[1027, 129, true], [33, 7, false]] as const) {
      for (const c of cases(rows, cols)) {
        const want = runWhole(c);
        const { inputs, outputs, attrs } = c.build(alloc, lcg(7));
        assert.ok(outputs.every((o) => o.buffer instanceof SharedArrayBuffer), c.name);
        const before = pool.dispatched;
        // Cases name their kernel at run time: their attributes are not typed by the contract.
        backend.run(c.kernel as KernelName, inputs, outputs, attrs as never);
        assert.equal(pool.dispatched > before, splits, `${c.name}: sent to workers`);
        assertSameBits(outputs, want, `${c.name} on workers`);
      }
    }
    // The training path of linear + GELU: the epilogue goes through the split `map`.
    const [m, k, n] = [256, 64, 300];
    const a = filled(alloc, m * k, (i) => Math.sin(i)),
      b = filled(alloc, k * n, (i) => Math.cos(i));
    const c = alloc("f32", m * n), pre = alloc("f32", m * n);
    const attrs: MatmulAttrs = {
      batch: 1,
      m,
      n,
      k,
      transA: false,
      transB: false,
      aBatchStride: 0,
      bBatchStride: 0,
      epilogue: "gelu",
    };
    const before = pool.dispatched;
    backend.run("matmul", [a, b], [c, pre], attrs);
    assert.ok(pool.dispatched > before, "matmul's GELU split");
    const plain = new CpuBackend();
    const [c2, pre2] = [new Float32Array(m * n), new Float32Array(m * n)];
    plain.run("matmul", [Float32Array.from(a), Float32Array.from(b)], [c2, pre2], attrs);
    assertSameBits([c, pre], [c2, pre2], "matmul + gelu");
    // The split WASM GEMM through the pool.
    const wasm = createWasmGemm()!;
    pooledGemmBits(pool, parallelWasm(wasm, pool), (args) => wasm.sgemm(args));
  } finally {
    backend.dispose();
  }
  assert.equal(pool.running, 0, "dispose closes the pool");
});

Deno.test("worker pool: the split WASM GEMM on heap operands (in place in every thread) gives one thread's copying bits", async () => {
  const pool = await readyPool(2);
  const backend = new CpuBackend({ workers: pool });
  try {
    const heap = (x: Float32Array) => {
      const a = backend.alloc("f32", x.length) as Float32Array;
      a.set(x);
      return a;
    };
    for (const relaxed of [false, true]) {
      const wasm = createWasmGemm({ relaxed })!;
      const split = parallelWasm(wasm, pool);
      for (const [m, n, k, o] of GEMMS) {
        const want = gemmCase(m, n, k, o);
        wasm.sgemm(want); // SharedArrayBuffers off the heap: the copying path
        const base = gemmCase(m, n, k, o);
        const got = { ...base, a: heap(base.a), b: heap(base.b), c: heap(base.c) };
        const sent = pool.dispatched;
        split.sgemm(got);
        assert.ok(pool.dispatched > sent || m * n * k < 1 << 22, `${m}x${n}x${k} split`);
        assertSameBits([got.c], [want.c], `heap ${m}x${n}x${k} relaxed ${relaxed}`);
      }
    }
  } finally {
    backend.dispose();
  }
});

/** `gemm` (split over `pool`) gives the bits of `whole` on every shape of the step. */
function pooledGemmBits(
  pool: CpuWorkerPool,
  gemm: { name: string; sgemm(args: GemmArgs<Float32Array>): void },
  whole: (args: GemmArgs<Float32Array>) => void,
): void {
  for (const [m, n, k, o] of GEMMS) {
    const want = gemmCase(m, n, k, o);
    whole(want);
    const got = gemmCase(m, n, k, o);
    const sent = pool.dispatched;
    gemm.sgemm(got);
    assert.ok(pool.dispatched > sent || m * n * k < 1 << 22, `${m}x${n}x${k} split`);
    assertSameBits([got.c], [want.c], `pooled ${m}x${n}x${k}`);
  }
  assert.match(gemm.name, /3 threads, split by rows/);
}

Deno.test({
  name: "worker pool: the split BLAS GEMM gives the bits of the BLAS's own threads",
  ignore: noBlas(blas),
  async fn() {
    const pool = await readyPool(3);
    try {
      const gemm = parallelBlas(loadBlas({ threads: 1 })!, pool);
      pooledGemmBits(pool, gemm, (args) => loadBlas({ threads: 2 })!.sgemm(args));
    } finally {
      pool.close();
      loadBlas({ threads: 2 });
    }
  },
});

Deno.test("worker pool: a worker's error is rethrown, the pool goes on; arrays not shared stay whole", async () => {
  const pool = await readyPool(2);
  try {
    const x = new Float32Array(new SharedArrayBuffer(64));
    assert.throws(
      () =>
        pool.run([{ kernel: "no_such_kernel", inputs: [x], outputs: [x], attrs: {} }], () => {}),
      (e: unknown) => e instanceof CpuWorkerError && /no_such_kernel/.test(e.message),
    );
    // The caller's own error wins, after the workers finished.
    assert.throws(
      () =>
        pool.run([{ kernel: "fill", inputs: [], outputs: [x], attrs: { value: 3 } }], () => {
          throw new RangeError("local failure");
        }),
      RangeError,
    );
    assert.equal(x[15], 3, "the worker's job ran");
    // A backend whose arrays predate the pool runs their kernels on the calling thread (arrays of
    // ordinary buffers: those of the WebAssembly heap are shared memory whether or not).
    const backend = new CpuBackend({ wasmHeap: false });
    const n = 1 << 18;
    const a = backend.alloc("f32", n) as Float32Array;
    const y = backend.alloc("f32", n) as Float32Array;
    a.fill(0.5);
    backend.useWorkers(pool);
    const before = pool.dispatched;
    backend.run("map", [a], [y], {
      expr: { key: "gelu", wgsl: "", js: () => NaN },
      flat: true,
      params: [],
      shape: [],
      strides: [],
    } as unknown as MapAttrs); // partial attributes: the kernel reads only these here
    assert.equal(pool.dispatched, before, "not shared: not split");
    assert.equal(y[n - 1], Math.fround(0.5 * 0.6914624612740131));
    backend.dispose();
    assert.equal(pool.ready(), 0, "closed with its backend");
  } finally {
    pool.close();
  }
});

Deno.test("worker pool: idle workers stop (the process can exit) and start again on demand", async () => {
  const pool = await readyPool(2, 50);
  try {
    assert.equal(pool.running, 1);
    const t0 = performance.now();
    while (pool.running > 0) {
      assert.ok(performance.now() - t0 < 5000, "idle workers were not stopped");
      await new Promise((r) => setTimeout(r, 20));
    }
    // Asking again restarts them; meanwhile ready() is 0 and kernels run on the caller.
    const again = performance.now();
    while (pool.ready() < 1) {
      assert.ok(performance.now() - again < 20_000, "workers did not restart");
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(pool.running, 1);
  } finally {
    pool.close();
  }
  assert.equal(pool.running, 0);
  assert.equal(pool.ready(), 0, "a closed pool does not restart");
});

Deno.test("worker pool: a worker past its spin sleeps, is woken with the next job in the job area, and closing wakes it", async () => {
  // No spin, a long sleep: every job after the first finds the worker asleep. Were a sleeper not
  // woken when the pool closes, its thread would hold this test process open for a minute.
  const pool = createCpuWorkers({ threads: 2, spinMs: 0, sleepMs: 60_000, idleMs: Infinity });
  assert.ok(pool);
  const t0 = performance.now();
  while (pool.ready() < 1) {
    assert.ok(performance.now() - t0 < 20_000, "worker did not start in 20 s");
    await new Promise((r) => setTimeout(r, 5));
  }
  const backend = new CpuBackend({ workers: pool });
  try {
    const alloc: Alloc = (kind, n) => backend.alloc(kind, n) as TypedArray;
    const c = cases(1027, 129)[0];
    const want = runWhole(c);
    for (let i = 0; i < 3; i++) {
      const { inputs, outputs, attrs } = c.build(alloc, lcg(7));
      // Long enough for the worker to be asleep in Atomics.wait.
      await new Promise((r) => setTimeout(r, 30));
      backend.run(c.kernel as KernelName, inputs, outputs, attrs as never);
      assertSameBits(outputs, want, `${c.name}, job ${i + 1}`);
    }
    assert.equal(pool.dispatched, 3);
    // The first job goes by message (the worker has not seen the buffers); the next two wake it.
    assert.equal(pool.woken, 2, `woken ${pool.woken} of ${pool.dispatched}`);
    assert.equal(pool.handedOver, 2);
  } finally {
    backend.dispose();
  }
  assert.equal(pool.running, 0);
  // The test runner exits whatever threads are left: a program must end by itself.
  const program = `
    import { createCpuWorkers } from "${new URL("../../deno.ts", import.meta.url)}";
    import { CpuBackend } from "${new URL("../../mod.ts", import.meta.url)}";
    const pool = createCpuWorkers({ threads: 2, spinMs: 0, sleepMs: 60_000, idleMs: Infinity });
    while (pool.ready() < 1) await new Promise((r) => setTimeout(r, 5));
    const b = new CpuBackend({ workers: pool });
    const x = b.alloc("f32", 1 << 20), y = b.alloc("f32", 1 << 20);
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 30));
      b.run("dropout", [x], [y], { p: 0.1, seed: 1 });
    }
    if (pool.woken !== 1) throw new Error("woken " + pool.woken);
    b.dispose();`;
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", program],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.ok(seconds < 30, `the program took ${seconds.toFixed(1)} s to end`);
  // A pool nobody closed is closed when the process ends (unload), its sleepers woken first.
  const atExit = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--ext=ts",
      program.replace("b.dispose();", "") + `
      dispatchEvent(new Event("unload"));
      console.log(pool.running);
      Deno.exit(0);`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(atExit.success, new TextDecoder().decode(atExit.stderr));
  assert.equal(new TextDecoder().decode(atExit.stdout).trim(), "0", "closed at unload");
});

Deno.test("worker pool, Web-standard worker and a caller that may not block (a page's main thread): same bits", async () => {
  // What a cross-origin-isolated page runs: the worker script without BLAS or any Deno API, and
  // the caller polling instead of Atomics.wait (which a page's main thread may not call).
  const workerUrl = new URL("../../src/io/web/cpu_worker.ts", import.meta.url);
  const pool = createCpuWorkerPool({
    threads: 2,
    workerUrl,
    blockingWait: false,
    idleMs: Infinity,
  });
  assert.ok(pool && !pool.blockingWait);
  assert.ok(canBlockInAtomicsWait(), "Deno's main thread may block");
  const t0 = performance.now();
  while (pool.ready() < 1) {
    assert.ok(pool.failure === null, `pool failed: ${pool.failure}`);
    assert.ok(performance.now() - t0 < 20_000, "worker did not start in 20 s");
    await new Promise((r) => setTimeout(r, 5));
  }
  const backend = new CpuBackend({ workers: pool });
  try {
    const alloc: Alloc = (kind, n) => backend.alloc(kind, n) as TypedArray;
    for (const c of cases(1027, 129)) {
      const want = runWhole(c);
      const { inputs, outputs, attrs } = c.build(alloc, lcg(7));
      const before = pool.dispatched;
      backend.run(c.kernel as KernelName, inputs, outputs, attrs as never);
      assert.ok(pool.dispatched > before, `${c.name}: sent to the worker`);
      assertSameBits(outputs, want, `${c.name} on the Web worker`);
    }
    const wasm = createWasmGemm()!;
    const gemm = parallelWasm(wasm, pool);
    const [m, n, k] = [256, 256, 64];
    const want = gemmCase(m, n, k, {}), got = gemmCase(m, n, k, {});
    wasm.sgemm(want);
    const sent = pool.dispatched;
    gemm.sgemm(got);
    assert.ok(pool.dispatched > sent, "the WASM GEMM split");
    assertSameBits([got.c], [want.c], "split WASM GEMM on the Web worker");
  } finally {
    backend.dispose();
  }
});

Deno.test("job encoding: arrays by buffer id and offset, every number exact, unknown buffers refused", () => {
  const sab = new SharedArrayBuffer(64);
  const f = new Float32Array(sab, 8, 6), i = new Int32Array(sab, 32, 4), d = new Float64Array(sab);
  const job = {
    kernel: "k",
    inputs: [f, i],
    outputs: [d],
    attrs: {
      a: [-0, Infinity, -Infinity, NaN, 1e-300, -3.4e38],
      n: { args: { c: f.subarray(2) } },
    },
  };
  const text = encodeJob(job, (b) => (b === sab ? 7 : undefined));
  assert.ok(text);
  const back = decodeJob(text, new Map([[7, sab]]));
  assert.equal(back.kernel, "k");
  const [f2, i2] = back.inputs;
  assert.ok(
    f2 instanceof Float32Array && f2.buffer === sab && f2.byteOffset === 8 && f2.length === 6,
  );
  assert.ok(i2 instanceof Int32Array && i2.byteOffset === 32 && i2.length === 4);
  assert.ok(back.outputs[0] instanceof Float64Array && back.outputs[0].length === 8);
  const nested = (back.attrs.n as { args: { c: Float32Array } }).args.c;
  assert.ok(nested.byteOffset === 16 && nested.length === 4);
  const a = back.attrs.a as number[];
  assert.ok(Object.is(a[0], -0) && a[1] === Infinity && a[2] === -Infinity && Number.isNaN(a[3]));
  assert.deepEqual(a.slice(4), [1e-300, -3.4e38]);
  assert.equal(encodeJob(job, () => undefined), null, "unknown buffer");
  const plain = { ...job, inputs: [new Float32Array(4)] };
  assert.equal(encodeJob(plain, () => 7), null, "not shared");
  assert.throws(() => decodeJob(text, new Map()), /unknown buffer 7/);
});

Deno.test("thread count: JOINTAG_THREADS semantics, 1 thread means no pool, bad counts throw", async () => {
  assert.equal(createCpuWorkers({ threads: 1 }), null);
  assert.equal(cpuThreads(3), 3);
  assert.throws(() => cpuThreads(0), CpuWorkerError);
  assert.throws(() => cpuThreads(1.5), CpuWorkerError);
  const one = await chooseBackend("cpu", { threads: 1 });
  assert.equal((one.backend as CpuBackend).workers, null);
  one.backend.dispose();
  const two = await chooseBackend("cpu", { threads: 2 });
  assert.equal((two.backend as CpuBackend).workers?.threads, 2);
  two.backend.dispose();
});

/** Two AdamW steps of a small BERT with a tagging head; returns the loss and every parameter. */
async function bertSteps(backend: CpuBackend): Promise<{ losses: number[]; params: TypedArray[] }> {
  setBackend(backend);
  setSeed(99);
  const random = new Random(5);
  const config = new BertConfig({
    vocabSize: 500,
    hiddenSize: 128,
    numHiddenLayers: 1,
    numAttentionHeads: 2,
    intermediateSize: 256,
  });
  const bert = new BertModel(config, { backend, random });
  const head = new Linear(128, 9, { backend, random });
  const named = [...bert.namedParameters("bert."), ...head.namedParameters("head.")];
  const opt = new AdamW(named, { lr: 1e-3, weightDecay: 0.01, noDecay: bertNoDecay });
  const [batch, seq] = [4, 128];
  const ids = tensor(Int32Array.from({ length: batch * seq }, (_, i) => (i * 37) % 500), [
    batch,
    seq,
  ], {
    backend,
  });
  const mask = tensor(
    Int32Array.from({ length: batch * seq }, (_, i) => (i % seq < seq - 9 * (i / seq | 0) ? 1 : 0)),
    [
      batch,
      seq,
    ],
    { backend },
  );
  const labels = tensor(
    Int32Array.from(
      { length: batch * seq },
      (_, i) => (i % seq < seq - 9 * (i / seq | 0) ? i % 9 : -100),
    ),
    [
      batch,
      seq,
    ],
    { backend },
  );
  const losses: number[] = [];
  for (let s = 0; s < 2; s++) {
    const loss = tidy(() => {
      const l = crossEntropy(
        head.forward(bert.forward({ inputIds: ids, attentionMask: mask })),
        labels,
      );
      l.backward();
      opt.step();
      bert.zeroGrad();
      head.zeroGrad();
      return l;
    });
    losses.push(await loss.item());
    loss.dispose();
  }
  const params: TypedArray[] = [];
  for (const [, p] of named) params.push(await p.data());
  opt.dispose();
  bert.dispose();
  head.dispose();
  for (const t of [ids, mask, labels]) t.dispose();
  return { losses, params };
}

/** The GEMM of one thread, and the same split over a pool, for the BERT step test. */
const STEP_GEMMS = {
  // BLAS: its own two threads against one thread on each of the pool's (split GEMMs).
  blas: {
    whole: () => loadBlas({ threads: 2 })!,
    split: (pool: CpuWorkerPool) => parallelBlas(loadBlas({ threads: 1 })!, pool),
  },
  wasm: {
    whole: () => createWasmGemm()!,
    split: (pool: CpuWorkerPool) => parallelWasm(createWasmGemm()!, pool),
  },
};

for (const [name, g] of Object.entries(STEP_GEMMS)) {
  Deno.test({
    name:
      `a BERT training step on the pooled backend (${name} GEMM) matches one thread bit for bit`,
    ignore: name === "blas" && noBlas(blas),
    async fn() {
      const plain = await bertSteps(new CpuBackend({ gemm: g.whole() }));
      const pool = await readyPool(2);
      const backend = new CpuBackend({ gemm: g.split(pool), workers: pool });
      try {
        const pooled = await bertSteps(backend);
        assert.ok(pool.dispatched > 20, `kernels sent to the worker: ${pool.dispatched}`);
        // Most jobs find the worker spinning or asleep in Atomics.wait: handed over in shared memory.
        assert.ok(
          pool.handedOver > pool.dispatched / 2,
          `${pool.handedOver} of ${pool.dispatched}`,
        );
        assert.deepEqual(pooled.losses, plain.losses);
        assertSameBits(pooled.params, plain.params, "parameters after two steps");
      } finally {
        backend.dispose();
        if (name === "blas") loadBlas({ threads: 2 });
      }
    },
  });
}
