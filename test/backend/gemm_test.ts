// Checks the GEMM providers (plain JS, WebAssembly SIMD and native CBLAS) against a naive float64
// reference. Run: deno task test test/backend/gemm_test.ts
// The native part is skipped where no BLAS loads (an optional component: test/helpers/optional.ts).
import assert from "node:assert/strict";
import { type Gemm, type GemmArgs, GemmArgsError } from "../../src/backend/cpu/gemm.ts";
import { jsGemm } from "../../src/backend/cpu/gemm_js.ts";
import { blasStatus, loadBlas } from "../../src/io/deno/blas.ts";
import { createWasmGemm } from "../../src/backend/cpu/wasm_gemm.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { heapMemoryOf, wasmHeapSupported } from "../../src/backend/cpu/wasm_heap.ts";
import { noBlas, optionalBlas } from "../helpers/blas.ts";

type Floats = Float32Array | Float64Array;
type Dtype = "f32" | "f64";

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  label: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  batch?: number;
  alpha?: number;
  beta?: number;
  /** Extra elements per row beyond the minimum pitch. */
  pad?: number;
  /** Leading offset into each array. */
  offset?: number;
  broadcastA?: boolean;
  broadcastB?: boolean;
  /** strideC = 0: every batch accumulates into one C (sequential semantics). */
  sharedC?: boolean;
  /** Fill C with NaN first (beta = 0 must overwrite it). */
  nanC?: boolean;
  /** Pack batches back to back (no gap): "ac" for A and C, "c" for C only. */
  tight?: "ac" | "c";
}

interface Problem {
  args: GemmArgs<Floats>;
  expected: Float64Array;
  /** Per-element error bound scale: |alpha| sum |a||b| + |beta c| accumulated like the result. */
  magnitude: Float64Array;
}

function make(dtype: Dtype, len: number): Floats {
  return dtype === "f32" ? new Float32Array(len) : new Float64Array(len);
}

/** Builds the arrays for a case and its expected C from a naive triple loop in float64. */
function build(c: Case, dtype: Dtype, seed: number): Problem {
  const r = rng(seed);
  const { transA, transB, m, n, k } = c;
  const batch = c.batch ?? 1, alpha = c.alpha ?? 1, beta = c.beta ?? 0;
  const pad = c.pad ?? 0, off = c.offset ?? 0;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
  const strideA = c.broadcastA ? 0 : aRows * lda + (c.tight === "ac" ? 0 : 3);
  const strideB = c.broadcastB ? 0 : bRows * ldb + 5;
  const strideC = c.sharedC ? 0 : m * ldc + (c.tight ? 0 : 2);
  const sizeOf = (stride: number, rows: number, ld: number) =>
    off + Math.max(0, batch - 1) * stride + rows * ld + 7;
  const a = make(dtype, sizeOf(strideA, aRows, lda)).map(() => r() * 2 - 1);
  const b = make(dtype, sizeOf(strideB, bRows, ldb)).map(() => r() * 2 - 1);
  const cArr = make(dtype, sizeOf(strideC, m, ldc)).map(() => (c.nanC ? NaN : r() * 2 - 1));
  const args: GemmArgs<Floats> = {
    transA,
    transB,
    m,
    n,
    k,
    a,
    aOffset: off,
    lda,
    strideA,
    b,
    bOffset: off,
    ldb,
    strideB,
    c: cArr,
    cOffset: off,
    ldc,
    strideC,
    batch,
    alpha,
    beta,
  };
  const expected = Float64Array.from(cArr);
  const magnitude = new Float64Array(cArr.length);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, mag = 0;
        for (let p = 0; p < k; p++) {
          const av = transA
            ? a[off + bi * strideA + p * lda + i]
            : a[off + bi * strideA + i * lda + p];
          const bv = transB
            ? b[off + bi * strideB + j * ldb + p]
            : b[off + bi * strideB + p * ldb + j];
          s += av * bv;
          mag += Math.abs(av * bv);
        }
        const ci = off + bi * strideC + i * ldc + j;
        const old = beta === 0 ? 0 : beta * expected[ci];
        expected[ci] = alpha * s + old;
        magnitude[ci] = Math.abs(alpha) * mag + Math.abs(beta === 0 ? 0 : beta * magnitude[ci]) +
          Math.abs(old);
      }
    }
  }
  return { args, expected, magnitude };
}

function run(g: Gemm, dtype: Dtype, args: GemmArgs<Floats>): void {
  if (dtype === "f32") g.sgemm(args as GemmArgs<Float32Array>);
  else g.dgemm(args as GemmArgs<Float64Array>);
}

/** Runs one case and compares every element of C (including untouched padding) to the reference. */
function check(g: Gemm, dtype: Dtype, c: Case, seed: number): void {
  const { args, expected, magnitude } = build(c, dtype, seed);
  run(g, dtype, args);
  // Standard GEMM error bound: |err| <= (k + 2) * eps * (|alpha| sum |a b| + |beta c|).
  const eps = dtype === "f32" ? 2 ** -23 : 2 ** -52;
  const gamma = (c.k + 4) * eps * (c.sharedC ? (c.batch ?? 1) : 1);
  const got = args.c;
  for (let i = 0; i < got.length; i++) {
    const want = dtype === "f32" ? Math.fround(expected[i]) : expected[i];
    const tol = gamma * magnitude[i] + (dtype === "f32" ? Math.abs(want) * eps : 0);
    if (!(Math.abs(got[i] - want) <= tol) && !(Number.isNaN(want) && Number.isNaN(got[i]))) {
      assert.fail(
        `${g.name} ${dtype} ${c.label} (seed ${seed}): c[${i}] = ${got[i]}, expected ${want} ` +
          `(tol ${tol.toExponential(2)})`,
      );
    }
  }
}

const TRANS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

/** Hand-picked cases: every transpose combo times shapes that hit each code path and edge. */
function cases(): Case[] {
  const out: Case[] = [];
  for (const [transA, transB] of TRANS) {
    const t = `${transA ? "T" : "N"}${transB ? "T" : "N"}`;
    const add = (label: string, c: Omit<Case, "label" | "transA" | "transB">) =>
      out.push({ label: `${t} ${label}`, transA, transB, ...c });
    add("square 64 (packed)", { m: 64, n: 64, k: 64 });
    add("non-square edges 37x29x45 (packed, partial tiles)", { m: 37, n: 29, k: 45 });
    add("k > KC, m > MC: 131x21x300", { m: 131, n: 21, k: 300, beta: 1 });
    add("n > NC: 5x1030x9", { m: 5, n: 1030, k: 9 });
    add("m = 1 (gemv)", { m: 1, n: 50, k: 70 });
    add("n = 1", { m: 50, n: 1, k: 70 });
    add("k = 1 (outer product)", { m: 20, n: 30, k: 1 });
    add("all 1", { m: 1, n: 1, k: 1 });
    add("tiny direct 3x5x7", { m: 3, n: 5, k: 7, alpha: -0.5, beta: 2 });
    add("padded pitches + offsets, beta=1", { m: 33, n: 34, k: 35, pad: 3, offset: 11, beta: 1 });
    add("alpha=0.25 beta=-1.5", { m: 40, n: 24, k: 16, alpha: 0.25, beta: -1.5 });
    add("beta=0 overwrites NaN", { m: 21, n: 22, k: 23, nanC: true });
    add("batch 3", { m: 33, n: 31, k: 29, batch: 3, beta: 1, offset: 2 });
    add("batch 4, A broadcast", { m: 34, n: 20, k: 30, batch: 4, broadcastA: true });
    add("batch 4, B broadcast", { m: 18, n: 20, k: 50, batch: 4, broadcastB: true, pad: 1 });
    add("batch 3, shared C accumulates", { m: 9, n: 10, k: 11, batch: 3, sharedC: true, beta: 1 });
    add("batch 2, shared C, packed", { m: 30, n: 30, k: 30, batch: 2, sharedC: true, beta: 0.5 });
    add("k = 0 scales C", { m: 4, n: 5, k: 0, beta: 3 });
    add("alpha = 0, beta = 0", { m: 6, n: 7, k: 8, alpha: 0, nanC: true });
  }
  for (const tight of ["ac", "c"] as const) {
    for (const dims of [{ m: 16, n: 24, k: 32 }, { m: 3, n: 5, k: 4 }]) {
      out.push({
        label: `B broadcast, tight ${tight} (${tight === "ac" ? "folds" : "must not fold"})`,
        transA: false,
        transB: false,
        ...dims,
        batch: 3,
        broadcastB: true,
        beta: 1,
        pad: 1,
        tight,
      });
    }
  }
  return out;
}

/** Random shapes (including size-1 dims), transposes, batch and scalars. */
function randomCases(count: number, seed: number): Case[] {
  const r = rng(seed);
  const dim = () => (r() < 0.15 ? 1 : 1 + Math.floor(r() * 70));
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const [transA, transB] = TRANS[Math.floor(r() * 4)];
    const c: Case = {
      label: `random #${i}`,
      transA,
      transB,
      m: dim(),
      n: dim(),
      k: dim(),
      batch: 1 + Math.floor(r() * 3),
      alpha: r() < 0.5 ? 1 : r() * 4 - 2,
      beta: [0, 1, 0.5][Math.floor(r() * 3)],
      pad: Math.floor(r() * 3),
      offset: Math.floor(r() * 5),
      broadcastA: r() < 0.2,
      broadcastB: r() < 0.2,
    };
    c.label += ` ${transA ? "T" : "N"}${transB ? "T" : "N"} ${c.m}x${c.n}x${c.k} b${c.batch}`;
    out.push(c);
  }
  return out;
}

function suite(g: Gemm): void {
  let seed = 1;
  for (const dtype of ["f32", "f64"] as const) {
    for (const c of cases()) check(g, dtype, c, seed++);
    for (const c of randomCases(40, 1000 + seed)) check(g, dtype, c, seed++);
  }
}

/** Out-of-range accesses must throw before touching memory (the native path would corrupt it). */
function rejectsBadArgs(g: Gemm): void {
  const base = build({ label: "bad", transA: false, transB: true, m: 4, n: 5, k: 6 }, "f64", 7)
    .args as GemmArgs<Float64Array>;
  const bad: [string, Partial<GemmArgs<Float64Array>>][] = [
    ["A too short", { a: new Float64Array(23) }],
    ["B too short (transB)", { b: new Float64Array(29) }],
    ["C offset past end", { cOffset: base.c.length - 3 }],
    ["lda below k", { lda: 5 }],
    ["ldb below k (transB)", { ldb: 5 }],
    ["ldc below n", { ldc: 4 }],
    ["negative m", { m: -1 }],
    ["fractional k", { k: 2.5 }],
    ["batch overruns A", { batch: 2, strideA: 24 }],
    ["NaN alpha", { alpha: NaN }],
  ];
  for (const [label, patch] of bad) {
    assert.throws(() => g.dgemm({ ...base, ...patch }), GemmArgsError, `${g.name}: ${label}`);
  }
  const f32 = build({ label: "bad32", transA: true, transB: false, m: 3, n: 3, k: 3 }, "f32", 8)
    .args as GemmArgs<Float32Array>;
  assert.throws(() => g.sgemm({ ...f32, a: new Float32Array(8) }), GemmArgsError);
}

Deno.test("js gemm matches the naive reference (f32, f64, all transposes, batches)", () => {
  suite(jsGemm);
});

Deno.test("js gemm rejects invalid arguments", () => rejectsBadArgs(jsGemm));

Deno.test("js gemm: larger packed problem 150x260x270 NT matches reference", () => {
  for (const dtype of ["f32", "f64"] as const) {
    check(jsGemm, dtype, {
      label: "large",
      transA: false,
      transB: true,
      m: 150,
      n: 260,
      k: 270,
      beta: 0.5,
    }, 99);
  }
});

const blas = optionalBlas();

Deno.test({
  name: "native BLAS loads and matches the naive reference",
  ignore: noBlas(blas),
  fn() {
    assert.equal(blasStatus().ok, true);
    assert.match(blasStatus().reason, /native BLAS/);
    suite(blas!);
  },
});

Deno.test({
  name: "native BLAS rejects invalid arguments before calling into C",
  ignore: noBlas(blas),
  fn: () => rejectsBadArgs(blas!),
});

/** Max |x − y| after running `c` through both GEMMs on copies of the same f32 problem. */
function disagreement(g: Gemm, h: Gemm, c: Case): number {
  const x = build(c, "f32", 5).args as GemmArgs<Float32Array>;
  const y = build(c, "f32", 5).args as GemmArgs<Float32Array>;
  g.sgemm(x);
  h.sgemm(y);
  let worst = 0;
  for (let i = 0; i < x.c.length; i++) worst = Math.max(worst, Math.abs(x.c[i] - y.c[i]));
  return worst;
}

Deno.test({
  name: "native BLAS and js gemm agree on a 96x80x200 TN f32 problem",
  ignore: noBlas(blas),
  fn() {
    const c: Case = { label: "agree", transA: true, transB: false, m: 96, n: 80, k: 200, beta: 1 };
    const worst = disagreement(blas!, jsGemm, c);
    assert.ok(worst < 1e-4, `max |blas - js| = ${worst}`);
  },
});

for (const relaxed of [false, true]) {
  const wasm = createWasmGemm({ relaxed });
  const label = `wasm gemm${relaxed ? " (relaxed SIMD where the engine has it)" : ""}`;
  Deno.test(`${label} matches the naive reference`, () => {
    assert.ok(wasm, "WebAssembly SIMD is available in Deno");
    suite(wasm);
    rejectsBadArgs(wasm);
  });
  Deno.test(`${label} and js gemm agree on larger problems, all transposes`, () => {
    // Edge panels in every dimension, and k both a multiple of the packs' 4 steps and not.
    for (const [m, n, k] of [[150, 260, 270], [151, 257, 64], [37, 29, 19]]) {
      for (const [transA, transB] of TRANS) {
        const c: Case = { label: "agree", transA, transB, m, n, k, beta: 0.5 };
        const worst = disagreement(wasm!, jsGemm, c);
        assert.ok(worst < 1e-4, `${transA} ${transB} ${m}x${n}x${k}: max |wasm - js| = ${worst}`);
      }
    }
  });
}

Deno.test("wasm gemm adds a bias row with the bits of a C preset to it and beta = 1", () => {
  const wasm = createWasmGemm()!;
  for (const [m, n, k, pad] of [[64, 40, 32, 0], [37, 29, 19, 3]]) {
    for (const [transA, transB] of TRANS) {
      const c: Case = { label: "bias", transA, transB, m, n, k, batch: 2, pad, beta: 0 };
      const fused = build(c, "f32", 9).args as GemmArgs<Float32Array>;
      const preset = build(c, "f32", 9).args as GemmArgs<Float32Array>;
      const bias = Float32Array.from({ length: n }, (_, j) => Math.sin(j) * 3);
      wasm.sgemm({ ...fused, bias });
      for (let bi = 0; bi < 2; bi++) {
        for (let r = 0; r < m; r++) {
          preset.c.set(bias, preset.cOffset + bi * preset.strideC + r * preset.ldc);
        }
      }
      wasm.sgemm({ ...preset, beta: 1 });
      assert.deepEqual(fused.c, preset.c, `${transA} ${transB} ${m}x${n}x${k}`);
    }
  }
});

/** `args` with its arrays (and `bias`) copied onto `backend`'s WebAssembly heap, `lead` in. */
function onHeap(
  backend: CpuBackend,
  args: GemmArgs<Float32Array>,
  lead: number,
): GemmArgs<Float32Array> {
  const copy = (x: Float32Array) => {
    const block = backend.alloc("f32", x.length + lead) as Float32Array;
    const a = block.subarray(lead);
    a.set(x);
    return a;
  };
  const bias = args.bias ? copy(args.bias) : undefined;
  return { ...args, a: copy(args.a), b: copy(args.b), c: copy(args.c), bias };
}

Deno.test({
  name: "wasm gemm on the WebAssembly heap (in place, no copies) gives the copying path's bits",
  ignore: !wasmHeapSupported(),
  fn() {
    const backend = new CpuBackend();
    try {
      for (const relaxed of [false, true]) {
        const wasm = createWasmGemm({ relaxed })!;
        let seed = 1;
        for (const c of [...cases(), ...randomCases(40, 77)]) {
          for (const withBias of [false, true]) {
            const copied = build(c, "f32", seed).args as GemmArgs<Float32Array>;
            if (withBias) copied.bias = Float32Array.from({ length: c.n }, (_, j) => Math.sin(j));
            const inPlace = onHeap(backend, copied, seed++ % 3);
            assert.ok(
              heapMemoryOf(inPlace.a.buffer) &&
                heapMemoryOf(inPlace.bias?.buffer ?? inPlace.c.buffer),
            );
            wasm.sgemm(copied);
            wasm.sgemm(inPlace);
            const got = new Int32Array(inPlace.c.buffer, inPlace.c.byteOffset, inPlace.c.length);
            const want = new Int32Array(copied.c.buffer, copied.c.byteOffset, copied.c.length);
            for (let i = 0; i < want.length; i++) {
              if (got[i] !== want[i]) {
                assert.fail(
                  `${c.label} relaxed ${relaxed} bias ${withBias}: C[${i}] ${inPlace.c[i]} vs ${
                    copied.c[i]
                  }`,
                );
              }
            }
          }
        }
      }
    } finally {
      backend.dispose();
    }
  },
});

Deno.test("loadBlas reports a missing library", () => {
  const g = loadBlas({ paths: ["/nonexistent/libjointag_no_such_blas.so"] });
  assert.equal(g, null);
  assert.equal(blasStatus().ok, false);
  assert.match(blasStatus().reason, /not found.*libjointag_no_such_blas/);
});

Deno.test({
  name: "loadBlas honours an explicit thread count",
  ignore: noBlas(blas),
  fn() {
    const g = loadBlas({ threads: 1 });
    assert.ok(g, blasStatus().reason);
    assert.equal(g.threads, 1);
    assert.match(g.name, /1 threads/);
    loadBlas(); // restore the default for anything that runs after
  },
});
