/**
 * A size-keyed pool of storage buffers. Training repeats the same shapes every step, so after the
 * first step nearly every allocation is a pool hit and no `createBuffer` happens. Sizes are rounded
 * up to size classes (eighths of a power of two, ≤ 12.5% waste) so that the slightly different
 * shapes of length-bucketed batches still reuse each other's buffers.
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

/** The pool: free buffers by size class. */
export class BufferPool {
  #free = new Map<number, GPUBuffer[]>();
  #pooledBytes = 0;

  constructor(private readonly create: (bytes: number) => GPUBuffer) {}

  /** A buffer of at least `bytes` (its size class), from the pool when possible. */
  acquire(bytes: number): GPUBuffer {
    const cls = sizeClass(bytes);
    const list = this.#free.get(cls);
    const hit = list?.pop();
    if (hit) {
      this.#pooledBytes -= cls;
      return hit;
    }
    return this.create(cls);
  }

  /** Returns a buffer for reuse. */
  release(buffer: GPUBuffer): void {
    const cls = buffer.size;
    let list = this.#free.get(cls);
    if (!list) this.#free.set(cls, list = []);
    list.push(buffer);
    this.#pooledBytes += cls;
  }

  /** Bytes held in the pool. */
  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  /** Destroys every pooled buffer (only call when no recorded work uses them). */
  clear(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.#pooledBytes = 0;
  }
}
