/**
 * Seeded randomness. One generator type, `Random` (xoshiro128**), whose state can be saved and
 * restored (checkpoints), and `hashU32`, a counter-based hash that the CPU and the WebGPU dropout
 * kernels compute identically, so dropout masks agree across backends without storing them.
 * The data side (splits, batch order, resampling, the demo corpus) uses the same generator seeded
 * through {@link Random.fromSafeInteger}, which keeps the streams those seeded results came from.
 * @module
 */

/** PCG-style integer hash of a u32 (same formula as `hash_u32` in shaders/hash.wgsl). */
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
  /** The last skipped pair's v, for the spare of an odd {@link skipNormals}. */
  #lastV = 0;

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

  /**
   * Advances the generator exactly as `n` calls of {@link normal} would (its cached second value
   * included), without computing a value: the draws of an initialization whose values are about
   * to be replaced by loaded weights, so every later draw stays what it would have been.
   */
  skipNormals(n: number): void {
    let left = n;
    if (left > 0 && this.#spare !== null) {
      this.#spare = null;
      left--;
    }
    for (; left >= 2; left -= 2) this.#skipPair();
    // An odd count ends with a pair whose second value normal() would keep for later.
    if (left === 1) {
      const u = this.#skipPair();
      const r = Math.sqrt(-2 * Math.log(u));
      this.#spare = r * Math.sin(2 * Math.PI * this.#lastV);
    }
  }

  /** One Box–Muller pair's draws (u ≠ 0, then v); returns u. */
  #skipPair(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    this.#lastV = this.uniform();
    return u;
  }

  /** Advances the generator exactly as `n` calls of {@link uniform} would. */
  skipUniforms(n: number): void {
    for (let i = 0; i < n; i++) this.nextU32();
  }

  /** Uniform float in [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in `[0, n)` without modulo bias (rejection sampling).
   * @throws RangeError unless `1 <= n <= 2^32`.
   */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) {
      throw new RangeError(`Random.nextInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** Fair coin. */
  nextBool(): boolean {
    return (this.nextU32() & 0x80000000) !== 0;
  }

  /** Shuffles `items` in place (Fisher–Yates with {@link nextInt}) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A uniformly random permutation of `0..n-1` (the same draws as shuffling `0..n-1`). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
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

  /** A generator with the raw xoshiro128** state (for reference-vector tests). */
  static fromState(state: readonly [number, number, number, number]): Random {
    const r = new Random();
    r.setState(state.map((x) => x >>> 0) as RandomState);
    return r;
  }

  /**
   * A generator seeded from any safe integer, both 32-bit halves used (splitmix32 with other
   * constants than the constructor's): the data side's seeding, kept so that seeded splits,
   * batch orders and resamples stay what they were.
   * @throws RangeError for a seed that is not a safe integer.
   */
  static fromSafeInteger(seed: number): Random {
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Random: seed must be a safe integer, got ${seed}`);
    }
    let st = (seed >>> 0) ^ Math.imul(Math.floor(seed / 0x100000000) >>> 0, 0x85ebca6b);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      st = (st + 0x9e3779b9) | 0;
      let z = Math.imul(st ^ (st >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      words.push((z ^ (z >>> 15)) >>> 0);
    }
    // An all-zero state is a fixed point of xoshiro.
    if (!words.some((w) => w !== 0)) words[0] = 1;
    return Random.fromState(words as RandomState);
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
