/**
 * A pool of free storage buffers keyed by size class. Training repeats the same shapes
 * every step, so after the first step nearly every allocation is a pool hit. Sizes are rounded up
 * to size classes (eighths of a power of two, ≤ 12.5% waste) so that the different shapes of
 * length-bucketed batches, and evaluation's batches of every length, reuse each other's
 * buffers: the pool then holds the working set of the largest batch, not one set per shape.
 * @module
 */

/** Bytes of the size class that holds `bytes`. */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 16) * 16);
  if (b <= 4096) return Math.ceil(b / 256) * 256;
  const pow = 2 ** Math.floor(Math.log2(b));
  const step = pow / 8;
  return Math.ceil(b / step) * step;
}

/** How the pool sizes and disposes of its buffers. */
export interface BufferKind<B> {
  /** A new buffer of exactly `bytes` (a size class). */
  create(bytes: number): B;
  /** The size a buffer was created with. */
  bytesOf(buffer: B): number;
  /** Releases a buffer the pool lets go of (evicted, or cleared). */
  destroy(buffer: B): void;
}

/**
 * The pool: free buffers by size class, at most `limitBytes` of them; past that the buffers
 * released longest ago are destroyed first (the one just released is the likeliest to be asked
 * for again).
 */
export class BufferPool<B> {
  #free = new Map<number, B[]>();
  /** Every pooled buffer and its class, oldest release first. */
  #byAge = new Map<B, number>();
  #pooledBytes = 0;
  /** Most bytes kept. */
  limitBytes: number;

  /**
   * @param kind how buffers are created, measured and destroyed
   * @param limitBytes most bytes kept (default: no limit)
   */
  constructor(private readonly kind: BufferKind<B>, limitBytes = Infinity) {
    this.limitBytes = limitBytes;
  }

  /**
   * A buffer of at least `bytes`: a pooled one of its size class, else the smallest pooled one
   * of up to twice that (so that buffers of a batch's longer predecessor serve it instead of
   * lying idle beside new ones), else a new one of its class.
   */
  acquire(bytes: number): B {
    const cls = sizeClass(bytes);
    let best = this.#free.get(cls)?.length ? cls : 0;
    if (best === 0) {
      for (const [c, list] of this.#free) {
        if (list.length && c > cls && c <= 2 * cls && (best === 0 || c < best)) best = c;
      }
    }
    if (best === 0) return this.kind.create(cls);
    const hit = this.#free.get(best)!.pop()!;
    this.#byAge.delete(hit);
    this.#pooledBytes -= best;
    return hit;
  }

  /** Returns a buffer for reuse, destroying the oldest pooled ones beyond the limit. */
  release(buffer: B): void {
    const cls = this.kind.bytesOf(buffer);
    let list = this.#free.get(cls);
    if (!list) this.#free.set(cls, list = []);
    list.push(buffer);
    this.#byAge.set(buffer, cls);
    this.#pooledBytes += cls;
    this.trim();
  }

  /** Destroys the oldest pooled buffers until at most `limitBytes` are kept. */
  trim(): void {
    for (const [old, cls] of this.#byAge) {
      if (this.#pooledBytes <= this.limitBytes) return;
      const list = this.#free.get(cls)!;
      list.splice(list.indexOf(old), 1);
      this.#byAge.delete(old);
      this.#pooledBytes -= cls;
      this.kind.destroy(old);
    }
  }

  /** Bytes held in the pool. */
  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  /** Destroys every pooled buffer (only call when nothing still uses them). */
  clear(): void {
    for (const b of this.#byAge.keys()) this.kind.destroy(b);
    this.#free.clear();
    this.#byAge.clear();
    this.#pooledBytes = 0;
  }
}
