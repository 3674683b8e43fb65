/**
 * GEMM throughput: plain-JS GEMM vs native BLAS, square sizes and BERT layer shapes.
 *
 * Run: deno run --allow-ffi --allow-env --allow-read bench/gemm_bench.ts [--dtype=f32|f64|both]
 *      [--quick] [--no-naive]
 * Prints one JSON object on stdout (progress on stderr): per provider, dtype and shape the median
 * GFLOP/s over several timed runs (after one warm-up), plus the BLAS library, kernel and threads.
 *
 * @module
 */
import { type Gemm, type GemmArgs, jsGemm } from "../mod.ts";
import { blasStatus, loadBlas } from "../deno.ts";

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  batch?: number;
}

const SQUARE: Shape[] = [256, 512, 1024, 2048].map((s) => ({
  name: `square ${s}`,
  m: s,
  n: s,
  k: s,
}));

// 8 sequences x 128 tokens = 1024 rows. Small BERT (hidden 128, 4 heads of 32, FFN 512) forward
// and backward shapes, then BERT-base (hidden 768, FFN 3072) forward shapes.
const BERT: Shape[] = [
  { name: "small qkv 1024x128*128x384", m: 1024, n: 384, k: 128 },
  { name: "small attn-out 1024x128*128x128", m: 1024, n: 128, k: 128 },
  { name: "small ffn-up 1024x128*128x512", m: 1024, n: 512, k: 128 },
  { name: "small ffn-down 1024x512*512x128", m: 1024, n: 128, k: 512 },
  { name: "small dW ffn-up 128x1024*1024x512 (A^T)", m: 128, n: 512, k: 1024, transA: true },
  { name: "small dX ffn-up 1024x512*(128x512)^T", m: 1024, n: 128, k: 512, transB: true },
  { name: "small scores 32x[128x32*(128x32)^T]", m: 128, n: 128, k: 32, transB: true, batch: 32 },
  { name: "small context 32x[128x128*128x32]", m: 128, n: 32, k: 128, batch: 32 },
  { name: "base qkv 1024x768*768x2304", m: 1024, n: 2304, k: 768 },
  { name: "base ffn-up 1024x768*768x3072", m: 1024, n: 3072, k: 768 },
  { name: "base ffn-down 1024x3072*3072x768", m: 1024, n: 768, k: 3072 },
  { name: "base scores 96x[128x64*(128x64)^T]", m: 128, n: 128, k: 64, transB: true, batch: 96 },
];

type Dtype = "f32" | "f64";

function argsFor(s: Shape, dtype: Dtype): GemmArgs<Float32Array | Float64Array> {
  const batch = s.batch ?? 1, transA = s.transA ?? false, transB = s.transB ?? false;
  const Ctor = dtype === "f32" ? Float32Array : Float64Array;
  const fill = (len: number) => {
    const x = new Ctor(len);
    for (let i = 0; i < len; i++) x[i] = Math.random() - 0.5;
    return x;
  };
  return {
    transA,
    transB,
    m: s.m,
    n: s.n,
    k: s.k,
    a: fill(batch * s.m * s.k),
    aOffset: 0,
    lda: transA ? s.m : s.k,
    strideA: s.m * s.k,
    b: fill(batch * s.k * s.n),
    bOffset: 0,
    ldb: transB ? s.k : s.n,
    strideB: s.k * s.n,
    c: new Ctor(batch * s.m * s.n),
    cOffset: 0,
    ldc: s.n,
    strideC: s.m * s.n,
    batch,
    alpha: 1,
    beta: 0,
  };
}

/** Textbook i-j-p triple loop, the baseline the brief quotes (~1 GFLOP/s). */
const naiveGemm: Gemm = {
  name: "naive",
  sgemm: (a) => naive(a),
  dgemm: (a) => naive(a),
};

function naive(g: GemmArgs<Float32Array | Float64Array>): void {
  const { m, n, k, a, b, c, lda, ldb, ldc } = g;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * lda + p] * b[p * ldb + j];
      c[i * ldc + j] = s;
    }
  }
}

interface Result {
  provider: string;
  dtype: Dtype;
  shape: string;
  gflops: number;
  runs: number;
  medianMs: number;
}

/** One warm-up, then at least 3 and at most 9 timed runs (stopping after ~2 s). */
function measure(g: Gemm, s: Shape, dtype: Dtype): Result {
  const args = argsFor(s, dtype);
  const call = () =>
    dtype === "f32"
      ? g.sgemm(args as GemmArgs<Float32Array>)
      : g.dgemm(args as GemmArgs<Float64Array>);
  call();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < 9 && performance.now() - start < 2000)) {
    const t0 = performance.now();
    call();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  const med = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  const flops = 2 * s.m * s.n * s.k * (s.batch ?? 1);
  return {
    provider: g.name,
    dtype,
    shape: s.name,
    gflops: Math.round(flops / med / 1e4) / 100,
    runs: times.length,
    medianMs: Math.round(med * 100) / 100,
  };
}

function main(): void {
  const flags = new Set(Deno.args);
  const dtypeFlag = Deno.args.find((a) => a.startsWith("--dtype="))?.slice(8) ?? "both";
  const dtypes: Dtype[] = dtypeFlag === "both" ? ["f32", "f64"] : [dtypeFlag as Dtype];
  const quick = flags.has("--quick");
  const shapes = quick ? [...SQUARE.slice(0, 2), ...BERT.slice(0, 4)] : [...SQUARE, ...BERT];
  const blas = loadBlas();
  const providers: Gemm[] = [jsGemm, ...(blas ? [blas] : [])];
  const results: Result[] = [];
  for (const dtype of dtypes) {
    if (!flags.has("--no-naive")) {
      for (const s of SQUARE.slice(0, 2)) {
        results.push(measure(naiveGemm, s, dtype));
        console.error(JSON.stringify(results.at(-1)));
      }
    }
    for (const s of shapes) {
      for (const g of providers) {
        results.push(measure(g, s, dtype));
        console.error(JSON.stringify(results.at(-1)));
      }
    }
  }
  console.log(JSON.stringify(
    {
      deno: Deno.version.deno,
      cpus: navigator.hardwareConcurrency,
      blas: blas ? { library: blas.library, core: blas.core, threads: blas.threads } : null,
      blasStatus: blasStatus().reason,
      jsThreads: 1,
      results,
    },
    null,
    1,
  ));
}

if (import.meta.main) main();
