/**
 * Tests of src/backend/webgpu/kernels/matmul_plan.ts: the template expander and planner (pure),
 * then every kernel variant on the WebGPU adapter against a float64 CPU reference, and the
 * accuracy of shaders/erf.wgsl.
 * Run: deno test --allow-read test/backend/matmul_plan_test.ts (deno.json enables WebGPU).
 */

import assert from "node:assert/strict";
import {
  expandWgslTemplate,
  MATMUL_UNIFORM_WORDS,
  type MatmulSpec,
  MatmulSpecError,
  type MatmulTuning,
  planMatmul,
  WgslTemplateError,
} from "../../src/backend/webgpu/kernels/matmul_plan.ts";
import { erfWgsl as erfSrc } from "../../src/generated/shaders.ts";
import { matmulLayout } from "../../src/ops/matmul.ts";
import { adapterHasF16 } from "../helpers/webgpu.ts";
import { without } from "../helpers/optional.ts";

const LIMITS = { maxComputeWorkgroupsPerDimension: 65535 };

function spec(partial: Partial<MatmulSpec>): MatmulSpec {
  return {
    batch: 1,
    m: 8,
    n: 8,
    k: 8,
    transA: false,
    transB: false,
    aBatchStride: 0,
    bBatchStride: 0,
    device: "software",
    ...partial,
  };
}

Deno.test("expandWgslTemplate: placeholders, nested unrolling, if/else, comments", () => {
  const src = [
    "// doc mentions {{i}} and {{UNKNOWN}}",
    "const T = {{T}}u;",
    "//#for i 0 2",
    "//#for j 0 N",
    "let a{{i}}_{{j}} = {{T}};",
    "//#endfor",
    "//#endfor",
    "//#if F",
    "yes",
    "//#else",
    "no",
    "//#endif",
    "//#if !F",
    "negated",
    "//#endif",
  ].join("\n");
  const out = expandWgslTemplate(src, { T: 7, N: 3 }, { F: true });
  assert.equal(
    out,
    [
      "// doc mentions {{i}} and {{UNKNOWN}}",
      "const T = 7u;",
      "let a0_0 = 7;",
      "let a0_1 = 7;",
      "let a0_2 = 7;",
      "let a1_0 = 7;",
      "let a1_1 = 7;",
      "let a1_2 = 7;",
      "yes",
    ].join("\n"),
  );
  assert.equal(expandWgslTemplate("//#if F\nyes\n//#else\nno\n//#endif", {}, { F: false }), "no");
});

Deno.test("expandWgslTemplate: errors name the template and line", () => {
  assert.throws(() => expandWgslTemplate("a\nlet x = {{X}};", {}, {}, "t.wgsl"), (e: unknown) => {
    assert.ok(e instanceof WgslTemplateError);
    assert.match(e.message, /t\.wgsl:2: undefined placeholder \{\{X\}\}/);
    return true;
  });
  assert.throws(
    () => expandWgslTemplate("//#if G\n//#endif", {}, {}, "t.wgsl"),
    /t\.wgsl:1: undefined flag G/,
  );
  assert.throws(
    () => expandWgslTemplate("//#for i 0 N\n", {}, {}, "t.wgsl"),
    /missing \/\/#endfor/,
  );
  assert.throws(
    () => expandWgslTemplate("//#endif", {}, {}, "t.wgsl"),
    /t\.wgsl:1: unknown or misplaced/,
  );
  assert.throws(
    () => expandWgslTemplate("//#for i 0 N\n//#endfor", { N: -1 }, {}),
    /bad \/\/#for count/,
  );
});

Deno.test("planMatmul: uniforms hold shapes and strides; the key ignores shapes", () => {
  const p1 = planMatmul(
    spec({ m: 100, n: 64, k: 48, transA: true, batch: 3, aBatchStride: 4800 }),
    LIMITS,
  );
  assert.equal(p1.uniforms.length, MATMUL_UNIFORM_WORDS);
  const rowBlocks = p1.uniforms[10];
  // m, n, k, batch, aBatchStride, bBatchStride, aRowStride, aKStride, bKStride, bColStride.
  assert.deepEqual([...p1.uniforms.slice(0, 10)], [100, 64, 48, 3, 4800, 0, 1, 100, 64, 1]);
  assert.equal(p1.workgroups[1] * p1.workgroups[2] >= rowBlocks * 3, true);
  assert.equal(p1.entryPoint, "main");
  const p2 = planMatmul(spec({ m: 100, n: 64, k: 48, batch: 2, aBatchStride: 0 }), LIMITS);
  assert.equal(p2.key, p1.key, "transA and batch are uniforms, not code");
  assert.equal(p2.code, p1.code);
  const p3 = planMatmul(spec({ m: 100, n: 64, k: 48, transB: true }), LIMITS);
  assert.deepEqual([...p3.uniforms.slice(6, 10)], [48, 1, 1, 48]);
  assert.notEqual(p3.key, p1.key, "transB changes the B load code");
  const gelu = planMatmul(spec({ m: 100, n: 64, k: 48, bias: true, epilogue: "gelu" }), LIMITS);
  assert.notEqual(gelu.key, p1.key);
  assert.match(gelu.code, /fn erf_v4/);
  assert.doesNotMatch(p1.code, /erf_v4/);
  const gpu = planMatmul(spec({ m: 100, n: 64, k: 48, device: "gpu" }), LIMITS);
  assert.match(gpu.variant, /^tiled/);
  assert.match(gpu.code, /workgroupBarrier/);
  assert.match(p1.variant, /^register/);
  assert.doesNotMatch(p1.code, /var<workgroup>|workgroupBarrier/);
  for (const plan of [p1, p3, gelu, gpu]) {
    const codeLines = plan.code.split("\n").filter((l) => !l.trim().startsWith("//"));
    assert.ok(codeLines.every((l) => !l.includes("{{")), `${plan.key}: unexpanded placeholder`);
    assert.doesNotMatch(plan.code, /^\s*\/\/#/m, `${plan.key}: unexpanded directive`);
  }
});

Deno.test("planMatmul: large batches are spread over dispatch y and z within the limit", () => {
  const p = planMatmul(
    spec({ m: 1, n: 4, k: 4, batch: 200_000, aBatchStride: 4, bBatchStride: 16 }),
    LIMITS,
  );
  const [x, y, z] = p.workgroups;
  assert.equal(x, 1);
  assert.ok(y <= 65535 && z <= 65535 && y * z >= 200_000, `${p.workgroups}`);
  assert.equal(p.uniforms[11], y, "dispatchY uniform");
  const attention = planMatmul(
    spec({
      batch: 96,
      m: 128,
      n: 128,
      k: 64,
      transB: true,
      aBatchStride: 8192,
      bBatchStride: 8192,
    }),
    LIMITS,
  );
  assert.equal(
    attention.workgroups[1] * attention.workgroups[2] >= 96 * attention.uniforms[10],
    true,
  );
});

Deno.test("planMatmul: invalid specs throw MatmulSpecError naming the shapes", () => {
  const cases: Partial<MatmulSpec>[] = [
    { m: 0 },
    { n: 2.5 },
    { k: -1 },
    { batch: 0 },
    { aBatchStride: -4 },
    { device: "tpu" as MatmulSpec["device"] },
    { epilogue: "relu" as MatmulSpec["epilogue"] },
  ];
  for (const c of cases) {
    assert.throws(() => planMatmul(spec(c), LIMITS), (e: unknown) => {
      assert.ok(e instanceof MatmulSpecError, String(e));
      assert.match(e.message, /matmul\(batch \d+, A\[.*\] .*B\[.*\]/);
      return true;
    });
  }
  assert.throws(
    () => planMatmul(spec({ m: 1, batch: 100 }), { maxComputeWorkgroupsPerDimension: 9 }),
    /more than 9\^2/,
  );
  assert.throws(
    () => planMatmul(spec({}), LIMITS, { kernel: "tiled", rt: 3, bk: 5 }),
    /multiple of 256/,
  );
});

// ---------------------------------------------------------------------------------------------
// GPU execution against a float64 reference.

let devicePromise: Promise<GPUDevice> | undefined;
function getDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) {
      throw new Error("no WebGPU adapter: these tests need WebGPU (Mesa lavapipe here)");
    }
    // shader-f16 where the adapter has it (lavapipe does): the mixed-precision variants need it.
    const features = (["shader-f16"] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
    return await adapter.requestDevice({ requiredFeatures: features });
  })();
  return devicePromise;
}

/** erf in float64: e^{-x^2} series with positive terms only (no cancellation), exact to ~1e-15. */
function erfRef(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}
const geluRef = (x: number) => 0.5 * x * (1 + erfRef(x / Math.SQRT2));

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 * 2 - 1;
  };
}

interface Case {
  spec: MatmulSpec;
  tuning: MatmulTuning;
  label: string;
}

/** Runs all cases in one submission (Deno polls completion every ~11 ms) and checks each. */
async function runCases(cases: Case[], limits = LIMITS): Promise<void> {
  const device = await getDevice();
  const pipelines = new Map<string, Promise<GPUComputePipeline>>();
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const upload = (data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, use = usage) => {
    const buf = device.createBuffer({
      size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
      usage: use,
    });
    device.queue.writeBuffer(buf, 0, data);
    return buf;
  };
  device.pushErrorScope("validation");
  const prepared = cases.map((c, index) => {
    const s = c.spec;
    const plan = planMatmul(s, limits, c.tuning);
    if (!pipelines.has(plan.key)) {
      const module = device.createShaderModule({ code: plan.code });
      pipelines.set(
        plan.key,
        device.createComputePipelineAsync({
          layout: "auto",
          compute: { module, entryPoint: plan.entryPoint },
        }),
      );
    }
    const rnd = seeded(index + 1);
    const l = matmulLayout(s);
    const outer = s.batch / l.heads;
    // One past the last element of a strided batch of stored rows x cols matrices.
    const extent = (o: number, h: number, ld: number, rows: number, cols: number) =>
      (outer - 1) * o + (l.heads - 1) * h + (rows - 1) * ld + cols;
    const [ar, ac] = s.transA ? [s.k, s.m] : [s.m, s.k];
    const [br, bc] = s.transB ? [s.n, s.k] : [s.k, s.n];
    const a = Float32Array.from(
      { length: extent(l.aBatchStride, l.aHeadStride, l.lda, ar, ac) },
      rnd,
    );
    const b = Float32Array.from(
      { length: extent(l.bBatchStride, l.bHeadStride, l.ldb, br, bc) },
      rnd,
    );
    const bias = Float32Array.from({ length: s.n }, rnd);
    const c0 = Float32Array.from(
      { length: extent(l.cBatchStride, l.cHeadStride, l.ldc, s.m, s.n) },
      rnd,
    );
    return { c, plan, a, b, bias, c0 };
  });
  const encoder = device.createCommandEncoder();
  const outputs: GPUBuffer[] = [];
  const preOutputs = new Map<number, GPUBuffer>();
  for (const p of prepared) {
    const pipeline = await pipelines.get(p.plan.key)!;
    const buffers = [
      upload(p.a),
      upload(p.b),
      upload(p.c0),
      upload(p.plan.uniforms, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST),
    ];
    if (p.c.spec.bias) buffers.push(upload(p.bias));
    // The value before GELU (binding 5; these cases always have a bias at 4).
    if (p.c.spec.savePre) buffers.push(upload(new Float32Array(p.c0.length)));
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    );
    pass.dispatchWorkgroups(...p.plan.workgroups);
    pass.end();
    const out = device.createBuffer({
      size: p.c0.byteLength,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    encoder.copyBufferToBuffer(buffers[2], 0, out, 0, p.c0.byteLength);
    outputs.push(out);
    if (p.c.spec.savePre) {
      const pre = device.createBuffer({
        size: p.c0.byteLength,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      encoder.copyBufferToBuffer(buffers[5], 0, pre, 0, p.c0.byteLength);
      preOutputs.set(outputs.length - 1, pre);
    }
  }
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  assert.equal(error, null, error?.message);
  await Promise.all([...outputs, ...preOutputs.values()].map((o) => o.mapAsync(GPUMapMode.READ)));
  prepared.forEach((p, index) => {
    const got = new Float32Array(outputs[index].getMappedRange());
    const preBuffer = preOutputs.get(index);
    const pre = preBuffer ? new Float32Array(preBuffer.getMappedRange()) : null;
    const s = p.c.spec;
    let maxErr = 0;
    let maxRef = 0;
    const l = matmulLayout(s);
    for (let bi = 0; bi < s.batch; bi++) {
      const o = Math.floor(bi / l.heads);
      const h = bi % l.heads;
      const aBase = o * l.aBatchStride + h * l.aHeadStride;
      const bBase = o * l.bBatchStride + h * l.bHeadStride;
      const cBase = o * l.cBatchStride + h * l.cHeadStride;
      for (let i = 0; i < s.m; i++) {
        for (let j = 0; j < s.n; j++) {
          let acc = 0;
          for (let kk = 0; kk < s.k; kk++) {
            const av = p.a[aBase + (s.transA ? kk * l.lda + i : i * l.lda + kk)];
            const bv = p.b[bBase + (s.transB ? j * l.ldb + kk : kk * l.ldb + j)];
            // Mixed precision: f16 operands and f16 products, summed in float64 here.
            acc += s.f16 ? Math.f16round(Math.f16round(av) * Math.f16round(bv)) : av * bv;
          }
          acc *= l.alpha;
          if (s.bias) acc += p.bias[j];
          const at = cBase + i * l.ldc + j;
          if (pre) maxErr = Math.max(maxErr, Math.abs(pre[at] - acc));
          if (s.epilogue === "gelu") acc = geluRef(acc);
          if (s.accumulate) acc += p.c0[at];
          maxErr = Math.max(maxErr, Math.abs(got[at] - acc));
          maxRef = Math.max(maxRef, Math.abs(acc));
        }
      }
    }
    const rel = maxErr / Math.max(maxRef, 1e-6);
    assert.ok(rel <= 1e-4, `${p.c.label} (${p.plan.variant}): rel err ${rel.toExponential(2)}`);
    outputs[index].unmap();
    preBuffer?.unmap();
  });
}

const SIZES = [1, 3, 17, 33, 65, 130];
const EPILOGUES: Pick<MatmulSpec, "bias" | "epilogue" | "accumulate" | "savePre">[] = [
  {},
  { bias: true, epilogue: "gelu" },
  { bias: true, epilogue: "gelu", savePre: true },
  { bias: true, accumulate: true },
  { epilogue: "gelu", accumulate: true },
];

/**
 * Cases covering, for one kernel tuning: all four transposes x odd sizes (and multiples of 4, so
 * the vec4 paths run) x each epilogue x batch modes (none, strided, A broadcast, B broadcast).
 */
function matrixCases(tuning: MatmulTuning, name: string, device: MatmulSpec["device"]): Case[] {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 33],
    [17, 3, 65],
    [33, 65, 17],
    [65, 130, 3],
    [130, 33, 1],
    [12, 20, 36],
    [8, 132, 16],
  ];
  const cases: Case[] = [];
  let r = 0;
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const [m, n, k] of shapes) {
        const batchMode = r % 4;
        const batch = batchMode === 0 ? 1 : batchMode === 1 ? 3 : 2;
        const s: MatmulSpec = {
          batch,
          m,
          n,
          k,
          transA,
          transB,
          aBatchStride: batchMode === 2 ? 0 : m * k,
          bBatchStride: batchMode === 3 ? 0 : k * n,
          device,
          ...EPILOGUES[r % EPILOGUES.length],
        };
        cases.push({ spec: s, tuning, label: `${name} ${JSON.stringify(s)}` });
        r++;
      }
    }
  }
  return cases;
}

Deno.test("sizes used by the matrix cover the requested odd sizes", () => {
  const used = new Set(
    matrixCases({}, "", "software").flatMap((c) => [c.spec.m, c.spec.n, c.spec.k]),
  );
  for (const s of SIZES) assert.ok(used.has(s), `size ${s}`);
});

Deno.test("register kernel (small block, every layout and epilogue) matches float64", async () => {
  await runCases(
    matrixCases({ kernel: "register", tm: 4, v: 1, wgx: 8 }, "register tm4 v1", "software"),
  );
});

Deno.test("register kernel (odd block tm3 v2 wgx4) matches float64", async () => {
  await runCases(
    matrixCases({ kernel: "register", tm: 3, v: 2, wgx: 4 }, "register tm3 v2", "software").filter((
      _,
      i,
    ) => i % 3 === 0),
  );
});

Deno.test("tiled kernel (every layout and epilogue) matches float64", async () => {
  await runCases(matrixCases({ kernel: "tiled", rt: 2, bk: 8 }, "tiled rt2 bk8", "gpu"));
});

Deno.test("default plans for both devices match float64 (BERT-like shapes)", async () => {
  const cases: Case[] = [];
  const add = (s: Partial<MatmulSpec>, label: string) => {
    for (const device of ["software", "gpu"] as const) {
      cases.push({ spec: spec({ ...s, device }), tuning: {}, label: `${label} ${device}` });
    }
  };
  add({ m: 130, n: 96, k: 64, bias: true, epilogue: "gelu" }, "ffn");
  add(
    { batch: 3, m: 65, n: 64, k: 32, transB: true, aBatchStride: 65 * 32, bBatchStride: 64 * 32 },
    "scores",
  );
  add({ m: 64, n: 36, k: 130, transA: true, accumulate: true }, "dW");
  await runCases(cases);
});

/**
 * Attention's in-place head layouts (src/ops/head_matmul.ts): Q·Kᵀ, P·V and their gradients read
 * and write [B, T, heads · d] with row pitch = hidden, plus a scale; vec4 and scalar variants.
 */
function headCases(device: MatmulSpec["device"], tuning: MatmulTuning, name: string): Case[] {
  const cases: Case[] = [];
  for (const [b, heads, t, d] of [[2, 3, 33, 8], [2, 2, 17, 3]]) {
    const hidden = heads * d;
    const split = { outer: t * hidden, head: d, ld: hidden };
    const major = { outer: heads * t * t, head: t * t, ld: t };
    const add = (
      label: string,
      dims: { m: number; n: number; k: number; transA: boolean; transB: boolean },
      av: typeof split,
      bv: typeof split,
      cv: typeof split,
      alpha: number,
    ) =>
      cases.push({
        spec: {
          ...dims,
          batch: b * heads,
          heads,
          aBatchStride: av.outer,
          aHeadStride: av.head,
          lda: av.ld,
          bBatchStride: bv.outer,
          bHeadStride: bv.head,
          ldb: bv.ld,
          cBatchStride: cv.outer,
          cHeadStride: cv.head,
          ldc: cv.ld,
          alpha,
          device,
        },
        tuning,
        label: `${name} ${label} d${d}`,
      });
    add("scores", { m: t, n: t, k: d, transA: false, transB: true }, split, split, major, 0.25);
    add("context", { m: t, n: d, k: t, transA: false, transB: false }, major, split, split, 1);
    add("dK", { m: t, n: d, k: t, transA: true, transB: false }, major, split, split, 0.25);
    add("dP", { m: t, n: t, k: d, transA: false, transB: true }, split, split, major, 1);
    add("dV", { m: t, n: d, k: t, transA: true, transB: false }, major, split, split, 1);
  }
  return cases;
}

Deno.test("in-place attention head layouts match float64 (register and tiled)", async () => {
  await runCases([
    ...headCases("software", {}, "register default"),
    ...headCases("software", { kernel: "register", tm: 4, v: 1, wgx: 8 }, "register tm4"),
    ...headCases("gpu", { kernel: "tiled", rt: 2, bk: 8 }, "tiled rt2 bk8"),
  ]);
});

Deno.test({
  name: "f16 mixed-precision variants match an f16-product reference",
  ignore: without("f16", await adapterHasF16()),
  fn: f16Variants,
});

async function f16Variants(): Promise<void> {
  const cases: Case[] = [];
  for (const device of ["software", "gpu"] as const) {
    for (
      const [m, n, k, transA, transB] of [[33, 64, 96, false, false], [17, 20, 64, false, true], [
        40,
        36,
        130,
        true,
        false,
      ]] as const
    ) {
      cases.push({
        spec: spec({ m, n, k, transA, transB, device, f16: true, bias: true }),
        tuning: {},
        label: `f16 ${device} ${m}x${n}x${k}`,
      });
    }
  }
  await runCases(cases);
}

Deno.test("batch split across dispatch y and z (tiny workgroup limit) matches float64", async () => {
  const limits = { maxComputeWorkgroupsPerDimension: 7 };
  const s = spec({ batch: 12, m: 9, n: 8, k: 5, aBatchStride: 45, bBatchStride: 0, bias: true });
  const plan = planMatmul(s, limits, { kernel: "register", tm: 4, v: 1, wgx: 8 });
  assert.ok(plan.workgroups[2] > 1, `z used: ${plan.workgroups}`);
  await runCases(
    [{ spec: s, tuning: { kernel: "register", tm: 4, v: 1, wgx: 8 }, label: "split" }],
    limits,
  );
  await runCases([{
    spec: { ...s, device: "gpu" },
    tuning: { kernel: "tiled", rt: 2, bk: 8 },
    label: "split tiled",
  }], limits);
});

Deno.test("erf.wgsl: erf and GELU within 1e-6 of float64 over the real line", async () => {
  const device = await getDevice();
  const xs: number[] = [
    0,
    -0,
    1e-8,
    -1e-8,
    0.5,
    -0.5,
    0.49999997,
    0.50000006,
    6,
    -6,
    10,
    -10,
    30,
    -30,
  ];
  for (let i = 0; i <= 16000; i++) xs.push(-8 + i * 0.001);
  const input = new Float32Array(xs);
  const code = `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> Y: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i < arrayLength(&X)) {
    Y[2u * i] = erf_f32(X[i]);
    Y[2u * i + 1u] = gelu_erf(X[i]);
  }
}
${erfSrc}`;
  const pipeline = await device.createComputePipelineAsync({
    layout: "auto",
    compute: { module: device.createShaderModule({ code }), entryPoint: "main" },
  });
  const x = device.createBuffer({
    size: input.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(x, 0, input);
  const y = device.createBuffer({
    size: input.byteLength * 2,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({
    size: input.byteLength * 2,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: x } }, { binding: 1, resource: { buffer: y } }],
    }),
  );
  pass.dispatchWorkgroups(Math.ceil(input.length / 64));
  pass.end();
  encoder.copyBufferToBuffer(y, 0, read, 0, input.byteLength * 2);
  device.queue.submit([encoder.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(read.getMappedRange().slice(0));
  read.unmap();
  let erfErr = 0;
  let geluErr = 0;
  input.forEach((xi, i) => {
    erfErr = Math.max(erfErr, Math.abs(out[2 * i] - erfRef(xi)));
    // GELU error scales with |x| (it is x * Phi(x)); compare relative to max(1, |x|).
    geluErr = Math.max(geluErr, Math.abs(out[2 * i + 1] - geluRef(xi)) / Math.max(1, Math.abs(xi)));
  });
  assert.ok(erfErr < 1e-6, `erf max abs error ${erfErr}`);
  assert.ok(geluErr < 1e-6, `gelu max error ${geluErr}`);
  assert.equal(out[2 * 12], 1);
  assert.equal(out[2 * 13], -1);
  // Sanity of the reference itself against known values (A&S table): erf(0.5), erf(1), erf(2).
  assert.ok(Math.abs(erfRef(0.5) - 0.5204998778130465) < 1e-15);
  assert.ok(Math.abs(erfRef(1) - 0.8427007929497149) < 1e-15);
  assert.ok(Math.abs(erfRef(2) - 0.9953222650189527) < 1e-15);
});
