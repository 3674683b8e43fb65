/**
 * CPU kernel `dropout` (src/ops/dropout.ts): the counter-based mask of `hashUniform`, identical to
 * shaders/dropout.wgsl. The two hashes of `hashU32` are written out in the loop in int32
 * arithmetic (the same bits as the u32 formula: wrap-around adds and multiplies agree mod 2³²,
 * and the unsigned comparison is done by flipping the sign bit).
 *
 * The mask depends only on (seed, p, element index), and the op calls the kernel twice with the
 * same seed (forward on x, backward on dy). The first call keeps the mask as a bit set; the
 * second reads it instead of hashing again, and drops it. The cache is bounded (oldest masks are
 * evicted), and a miss just recomputes, so results never depend on it.
 * @module
 */
import type { DropoutAttrs } from "../../../ops/dropout.ts";
import type { CpuKernel } from "./types.ts";

/** 2891336453 as an int32 (the PCG increment of hashU32). */
const INC = 2891336453 | 0;
const SIGN = -2147483648;
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

const dropout: CpuKernel = ([x], [y], attrs) => {
  const { p, seed } = attrs as unknown as DropoutAttrs;
  const scale = 1 / (1 - p);
  // Compare in u32 space, as the shader does: keep when hash ≥ p·2³². With the sign bit flipped
  // on both sides, an int32 comparison orders like the u32 one.
  const threshold = Math.min(Math.floor(p * 4294967296), 4294967295);
  const n = y.length;
  const key = `${seed >>> 0}:${threshold}:${n}`;
  const cached = masks.get(key);
  if (cached) {
    masks.delete(key);
    cachedWords -= cached.length;
    for (let i = 0; i < n; i++) y[i] = (cached[i >> 5] >>> (i & 31)) & 1 ? x[i] * scale : 0;
    return;
  }
  const bits = new Int32Array((n + 31) >> 5);
  const thr = (threshold | 0) ^ SIGN;
  const sd = seed | 0;
  const inner = innerHashes(n);
  // One mask word at a time, built in a local: setting bits in the array element by element
  // would chain every iteration on the previous one's store.
  for (let base = 0; base < n; base += 32) {
    const end = Math.min(n, base + 32);
    let word = 0;
    for (let i = base; i < end; i++) {
      // hashU32(seed ^ hashU32(i)); hashU32(i) does not depend on the seed: from the table.
      const hi = inner ? inner[i] : hashI32(i);
      const s = (Math.imul(sd ^ hi, 747796405) + INC) | 0;
      const w = Math.imul((s >>> ((s >>> 28) + 4)) ^ s, 277803737);
      const keep = ((((w >>> 22) ^ w) ^ SIGN) >= thr) ? 1 : 0;
      word |= keep << (i - base);
      y[i] = keep ? x[i] * scale : 0;
    }
    bits[base >> 5] = word;
  }
  remember(key, bits);
};

/** Dropout kernels by name. */
export const dropoutKernels: Record<string, CpuKernel> = { dropout };
