/**
 * The in-place WebAssembly passes (src/backend/cpu/wasm_inplace.ts, wasm/inplace.as.ts) on the
 * CPU backend's WebAssembly heap (src/backend/cpu/wasm_heap.ts): each gives exactly the
 * TypeScript kernel's bits, on one thread and split over worker threads.
 * @module
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { cpuKernels } from "../../src/backend/cpu/kernels/mod.ts";
import { geluGradRowF32, geluRowF32 } from "../../src/backend/cpu/kernels/gelu_f32.ts";
import { inplaceFor, setInplacePasses } from "../../src/backend/cpu/wasm_inplace.ts";
import { heapMemoryOf, wasmHeapSupported } from "../../src/backend/cpu/wasm_heap.ts";
import { createCpuWorkers } from "../../src/io/deno/cpu_workers.ts";
import type { TypedArray } from "../../src/core/dtype.ts";
import type { MapAttrs } from "../../src/core/kernel_contract.ts";
import { GELU } from "../../src/core/gelu_expr.ts";

const supported = wasmHeapSupported();

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** The bit patterns of a float32 array (NaN payloads and −0 included). */
const bits = (a: TypedArray) => new Int32Array(a.buffer, a.byteOffset, a.length);

function assertSameBits(got: TypedArray, want: TypedArray, label: string): void {
  const g = bits(got), w = bits(want);
  assert.equal(g.length, w.length, label);
  for (let i = 0; i < w.length; i++) {
    if (g[i] !== w[i]) assert.fail(`${label}: element ${i}: ${got[i]} vs ${want[i]}`);
  }
}

/** AdamW operands of `len` elements: whole 128-blocks of zeros, and zeros inside dense blocks. */
function adamwOperands(len: number, seed: number): Float32Array[] {
  const rnd = lcg(seed);
  const unused = (i: number) => (i >> 7) % 3 === 1;
  const grad = new Float32Array(len), param = new Float32Array(len);
  const m = new Float32Array(len), v = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    param[i] = rnd() - 0.5;
    if (unused(i) || i % 37 === 5) continue;
    grad[i] = (rnd() - 0.5) * (i % 11 === 0 ? 1e-6 : 1);
    m[i] = 0.01 * (rnd() - 0.5);
    v[i] = 1e-4 * rnd();
  }
  return [grad, param, m, v];
}

/** The hyper-parameter vector of step t (bias corrections change every step). */
function hyper(t: number, decay: boolean): Float32Array {
  const [b1, b2] = [0.9, 0.999];
  return Float32Array.of(1e-3, b1, b2, 1e-8, decay ? 0.01 : 0, 1 - b1 ** t, 1 - b2 ** t, 0.5);
}

/** Copies `src` into a new block of `backend` at element offset `lead` of the allocation. */
function place(backend: CpuBackend, src: Float32Array, lead: number): Float32Array {
  const block = backend.alloc("f32", src.length + lead) as Float32Array;
  const a = block.subarray(lead);
  a.set(src);
  return a;
}

Deno.test({
  name:
    "in-place AdamW gives the TypeScript kernel's bits (steps, zero blocks, odd lengths, offsets)",
  ignore: !supported,
  fn() {
    const heap = new CpuBackend(), plain = new CpuBackend({ wasmHeap: false });
    try {
      for (const len of [1, 2, 3, 5, 127, 128, 129, 383, 1000, 4099, 70001]) {
        for (const lead of [0, 1, 3]) {
          const ops = adamwOperands(len, len + lead);
          const onHeap = ops.map((a) => place(heap, a, lead));
          const ref = ops.map((a) => place(plain, a, lead));
          assert.ok(inplaceFor(...onHeap), "all four on the heap");
          assert.equal(inplaceFor(...ref), null, "ordinary buffers run TypeScript");
          for (let t = 1; t <= 4; t++) {
            const h = hyper(t, t % 2 === 1);
            cpuKernels.adamw([onHeap[0], h], onHeap.slice(1), {}, heap);
            cpuKernels.adamw([ref[0], h], ref.slice(1), {}, plain);
            ["param", "m", "v"].forEach((name, k) =>
              assertSameBits(onHeap[k + 1], ref[k + 1], `${len}+${lead} step ${t} ${name}`)
            );
          }
        }
      }
    } finally {
      heap.dispose();
      plain.dispose();
    }
  },
});

Deno.test({
  name: "in-place AdamW: turned off, the heap's arrays take the TypeScript loop (same bits)",
  ignore: !supported,
  fn() {
    const backend = new CpuBackend();
    try {
      const ops = adamwOperands(1000, 3);
      const a = ops.map((x) => place(backend, x, 0)), b = ops.map((x) => place(backend, x, 0));
      assert.ok(heapMemoryOf(a[0].buffer));
      setInplacePasses(false);
      try {
        assert.equal(inplaceFor(...a), null);
        cpuKernels.adamw([a[0], hyper(1, true)], a.slice(1), {}, backend);
      } finally {
        setInplacePasses(true);
      }
      cpuKernels.adamw([b[0], hyper(1, true)], b.slice(1), {}, backend);
      for (let k = 1; k < 4; k++) assertSameBits(a[k], b[k], `output ${k}`);
    } finally {
      backend.dispose();
    }
  },
});

/** Builds one kernel call's arrays with `alloc` (the same values whatever the backend). */
type Build = (alloc: (n: number) => Float32Array) => {
  inputs: Float32Array[];
  outputs: Float32Array[];
  attrs: Record<string, unknown>;
};

/**
 * Runs `kernel` on the heap (in place, in WebAssembly) and on ordinary buffers (TypeScript), each
 * array at element offset `lead` of its block, and compares the outputs' bits.
 */
function sameBitsOnHeap(kernel: string, build: Build, label: string, lead = 0): void {
  const heap = new CpuBackend(), plain = new CpuBackend({ wasmHeap: false });
  try {
    const runOn = (b: CpuBackend) => {
      const call = build((n) => place(b, new Float32Array(n), lead));
      cpuKernels[kernel](call.inputs, call.outputs, call.attrs as never, b);
      return call;
    };
    const got = runOn(heap), want = runOn(plain);
    assert.ok(inplaceFor(...got.inputs, ...got.outputs), `${label}: on the heap`);
    got.outputs.forEach((o, k) => assertSameBits(o, want.outputs[k], `${label} output ${k}`));
  } finally {
    heap.dispose();
    plain.dispose();
  }
}

/** An array of `n` values from `f`. */
function fill(a: Float32Array, f: (i: number) => number): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = f(i);
  return a;
}

/** Layer-norm gradient operands: dy, x, γ, and per-row mean and rstd of x. */
function lnOperands(alloc: (n: number) => Float32Array, rows: number, cols: number) {
  const rnd = lcg(rows * 1000 + cols);
  const dy = fill(alloc(rows * cols), () => rnd() - 0.5);
  const x = fill(alloc(rows * cols), (i) => 3 * (rnd() - 0.5) + (i % cols) * 1e-3);
  const g = fill(alloc(cols), () => 1 + 0.2 * (rnd() - 0.5));
  const mean = fill(alloc(rows), () => 0.1 * (rnd() - 0.5));
  const rstd = fill(alloc(rows), () => 0.5 + rnd());
  return { dy, x, g, mean, rstd };
}

const LN_SHAPES = [[1, 1], [1, 2], [3, 5], [2, 7], [7, 8], [5, 17], [33, 129], [64, 256], [
  65,
  384,
]];

Deno.test({
  name:
    "in-place layer-norm gradients give the TypeScript kernels' bits (odd sizes, column ranges)",
  ignore: !supported,
  fn() {
    for (const [rows, cols] of LN_SHAPES) {
      for (const lead of [0, 1]) {
        const label = `${rows}x${cols}+${lead}`;
        sameBitsOnHeap(
          "layer_norm_grad",
          (alloc) => {
            const { dy, x, g, mean, rstd } = lnOperands(alloc, rows, cols);
            return {
              inputs: [dy, x, g, mean, rstd],
              outputs: [alloc(rows * cols)],
              attrs: { rows, cols },
            };
          },
          `layer_norm_grad ${label}`,
          lead,
        );
        const ranges = [[0, cols], [1, cols], [Math.min(3, cols - 1), Math.max(cols - 2, 1)]];
        for (const [from, to] of ranges.filter(([f, t]) => f < t)) {
          sameBitsOnHeap(
            "layer_norm_grad_params",
            (alloc) => {
              const { dy, x, mean, rstd } = lnOperands(alloc, rows, cols);
              const attrs = { rows, cols, colFrom: from, colTo: to };
              return {
                inputs: [dy, x, mean, rstd],
                outputs: [alloc(to - from), alloc(to - from)],
                attrs,
              };
            },
            `layer_norm_grad_params ${label} columns ${from}..${to}`,
            lead,
          );
        }
      }
    }
  },
});

Deno.test({
  name:
    "in-place column sums give the TypeScript kernel's bits (sum and squares, odd widths, ranges)",
  ignore: !supported,
  fn() {
    const shapes = [[1, 1, 16], [1, 3, 17], [1, 4, 33], [2, 7, 19], [1, 1024, 256], [3, 65, 383]];
    for (const [outer, r, inner] of shapes) {
      for (const op of ["sum", "sumsq"] as const) {
        const ranges = [[0, inner], [1, inner], [2, Math.max(inner - 1, 18)]];
        for (const [from, to] of ranges.filter(([f, t]) => t - f >= 16 && t <= inner)) {
          const label = `reduce ${op} ${outer}x${r}x${inner} ${from}..${to}`;
          sameBitsOnHeap(
            "reduce",
            (alloc) => {
              const rnd = lcg(outer * r * inner + from);
              const x = fill(alloc(outer * r * inner), () => (rnd() - 0.5) * 10);
              const out = fill(alloc(outer * inner + 3), () => 7);
              const attrs = { op, outer, r, inner, outOffset: 3, innerFrom: from, innerTo: to };
              return { inputs: [x], outputs: [out], attrs };
            },
            label,
            1,
          );
        }
      }
    }
  },
});

Deno.test({
  name: "in-place sums along rows (clipping's Σg²) give the TypeScript kernel's bits (odd lengths)",
  ignore: !supported,
  fn() {
    for (const [outer, r] of [[1, 16], [1, 17], [3, 33], [2, 1000], [1, 1_000_001]]) {
      for (const op of ["sum", "sumsq"] as const) {
        sameBitsOnHeap(
          "reduce",
          (alloc) => {
            // Magnitudes over 8 decades and both signs: cancellation makes the float32 result
            // sensitive to the order of the adds.
            const rnd = lcg(outer * r);
            const x = fill(alloc(outer * r), () => (rnd() - 0.5) * 10 ** (8 * rnd() - 4));
            const out = fill(alloc(outer + 2), () => 7);
            return { inputs: [x], outputs: [out], attrs: { op, outer, r, inner: 1, outOffset: 2 } };
          },
          `reduce ${op} ${outer}x${r}x1`,
          1,
        );
      }
    }
  },
});

/** GELU inputs: normal with standard deviation `sd`, and the edges of the tables and tails. */
function geluInputs(n: number, sd: number, seed: number): Float32Array {
  const rnd = lcg(seed);
  const edges = [
    0,
    -0,
    4,
    -4,
    3.9999998,
    -4.0000005,
    37.4,
    -37.4,
    37.9,
    -38,
    -38.6,
    -40,
    1e3,
    -1e30,
  ];
  return new Float32Array(n).map((_, i) => {
    if (i % 97 === 3) return edges[(i / 97 | 0) % edges.length];
    const u = Math.max(rnd(), 1e-12), v = rnd();
    return sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

Deno.test({
  name:
    "in-place GELU and its gradient give the TypeScript loops' bits (tails, odd lengths, offsets)",
  ignore: !supported,
  fn() {
    const heap = new CpuBackend(), plain = new CpuBackend({ wasmHeap: false });
    try {
      for (const n of [1, 2, 3, 7, 100, 4097, 20001]) {
        for (const sd of [1, 3, 20]) {
          const x = geluInputs(n, sd, n + sd), dy = geluInputs(n, 1, 7 * n);
          const [hx, px] = [place(heap, x, 1), place(plain, x, 1)];
          const [hy, py] = [place(heap, dy, 2), place(plain, dy, 2)];
          const [ho, po] = [heap, plain].map((b) => place(b, new Float32Array(n + 3), 0));
          assert.ok(inplaceFor(hx, hy, ho));
          // Offsets inside the arrays as the map kernel passes them (1 into x, 3 into out).
          const m = n - 1;
          geluRowF32(hx, 1, 1, ho, 3, m);
          geluRowF32(px, 1, 1, po, 3, m);
          assertSameBits(ho, po, `gelu n=${n} sd=${sd}`);
          geluGradRowF32(hx, 0, 1, hy, 1, 1, ho, 2, m);
          geluGradRowF32(px, 0, 1, py, 1, 1, po, 2, m);
          assertSameBits(ho, po, `gelu_grad n=${n} sd=${sd}`);
        }
      }
    } finally {
      heap.dispose();
      plain.dispose();
    }
  },
});

Deno.test({
  name: "in-place layer norm and residual layer norm give the TypeScript kernels' bits",
  ignore: !supported,
  fn() {
    for (const [rows, cols] of LN_SHAPES) {
      for (const shift of [0, 100]) {
        const label = `${rows}x${cols} shift ${shift}`;
        sameBitsOnHeap(
          "layer_norm",
          (alloc) => {
            const { x, g, dy: b } = lnOperands(alloc, rows, cols);
            x.forEach((v, i) => (x[i] = v + shift));
            const outs = [alloc(rows * cols), alloc(rows), alloc(rows)];
            return { inputs: [x, g, b], outputs: outs, attrs: { rows, cols, eps: 1e-12 } };
          },
          `layer_norm ${label}`,
          1,
        );
        for (const p of [0, 0.1]) {
          sameBitsOnHeap(
            "residual_layer_norm",
            (alloc) => {
              const { x, g, dy: res, mean: b } = lnOperands(alloc, rows, cols);
              const beta = fill(alloc(cols), (i) => b[i % rows] + shift);
              const outs = [alloc(rows * cols), alloc(rows), alloc(rows), alloc(rows * cols)];
              const attrs = { rows, cols, eps: 1e-5, p, seed: 11 };
              return { inputs: [x, res, g, beta], outputs: outs, attrs };
            },
            `residual_layer_norm p=${p} ${label}`,
            1,
          );
        }
      }
    }
  },
});

Deno.test({
  name:
    "in-place softmax gives the copying WebAssembly softmax's bits (masks, odd widths, offsets)",
  ignore: !supported,
  fn() {
    // [batch, heads, rows, cols] attention scores with a [batch, 1, 1, cols] padding mask.
    for (const [batch, heads, q, cols] of [[1, 1, 3, 16], [2, 3, 5, 17], [2, 2, 33, 130]]) {
      for (const hasMask of [true, false]) {
        for (const rowOffset of [0, 1]) {
          const rows = batch * heads * q - rowOffset;
          const attrs = {
            rows,
            cols,
            log: false,
            rowShape: [batch, heads, q],
            maskStrides: [cols, 0, 0],
            maskColStride: 1,
            hasMask,
            rowOffset,
          };
          sameBitsOnHeap(
            "softmax",
            (alloc) => {
              const rnd = lcg(rows * cols);
              const x = fill(alloc(rows * cols), () => 8 * (rnd() - 0.5));
              const mask = fill(alloc(batch * cols), (i) => (i % cols > cols - 4 ? -3.4e38 : 0));
              return { inputs: [x, mask], outputs: [alloc(rows * cols)], attrs };
            },
            `softmax ${batch}x${heads}x${q}x${cols} mask ${hasMask} from row ${rowOffset}`,
            1,
          );
        }
      }
    }
  },
});

/** Values for element-wise arithmetic: ordinary, tiny (subnormal results), huge, ±0, ±∞. */
function arithmeticInputs(n: number, seed: number): Float32Array {
  const rnd = lcg(seed);
  const special = [0, -0, Infinity, -Infinity, 1e-40, -3e-39, 3e38, -3e38, 1e-20, 7];
  return new Float32Array(n).map((_, i) =>
    i % 13 === 4 ? special[(i / 13 | 0) % special.length] : (rnd() - 0.5) * 10 ** (rnd() * 8 - 4)
  );
}

Deno.test({
  name: "in-place + − × ÷ of contiguous rows give the TypeScript loops' bits",
  ignore: !supported,
  fn() {
    const ops = ["add", "sub", "mul", "div"];
    for (const key of ops) {
      for (const n of [32, 33, 35, 1000, 4099]) {
        sameBitsOnHeap(
          "map",
          (alloc) => {
            const x = alloc(n), y = alloc(n);
            x.set(arithmeticInputs(n, n));
            y.set(arithmeticInputs(n, 2 * n + 1));
            const js = (a: number, b: number) => a + b; // not called: the row loops are by key
            const attrs: MapAttrs = {
              expr: { key, wgsl: "", js },
              flat: true,
              params: [],
              shape: [],
              strides: [],
              inDTypes: ["f32", "f32"],
              outDType: "f32",
            };
            return { inputs: [x, y], outputs: [alloc(n)], attrs };
          },
          `${key} ${n}`,
          1,
        );
      }
    }
  },
});

/** Dropout inputs: ordinary values with NaN, ±∞, ±0, subnormals and huge ones among them. */
function dropoutInputs(n: number, seed: number): Float32Array {
  const rnd = lcg(seed);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e38, 3.4e38];
  return new Float32Array(n).map((_, i) =>
    i % 17 === 6 ? special[(i / 17 | 0) % special.length] : 4 * (rnd() - 0.5)
  );
}

/** kernels/dropout.ts tabulates the inner hash of the first 2²³ global indices. */
const DROPOUT_TABLE = 1 << 23;

Deno.test({
  name:
    "in-place dropout gives the TypeScript kernel's bits (mask, forward and the cached backward, offsets past the table)",
  ignore: !supported,
  fn() {
    const heap = new CpuBackend(), plain = new CpuBackend({ wasmHeap: false });
    try {
      const offsets = [0, 37, 4096, DROPOUT_TABLE - 40, DROPOUT_TABLE + 5];
      for (const n of [1, 3, 31, 32, 33, 100, 1000, 4099, 70001]) {
        for (const p of [0.1, 0.5, 0.7, 1 - 2 ** -20]) {
          for (const indexOffset of offsets.filter((o) => o < DROPOUT_TABLE || n <= 1000)) {
            const lead = n % 3;
            const seed = (n * 2654435761 + indexOffset) >>> 0;
            const x = dropoutInputs(n, seed), dy = dropoutInputs(n, seed + 1);
            const attrs = { p, seed, indexOffset };
            const label = `n=${n} p=${p} offset ${indexOffset}`;
            // Each backend's forward hashes the mask (the other's call took its cached entry),
            // its backward reads the cached one.
            const outs = [heap, plain].map((b) => {
              const [bx, bdy] = [place(b, x, lead), place(b, dy, lead)];
              const [y, dx] = [0, 1].map(() => place(b, new Float32Array(n), lead));
              cpuKernels.dropout([bx], [y], attrs, b);
              cpuKernels.dropout([bdy], [dx], attrs, b);
              if (b === heap) assert.ok(inplaceFor(bx, y), label);
              return [y, dx];
            });
            assertSameBits(outs[0][0], outs[1][0], `${label} forward`);
            assertSameBits(outs[0][1], outs[1][1], `${label} backward`);
            // The TypeScript kernel's mask applied in place, and the in-place mask in TypeScript.
            const [hx, px] = [place(heap, x, lead), place(plain, x, lead)];
            const [hy, py] = [
              place(heap, new Float32Array(n), 0),
              place(plain, new Float32Array(n), 0),
            ];
            cpuKernels.dropout([px], [py], attrs, plain);
            cpuKernels.dropout([hx], [hy], attrs, heap);
            assertSameBits(hy, py, `${label} the TypeScript mask, cached`);
            cpuKernels.dropout([hx], [hy], attrs, heap);
            cpuKernels.dropout([px], [py], attrs, plain);
            assertSameBits(py, hy, `${label} the in-place mask, cached`);
          }
        }
      }
    } finally {
      heap.dispose();
      plain.dispose();
    }
  },
});

/**
 * Logits with extremes among them: −3.4e38, −∞, ±0, 50, a subnormal, and `top` (NaN or +∞). Not
 * both in one row: NaN − max and ∞ − ∞ are NaNs of opposite signs, and which one a sum or
 * product of the two keeps follows V8's operand order, not the kernel's.
 */
function logitInputs(n: number, sd: number, seed: number, top: number): Float32Array {
  const rnd = lcg(seed);
  const special = [-3.4e38, 0, -0, 50, -Infinity, 1e-40, top];
  return new Float32Array(n).map((_, i) =>
    i % 23 === 7 ? special[(i / 23 | 0) % special.length] : sd * (rnd() - 0.5)
  );
}

Deno.test({
  name:
    "in-place cross-entropy, its gradient and the softmax gradient give the TypeScript kernels' bits",
  ignore: !supported,
  fn() {
    const shapes = [[1, 1], [1, 2], [3, 5], [7, 9], [33, 17], [64, 256], [5, 1025], [2, 30522]];
    for (const [rows, cols] of shapes) {
      for (const sd of [1, 30, 250]) {
        const label = `${rows}x${cols} sd ${sd}`;
        // Targets: in range, the ignore index, and out of range (both count as ignored).
        const targets = (alloc: (n: number) => Float32Array) => {
          const block = alloc(rows);
          const t = new Int32Array(block.buffer, block.byteOffset, rows);
          for (let r = 0; r < rows; r++) {
            t[r] = r % 5 === 3 ? -100 : r % 11 === 9 ? cols : (r * 7919) % cols;
          }
          return t;
        };
        for (const special of [null, NaN, Infinity]) {
          const gen = (n: number, seed: number) =>
            special !== null
              ? logitInputs(n, sd, seed, special)
              : new Float32Array(n).map(lcg(seed)).map((v) => sd * (v - 0.5));
          sameBitsOnHeap(
            "cross_entropy",
            (alloc) => {
              const x = alloc(rows * cols);
              x.set(gen(rows * cols, rows + cols));
              const t = targets(alloc) as unknown as Float32Array;
              return {
                inputs: [x, t],
                outputs: [alloc(rows)],
                attrs: { rows, cols, ignoreIndex: -100 },
              };
            },
            `cross_entropy ${label} special ${special}`,
            1,
          );
          sameBitsOnHeap(
            "cross_entropy_grad",
            (alloc) => {
              const x = alloc(rows * cols);
              x.set(gen(rows * cols, rows + cols));
              const t = targets(alloc) as unknown as Float32Array;
              const scale = fill(alloc(1), () => 1 / 3);
              const attrs = { rows, cols, ignoreIndex: -100 };
              return { inputs: [x, t, scale], outputs: [alloc(rows * cols)], attrs };
            },
            `cross_entropy_grad ${label} special ${special}`,
            1,
          );
        }
        sameBitsOnHeap(
          "softmax_grad",
          (alloc) => {
            const rnd = lcg(rows * cols + sd);
            const y = fill(alloc(rows * cols), () => rnd() / cols);
            const dy = fill(alloc(rows * cols), (i) => (i % 29 === 3 ? 0 : sd * (rnd() - 0.5)));
            return {
              inputs: [y, dy],
              outputs: [alloc(rows * cols)],
              attrs: { rows, cols, log: false },
            };
          },
          `softmax_grad ${label}`,
          1,
        );
      }
    }
  },
});

Deno.test({
  name: "in-place passes split over 2 threads (workers on the same memory) give 1 thread's bits",
  ignore: !supported,
  async fn() {
    const pool = createCpuWorkers({ threads: 2 });
    assert.ok(pool);
    const t0 = performance.now();
    while (pool.ready() < 1) {
      assert.ok(pool.failure === null && performance.now() - t0 < 20_000, `${pool.failure}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const pooled = new CpuBackend({ workers: pool }), plain = new CpuBackend({ wasmHeap: false });
    try {
      // An adamw_group of several parameters, large enough to split; odd sizes.
      const sizes = [70001, 129, 300_000, 1000, 131_075];
      const params = sizes.map((n, i) => adamwOperands(n, 100 + i));
      const onHeap = params.map((ops) => ops.map((a) => place(pooled, a, 0)));
      const ref = params.map((ops) => ops.map((a) => place(plain, a, 0)));
      const decay = sizes.map((_, i) => (i % 2 === 0 ? 1 : 0));
      for (let t = 1; t <= 3; t++) {
        const before = pool.dispatched;
        // Every array shared (the hyper-parameters too), or the call stays whole.
        const run = (b: CpuBackend, ps: Float32Array[][]) => {
          const h = [hyper(t, true), hyper(t, false)].map((x) => place(b, x, 0));
          const inputs = [...h, ...ps.map((p) => p[0])];
          b.run("adamw_group", inputs, ps.flatMap((p) => p.slice(1)), { decay });
        };
        run(pooled, onHeap);
        assert.ok(pool.dispatched > before, "split to the worker");
        run(plain, ref);
        params.forEach((_, i) => {
          for (let k = 1; k < 4; k++) {
            assertSameBits(onHeap[i][k], ref[i][k], `param ${i} step ${t} output ${k}`);
          }
        });
      }
      // Layer-norm gradients, split by rows and by columns.
      const [rows, cols] = [515, 384];
      const ln = [pooled, plain].map((b) => {
        const o = lnOperands((n) => place(b, new Float32Array(n), 0), rows, cols);
        const out = [rows * cols, cols, cols].map((n) => place(b, new Float32Array(n), 0));
        const before = pool.dispatched;
        b.run("layer_norm_grad", [o.dy, o.x, o.g, o.mean, o.rstd], [out[0]], {
          rows,
          cols,
          eps: 1e-12,
        });
        b.run("layer_norm_grad_params", [o.dy, o.x, o.mean, o.rstd], out.slice(1), {
          rows,
          cols,
          eps: 1e-12,
        });
        assert.ok(b === plain || pool.dispatched >= before + 2, "both split");
        return out;
      });
      ln[0].forEach((o, k) => assertSameBits(o, ln[1][k], `layer norm output ${k}`));
      // A bias gradient: column sums split by columns.
      const [tokens, width] = [1000, 1536];
      const sums = [pooled, plain].map((b) => {
        const rnd = lcg(9);
        const x = place(b, fill(new Float32Array(tokens * width), () => rnd() - 0.5), 0);
        const out = place(b, new Float32Array(width), 0);
        const before = pool.dispatched;
        b.run("reduce", [x], [out], { op: "sum", outer: 1, r: tokens, inner: width });
        assert.ok(b === plain || pool.dispatched > before, "reduce split");
        return out;
      });
      assertSameBits(sums[0], sums[1], "reduce over 2 threads");
      // GELU through the split `map` (the training path's GELU).
      const gelus = [pooled, plain].map((b) => {
        const x = place(b, geluInputs(300_001, 2, 5), 0);
        const out = place(b, new Float32Array(x.length), 0);
        const before = pool.dispatched;
        const attrs: MapAttrs = {
          expr: GELU,
          flat: true,
          params: [],
          shape: [],
          strides: [],
          inDTypes: ["f32"],
          outDType: "f32",
        };
        b.run("map", [x], [out], attrs);
        assert.ok(b === plain || pool.dispatched > before, "gelu split");
        return out;
      });
      assertSameBits(gelus[0], gelus[1], "gelu over 2 threads");
      // Dropout split by elements (each part hashes its global indices), forward and backward.
      const drops = [pooled, plain].map((b) => {
        const x = place(b, dropoutInputs(300_017, 3), 0);
        const outs = [0, 1].map(() => place(b, new Float32Array(x.length), 0));
        const before = pool.dispatched;
        for (const y of outs) b.run("dropout", [x], [y], { p: 0.1, seed: 77, indexOffset: 5 });
        assert.ok(b === plain || pool.dispatched >= before + 2, "dropout split");
        return outs;
      });
      drops[0].forEach((y, k) => assertSameBits(y, drops[1][k], `dropout ${k} over 2 threads`));
      // Cross-entropy, its gradient and the softmax gradient, split by rows.
      const rowsOut = [pooled, plain].map((b) => {
        const [rows, cols] = [4099, 33];
        const x = place(b, logitInputs(rows * cols, 8, 4, NaN), 0);
        const tb = place(b, new Float32Array(rows), 0);
        const t = new Int32Array(tb.buffer, tb.byteOffset, rows);
        t.forEach((_, r) => (t[r] = r % 7 === 2 ? -100 : (r * 31) % cols));
        const scale = place(b, Float32Array.of(0.25), 0);
        const [loss, dx] = [rows, rows * cols].map((n) => place(b, new Float32Array(n), 0));
        const y = place(b, new Float32Array(rows * cols).map(lcg(6)), 0);
        const ds = place(b, new Float32Array(rows * cols), 0);
        const attrs = { rows, cols, ignoreIndex: -100 };
        const before = pool.dispatched;
        b.run("cross_entropy", [x, t], [loss], attrs);
        b.run("cross_entropy_grad", [x, t, scale], [dx], attrs);
        b.run("softmax_grad", [y, x], [ds], { rows, cols, log: false });
        assert.ok(b === plain || pool.dispatched >= before + 3, "row kernels split");
        return [loss, dx, ds];
      });
      rowsOut[0].forEach((o, k) =>
        assertSameBits(o, rowsOut[1][k], `row kernel ${k} over 2 threads`)
      );
    } finally {
      pooled.dispose();
      plain.dispose();
    }
  },
});
