/**
 * The CPU backend's in-place passes in WebAssembly SIMD128 (wasm/inplace.as.ts, built into the
 * committed wasm/inplace.wasm by `deno task build:wasm`): they run on tensors of the WebAssembly
 * heap (./wasm_heap.ts) where they lie, each pointer a view's `byteOffset`. One instance per
 * thread and heap memory (a worker instantiates on its copy of the memory object), made on first
 * use; the module has no data or scratch of its own in the shared memory.
 *
 * - `adamw` (float32, eps > 1e-100): kernels/adamw.ts's float32 loop in float64 arithmetic, same
 *   operations in the same order (f64x2 lanes): the TypeScript kernel's bits exactly, about twice
 *   its speed.
 * - `layerNorm` (and the residual sum of kernels/residual_layer_norm.ts, `addInPlace`),
 *   `layerNormGrad`, `layerNormGradParams` (kernels/layer_norm.ts): the same float64 sums in the
 *   same order (the input gradient's two partial sums are the two lanes; the parameter gradients
 *   keep strips of eight columns' sums in registers, each column the same chain of adds).
 * - `sumRun` (kernels/reduce.ts, a sum along a row: gradient clipping's Σg²): the TypeScript
 *   loop's two float64 accumulators as the two lanes of one f64x2, so the same adds.
 * - `reduceSum` (kernels/reduce.ts, sums over rows): a float64 accumulator row, four input rows
 *   per pass, as the TypeScript kernel. The row is scratch memory of this thread's own
 *   ({@link inplaceScratch}): the memory is shared by every thread, the module keeps nothing in it.
 * - `softmax` (kernels/softmax.ts): wasm/softmax_rows.as.ts, the rows code wasm/passes.as.ts runs
 *   too, with this thread's scratch passed in: the results of the copying path of ./wasm_passes.ts
 *   without its copies.
 * - `binary` (kernels/elementwise.ts: +, −, ×, ÷ of contiguous rows): float32 arithmetic, the
 *   same bits as float64 arithmetic rounded to float32 (float64 has more than twice float32's
 *   precision, so the double rounding is innocuous for these four operations).
 * - `gelu`, `geluGrad` (kernels/gelu_f32.ts, contiguous rows): the same Hermite tables (a copy in
 *   this thread's memory, {@link inplaceTable}), pairs and tail formulas; the tail's rare calls of
 *   `Math.exp` call JavaScript's own (imported), so every element has the TypeScript bits.
 * - `dropout`, `dropoutApply`, `hashTable` (kernels/dropout.ts; wasm/dropout.as.ts): the same
 *   integer hash (wrap-around arithmetic, four lanes) and x·scale in float64 rounded to float32,
 *   so the mask bits and outputs are the TypeScript kernel's; the inner-hash table lies in pages
 *   of this thread's ({@link inplaceRegion}).
 * - `crossEntropy`, `crossEntropyGrad` (kernels/cross_entropy.ts, float32; wasm/cross_entropy.as.ts)
 *   and `softmaxGrad` (kernels/softmax.ts, not log; wasm/softmax_grad.as.ts): the same float64
 *   exponentials (`expNonPositive`'s table copied per thread) and sums in the same order, the
 *   logarithm JavaScript's `Math.log` (imported): the TypeScript kernels' bits.
 *
 * A kernel asks {@link inplaceFor} with its arrays and runs its TypeScript loop when the answer is
 * null (an array off the heap, arrays of two memories, no support, or the passes turned off).
 * No Deno API: runs in the browser and in the worker threads alike.
 * @module
 */
import { inplaceWasm } from "../../generated/wasm.ts";
import type { TypedArray } from "../../core/dtype.ts";
import { heapMemoryOf, WASM_PAGE } from "./wasm_heap.ts";

/** The exports of wasm/inplace.wasm (pointers are byte offsets in the heap memory). */
export interface InplacePasses {
  /** AdamW over `n` float32 elements; the constants are kernels/adamw.ts's `Step`. */
  adamw(
    grad: number,
    param: number,
    m: number,
    v: number,
    n: number,
    decay: number,
    step: number,
    invSqrtBc2: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    eps: number,
    scale: number,
  ): void;
  /** Layer norm's input gradient over `rows` rows of `cols` floats (kernels/layer_norm.ts). */
  layerNormGrad(
    dy: number,
    x: number,
    g: number,
    mean: number,
    rstd: number,
    dx: number,
    rows: number,
    cols: number,
  ): void;
  /** Layer norm's parameter gradients of columns from..to−1 of rows of `stride` floats. */
  layerNormGradParams(
    dy: number,
    x: number,
    mean: number,
    rstd: number,
    dg: number,
    db: number,
    rows: number,
    stride: number,
    from: number,
    to: number,
  ): void;
  /**
   * `reduce` sum (or sum of squares) over the middle axis of [outer, r, inner], positions
   * from..from+w−1 (w ≥ 16), through `acc` (w float64s of scratch, see {@link inplaceScratch}).
   */
  reduceSum(
    x: number,
    out: number,
    acc: number,
    outer: number,
    r: number,
    inner: number,
    from: number,
    w: number,
    outOffset: number,
    squares: boolean,
  ): void;
  /** Σ of the `r` floats at `x` (or of their squares) in float64 (kernels/reduce.ts `sumRun`). */
  sumRun(x: number, r: number, squares: boolean): number;
  /** out = gelu(x) over `n` contiguous floats, Φ from the table at `tab` ({@link inplaceTable}). */
  gelu(x: number, out: number, n: number, tab: number): void;
  /** out = dy · gelu′(x) over `n` contiguous floats, gelu′ from the table at `tab`. */
  geluGrad(x: number, dy: number, out: number, n: number, tab: number): void;
  /** Layer norm of `rows` rows of `cols` floats (kernels/layer_norm.ts `layerNorm`). */
  layerNorm(
    x: number,
    g: number,
    b: number,
    y: number,
    mean: number,
    rstd: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  /** s += r over `n` floats (float32 adds: the bits of float64 adds rounded to float32). */
  addInPlace(s: number, r: number, n: number): void;
  /** out = x op y over `n` floats (op 0: +, 1: −, 2: ×, 3: ÷), float32 arithmetic. */
  binary(op: number, x: number, y: number, out: number, n: number): void;
  /**
   * wasm/passes.as.ts's softmax on heap arrays: `maskRows` byte offsets per row into `mask` (both
   * 0 for none), `lanes` 16 bytes of scratch.
   */
  softmax(
    x: number,
    mask: number,
    maskRows: number,
    rows: number,
    cols: number,
    y: number,
    lanes: number,
  ): void;
  /**
   * Dropout of `n` floats x → y (keep ? x·scale : +0) and its mask into `bits` (n/32 int32
   * words): keep when hashU32(seed ^ hashU32(offset + i)) ≥ threshold (u32), the inner hash read
   * from the int32 table at `inner` (hashU32(offset) first) for i < tabulated, computed beyond.
   */
  dropout(
    x: number,
    y: number,
    bits: number,
    n: number,
    seed: number,
    threshold: number,
    offset: number,
    inner: number,
    tabulated: number,
    scale: number,
  ): void;
  /** y = keep ? x·scale : +0 over `n` floats under the mask `bits` (a kept mask). */
  dropoutApply(x: number, y: number, bits: number, n: number, scale: number): void;
  /** hashU32(i) for i < n into the int32 table at `at`. */
  hashTable(at: number, n: number): void;
  /**
   * Cross-entropy loss per row of `rows` × `cols` logits, int32 `targets` (0 for an ignored one);
   * `tab`: this thread's copy of fast_math.ts's 2^(j/64) table ({@link inplaceTable}).
   */
  crossEntropy(
    logits: number,
    targets: number,
    loss: number,
    rows: number,
    cols: number,
    ignoreIndex: number,
    tab: number,
  ): void;
  /**
   * The cross-entropy logits gradient (softmax − onehot)·scale, with `e` cols float64s of
   * scratch.
   */
  crossEntropyGrad(
    logits: number,
    targets: number,
    dx: number,
    rows: number,
    cols: number,
    ignoreIndex: number,
    scale: number,
    tab: number,
    e: number,
  ): void;
  /** dx = y·(dy − Σ dy·y) per row (the softmax gradient, not log). */
  softmaxGrad(y: number, dy: number, dx: number, rows: number, cols: number): void;
}

let module: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, InplacePasses>();
let enabled = true;

/**
 * The in-place passes for `arrays` when all are views of one heap memory, else null (the kernel
 * then runs its TypeScript loop).
 */
export function inplaceFor(...arrays: TypedArray[]): InplacePasses | null {
  if (!enabled) return null;
  const memory = heapMemoryOf(arrays[0].buffer);
  if (!memory) return null;
  for (let i = 1; i < arrays.length; i++) {
    if (heapMemoryOf(arrays[i].buffer) !== memory) return null;
  }
  let passes = instances.get(memory);
  if (!passes) {
    if (module === undefined) module = compile();
    if (!module) return null;
    passes = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } })
      .exports as unknown as InplacePasses;
    instances.set(memory, passes);
  }
  return passes;
}

/**
 * The byte offset of `bytes` (rounded up to whole pages) of new memory for this thread, or null
 * when the memory cannot grow by it: `grow` hands every caller distinct pages, whichever thread
 * asks, outside the heap's regions. The pages stay this thread's for the process's life (a
 * memory never shrinks), so callers keep what they get and ask again only for more.
 */
export function inplaceRegion(memory: WebAssembly.Memory, bytes: number): number | null {
  try {
    return memory.grow(Math.max(1, Math.ceil(bytes / WASM_PAGE))) * WASM_PAGE;
  } catch {
    return null;
  }
}

/** This thread's scratch region of each heap memory: [byte offset, bytes]. */
const scratches = new WeakMap<WebAssembly.Memory, [number, number]>();

/**
 * The byte offset of `bytes` of scratch memory for this thread's passes (and the heap GEMM's
 * workspace, ./wasm_gemm_heap.ts) on `memory`, or null when the memory cannot grow by it: a
 * region of this thread's ({@link inplaceRegion}), kept, and replaced by one at least twice as
 * large only for a larger request (so the regions left behind add up to less than the last).
 */
export function inplaceScratch(memory: WebAssembly.Memory, bytes: number): number | null {
  const have = scratches.get(memory);
  if (have && have[1] >= bytes) return have[0];
  const size = Math.ceil(Math.max(bytes, 2 * (have?.[1] ?? 0), 1) / WASM_PAGE) * WASM_PAGE;
  const at = inplaceRegion(memory, size);
  if (at === null) return null;
  scratches.set(memory, [at, size]);
  return at;
}

/** This thread's copies of constant tables in each heap memory, by table. */
const tables = new WeakMap<WebAssembly.Memory, Map<Float64Array, number>>();

/**
 * The byte offset of this thread's copy of `table` in `memory` (made on first use, in a region
 * of this thread's, {@link inplaceRegion}), or null when the memory cannot grow.
 */
export function inplaceTable(memory: WebAssembly.Memory, table: Float64Array): number | null {
  let mine = tables.get(memory);
  if (!mine) tables.set(memory, mine = new Map());
  let at = mine.get(table) ?? null;
  if (at === null) {
    at = inplaceRegion(memory, table.byteLength);
    if (at === null) return null;
    new Float64Array(memory.buffer, at, table.length).set(table);
    mine.set(table, at);
  }
  return at;
}

/** The memory of `a` when it is a heap array (the passes' scratch goes there). */
export function memoryOf(a: TypedArray): WebAssembly.Memory | undefined {
  return heapMemoryOf(a.buffer);
}

function compile(): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(inplaceWasm);
  } catch {
    return null;
  }
}

/**
 * Turns the in-place passes off (or on again) on this thread, so the kernels run their
 * TypeScript loops (tests compare the two). Worker threads keep their own setting.
 */
export function setInplacePasses(on: boolean): void {
  enabled = on;
}
