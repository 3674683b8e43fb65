/**
 * CPU kernel `dropout` (src/ops/dropout.ts): the counter-based mask of `hashUniform`, identical to
 * shaders/dropout.wgsl. The two hashes of `hashU32` are written out in int32 arithmetic (the same
 * bits as the u32 formula: wrap-around adds and multiplies agree mod 2³²).
 *
 * Two passes: the mask as a bit set (one 32-bit word per 32 elements), then the output from it.
 * Both are branch-free — a kept/dropped branch mispredicts on every dropped element (p of them):
 * - keep = hash ≥ threshold as unsigned numbers is the sign of an int32 difference (`maskBits`);
 * - y = x·scale everywhere, then the dropped elements are overwritten with +0: one by one from
 *   the word's complement when p ≤ 0.5 (few of them), else by ANDing the float32 bits with
 *   all-ones (kept) or zero (dropped). Either way this is exactly the shader's
 *   `select(0.0, x * scale, keep)`: +0 where dropped (NaN and ±∞ included), x·scale where kept.
 *
 * The mask depends only on (seed, p, element index), and the op calls the kernel twice with the
 * same seed (forward on x, backward on dy). The first call keeps the bit set; the second reads it
 * instead of hashing again, and drops it. The cache is bounded (oldest masks are evicted), and a
 * miss just recomputes, so results never depend on it.
 *
 * An optional `indexOffset` attribute says that x and y are elements indexOffset.. of the whole
 * tensor (a worker's share, see `dropoutSplits`): the hash then runs on the global index, so a
 * split tensor gets exactly the bits of the whole one.
 *
 * Float32 tensors of the WebAssembly heap take one in-place pass in WebAssembly instead
 * (../wasm_inplace.ts, wasm/dropout.as.ts): the mask and the output together, four elements a
 * vector, with the same integer hash and the same float64 product rounded to float32, so the
 * same mask bits (kept as above) and the same outputs.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { type CpuSplits, elementJobs, partsFor, splitPoints } from "../split_parts.ts";
import {
  inplaceFor,
  type InplacePasses,
  inplaceRegion,
  inplaceScratch,
  memoryOf,
} from "../wasm_inplace.ts";

/** 2891336453 as an int32 (the PCG increment of hashU32). */
const INC = 2891336453 | 0;
/** At most this many 32-bit words of masks are kept (16 MiB). */
const MAX_CACHED_WORDS = 1 << 22;

/** hashU32(i) as int32 bits. */
function hashI32(i: number): number {
  const s = (Math.imul(i, 747796405) + INC) | 0;
  const w = Math.imul((s >>> ((s >>> 28) + 4)) ^ s, 277803737);
  return (w >>> 22) ^ w;
}

/** At most this many entries of the seed-independent inner hash are tabulated (32 MiB). */
const MAX_INNER = 1 << 23;
let innerTable = new Int32Array(0);

/** hashU32(0..n-1), computed once and grown as larger tensors come (null beyond the cap). */
function innerHashes(n: number): Int32Array | null {
  if (n > MAX_INNER) return null;
  if (innerTable.length < n) {
    const t = new Int32Array(Math.min(MAX_INNER, Math.max(n, 2 * innerTable.length)));
    t.set(innerTable);
    for (let i = innerTable.length; i < t.length; i++) t[i] = hashI32(i);
    innerTable = t;
  }
  return innerTable;
}

const masks = new Map<string, Int32Array>();
let cachedWords = 0;

function remember(key: string, bits: Int32Array): void {
  if (bits.length > MAX_CACHED_WORDS) return;
  masks.set(key, bits);
  cachedWords += bits.length;
  for (const [k, v] of masks) {
    if (cachedWords <= MAX_CACHED_WORDS) break;
    masks.delete(k);
    cachedWords -= v.length;
  }
}

/**
 * The keep mask of elements offset..offset+n−1 as bits (element offset + i is bit i & 31 of word
 * i >> 5): keep when hashU32(seed ^ hashU32(offset + i)) ≥ threshold as u32 numbers.
 */
function maskBits(n: number, seed: number, threshold: number, offset: number): Int32Array {
  const bits = new Int32Array((n + 31) >> 5);
  // h ≥ t as u32 without a u32 comparison: with h = 2h₁ + h₀ and t = 2t₁ + t₀ (h₀, t₀ the low
  // bits), h < t exactly when h₁ + (h₀ & t₀) − (t₁ + t₀) < 0, and that difference always fits in
  // an int32, so its sign bit is the answer. (A compare-and-select costs a mispredicted branch
  // per dropped element; the textbook borrow formula, 2 more operations per element.)
  const t0 = threshold & 1;
  const c = Math.floor(threshold / 2) + t0;
  const sd = seed | 0;
  const tabulated = Math.max(0, Math.min(n, MAX_INNER - offset));
  if (tabulated > 0) {
    const inner = innerHashes(offset + tabulated)!;
    maskWordsTabulated(bits, tabulated, sd, t0, c, offset ? inner.subarray(offset) : inner);
  }
  // Beyond the table (over 8M elements): the inner hash computed in place, one bit at a time.
  for (let i = tabulated; i < n; i++) {
    bits[i >> 5] |= keepBit(hashI32(offset + i), sd, t0, c) << (i & 31);
  }
  return bits;
}

/** 1 when hashU32(seed ^ inner) ≥ threshold as u32, else 0 (see `maskBits` for t0 and c). */
function keepBit(inner: number, sd: number, t0: number, c: number): number {
  const s = (Math.imul(sd ^ inner, 747796405) + INC) | 0;
  const w = Math.imul((s >>> ((s >>> 28) + 4)) ^ s, 277803737);
  const h = (w >>> 22) ^ w;
  return ~(((h >>> 1) + (h & t0) - c) | 0) >>> 31;
}

/** Bits of elements 0..n−1 into `bits` (zeroed), with hashU32(i) read from `inner`. */
function maskWordsTabulated(
  bits: Int32Array,
  n: number,
  sd: number,
  t0: number,
  c: number,
  inner: Int32Array,
): void {
  const full = n & ~31;
  for (let base = 0; base < full; base += 32) {
    let word = 0;
    // From the top bit down, so each element shifts the word once. `keepBit` written out: V8
    // does not always inline it here, and a call per element costs as much as the hash.
    for (let j = 31; j >= 0; j--) {
      const s = (Math.imul(sd ^ inner[base + j], 747796405) + INC) | 0;
      const w = Math.imul((s >>> ((s >>> 28) + 4)) ^ s, 277803737);
      const h = (w >>> 22) ^ w;
      word = (word << 1) | (~(((h >>> 1) + (h & t0) - c) | 0) >>> 31);
    }
    bits[base >> 5] = word;
  }
  let word = 0;
  for (let i = n - 1; i >= full; i--) word = (word << 1) | keepBit(inner[i], sd, t0, c);
  if (full < n) bits[full >> 5] = word;
}

/** y = keep ? x·scale : +0 under the bit set; `sparse`: at most about half the bits are 0. */
function applyMask(
  x: TypedArray,
  y: TypedArray,
  bits: Int32Array,
  scale: number,
  sparse: boolean,
): void {
  const n = y.length;
  if (!(y instanceof Float32Array)) {
    // Float64 storage (gradient checks): the plain select.
    for (let i = 0; i < n; i++) y[i] = (bits[i >> 5] >>> (i & 31)) & 1 ? x[i] * scale : 0;
    return;
  }
  const full = n & ~31;
  if (sparse) {
    // Scale the whole word's elements, then zero the dropped ones, lowest set bit of the
    // complement first: a few stores per word when p is small.
    for (let base = 0; base < full; base += 32) {
      for (let j = 0; j < 32; j++) y[base + j] = x[base + j] * scale;
      let dropped = ~bits[base >> 5];
      while (dropped !== 0) {
        const low = dropped & -dropped;
        y[base + 31 - Math.clz32(low)] = 0;
        dropped ^= low;
      }
    }
  } else {
    const yi = new Int32Array(y.buffer, y.byteOffset, n);
    for (let base = 0; base < full; base += 32) {
      const word = bits[base >> 5];
      for (let j = 0; j < 32; j++) {
        y[base + j] = x[base + j] * scale;
        // −((word >>> j) & 1): all ones where kept, zero where dropped.
        yi[base + j] &= -((word >>> j) & 1);
      }
    }
  }
  for (let i = full; i < n; i++) y[i] = (bits[i >> 5] >>> (i & 31)) & 1 ? x[i] * scale : 0;
}

/** This thread's table of hashU32(0..length−1) in each heap memory (see `heapInnerHashes`). */
const heapInner = new WeakMap<WebAssembly.Memory, { at: number; length: number }>();

/**
 * The byte offset of this thread's table of hashU32(0..need−1) in `memory`, grown as
 * `innerHashes` grows its own (a new region of this thread's, filled in WebAssembly), or null
 * when the memory cannot grow: the pass then computes every inner hash.
 */
function heapInnerHashes(
  memory: WebAssembly.Memory,
  wasm: InplacePasses,
  need: number,
): number | null {
  const have = heapInner.get(memory);
  if (have && have.length >= need) return have.at;
  const length = Math.min(MAX_INNER, Math.max(need, 2 * (have?.length ?? 0)));
  const at = inplaceRegion(memory, 4 * length);
  if (at === null) return null;
  wasm.hashTable(at, length);
  heapInner.set(memory, { at, length });
  return at;
}

/**
 * Dropout in place in WebAssembly when x and y are float32 arrays of the heap: under `cached`
 * bits, the output alone (returns them); else the mask too, returned as a new bit set. Null when
 * it cannot run (the TypeScript loops then do). The bits pass through this thread's scratch.
 */
function dropoutInplace(
  x: TypedArray,
  y: TypedArray,
  cached: Int32Array | null,
  seed: number,
  threshold: number,
  offset: number,
  scale: number,
): Int32Array | null {
  if (!(x instanceof Float32Array) || !(y instanceof Float32Array)) return null;
  const wasm = inplaceFor(x, y);
  const memory = wasm ? memoryOf(x)! : null;
  const n = y.length, words = (n + 31) >> 5;
  const bits = memory && inplaceScratch(memory, 4 * words);
  if (!wasm || !memory || bits === null) return null;
  if (cached) {
    new Int32Array(memory.buffer, bits, words).set(cached);
    wasm.dropoutApply(x.byteOffset, y.byteOffset, bits, n, scale);
    return cached;
  }
  const tabulated = Math.max(0, Math.min(n, MAX_INNER - offset));
  const table = tabulated > 0 ? heapInnerHashes(memory, wasm, offset + tabulated) : null;
  const [inner, count] = table === null ? [0, 0] : [table + 4 * offset, tabulated];
  wasm.dropout(x.byteOffset, y.byteOffset, bits, n, seed, threshold, offset, inner, count, scale);
  return new Int32Array(memory.buffer, bits, words).slice();
}

const dropout: CpuKernel<"dropout"> = ([x], [y], attrs) => {
  const { p, seed } = attrs;
  const scale = 1 / (1 - p);
  // Compare in u32 space, as the shader does: keep when hash ≥ p·2³².
  const threshold = Math.min(Math.floor(p * 4294967296), 4294967295);
  const n = y.length;
  const offset = (attrs.indexOffset as number | undefined) ?? 0;
  const key = `${seed >>> 0}:${threshold}:${offset}:${n}`;
  const cached = masks.get(key);
  if (cached) {
    masks.delete(key);
    cachedWords -= cached.length;
    if (!dropoutInplace(x, y, cached, seed, threshold, offset, scale)) {
      applyMask(x, y, cached, scale, p <= 0.5);
    }
    return;
  }
  let bits = dropoutInplace(x, y, null, seed, threshold, offset, scale);
  if (!bits) {
    bits = maskBits(n, seed, threshold, offset);
    applyMask(x, y, bits, scale, p <= 0.5);
  }
  remember(key, bits);
};

/** Dropout kernels by name. */
export const dropoutKernels: CpuKernels<"dropout"> = { dropout };

/**
 * Dropout split by element ranges, each part told its first element as `indexOffset` (the mask
 * hashes the global index). Parts start on whole mask words (32 elements), as the whole call's
 * words fall.
 */
export const dropoutSplits: CpuSplits<"dropout"> = {
  dropout: (inputs, outputs, attrs, threads, minPart = 65536) => {
    const n = outputs[0].length;
    const base = attrs.indexOffset ?? 0;
    const points = splitPoints(n, partsFor(n, minPart, threads), 32);
    if (points.length < 3) return null;
    return elementJobs("dropout", inputs, outputs, points, (from) => ({
      ...attrs,
      indexOffset: base + from,
    }));
  },
};
