/**
 * Seeded randomness. One generator type, `Random` (xoshiro128**), whose state can be saved and
 * restored (checkpoints), and `hashU32`, a counter-based hash that the CPU and the WGSL kernels
 * compute identically, so dropout masks agree across backends without storing them.
 * @module
 */

/** PCG-style integer hash of a u32 (same formula as `hash_u32` in shaders/random.wgsl). */
export function hashU32(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** Uniform [0, 1) from element index `i` under `seed`: the dropout stream of both backends. */
export function hashUniform(seed: number, i: number): number {
  return hashU32((seed ^ hashU32(i)) >>> 0) / 4294967296;
}

/** Serializable state of a `Random`. */
export type RandomState = [number, number, number, number];

/**
 * A seeded xoshiro128** generator.
 * @example
 * ```ts
 * const r = new Random(42);
 * r.uniform(); // same value every run
 * ```
 */
export class Random {
  #s: Uint32Array = new Uint32Array(4);
  #spare: number | null = null;

  /** Creates a generator from an integer seed (splitmix32 expands it into the state). */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Re-seeds the generator. */
  seed(seed: number): void {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1;
    this.#spare = null;
  }

  /** Next u32. */
  nextU32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** The generator's state, for checkpoints. */
  getState(): RandomState {
    return [this.#s[0], this.#s[1], this.#s[2], this.#s[3]];
  }

  /** Restores a state from `getState()`. */
  setState(state: RandomState): void {
    this.#s.set(state);
    this.#spare = null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The library-wide generator used by creation ops and dropout seeds when none is given. */
export const globalRandom: Random = new Random(0);

/** Seeds the library-wide generator (like `torch.manual_seed`). */
export function setSeed(seed: number): void {
  globalRandom.seed(seed);
}
