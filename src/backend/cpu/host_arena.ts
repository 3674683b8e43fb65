/**
 * Host storage for the CPU backend's tensors: a few large chunks (ArrayBuffers, or
 * SharedArrayBuffers when worker threads share them) carved into blocks, first fit, with freed
 * neighbours merged again.
 *
 * Why not one buffer per tensor: a SharedArrayBuffer's memory is given back only when every
 * isolate that has seen it collects its object, and neither the main thread's garbage collector
 * nor an idle worker's counts that memory as pressure. With a buffer per tensor, evaluating
 * batches of ever new shapes grew by hundreds of MB a second until the process was killed. Here
 * memory is owned explicitly: chunks are made when nothing free fits, kept for reuse, and let go
 * only by {@link HostArena.clear}; workers see a handful of chunks, never a stream of buffers.
 * The arena therefore holds at most the most its tensors ever held at once, plus fragmentation.
 * @module
 */

/** A block of a chunk: where it starts and how many bytes it has. */
export interface HostBlock {
  buffer: ArrayBufferLike;
  offset: number;
}

interface Chunk {
  buffer: ArrayBufferLike;
  /** Free ranges as [offset, bytes] pairs, sorted by offset, never adjacent. */
  free: number[];
  /** Of the kind no longer made (see `setShared`): no new blocks, dropped once all free. */
  retired: boolean;
}

/** Block sizes are multiples of this (a cache line; every typed array's alignment). */
export const BLOCK_ALIGN = 64;
/** Bytes of an ordinary chunk; a larger request gets a chunk of the next power of two. */
const CHUNK_BYTES = 64 * 2 ** 20;

/** Bytes a request of `bytes` takes in the arena. */
export function blockBytes(bytes: number): number {
  return Math.max(BLOCK_ALIGN, Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN);
}

/** The arena (see the module note). */
export class HostArena {
  #chunks = new Map<ArrayBufferLike, Chunk>();
  #reserved = 0;
  #used = 0;

  /**
   * @param shared SharedArrayBuffer chunks (for worker threads) instead of ArrayBuffers
   * @param chunkBytes bytes of an ordinary chunk (tests use small ones)
   */
  constructor(private shared: boolean, private readonly chunkBytes = CHUNK_BYTES) {}

  /**
   * Makes new chunks shared (or not) from now on. Chunks of the other kind hand out no more
   * blocks and are dropped once their last block is freed.
   */
  setShared(shared: boolean): void {
    if (shared === this.shared) return;
    this.shared = shared;
    for (const chunk of this.#chunks.values()) chunk.retired = !chunk.retired;
    for (const chunk of [...this.#chunks.values()]) this.#dropIfDone(chunk);
  }

  /** A block of at least `bytes` (zero-filled only when the chunk is new). */
  alloc(bytes: number): HostBlock {
    const size = blockBytes(bytes);
    for (const chunk of this.#chunks.values()) {
      if (chunk.retired) continue;
      const offset = takeFirstFit(chunk.free, size);
      if (offset >= 0) {
        this.#used += size;
        return { buffer: chunk.buffer, offset };
      }
    }
    const chunkSize = size <= this.chunkBytes ? this.chunkBytes : 2 ** Math.ceil(Math.log2(size));
    const buffer = this.shared ? new SharedArrayBuffer(chunkSize) : new ArrayBuffer(chunkSize);
    const free = size < chunkSize ? [size, chunkSize - size] : [];
    const chunk: Chunk = { buffer, free, retired: false };
    this.#chunks.set(buffer, chunk);
    this.#reserved += chunkSize;
    this.#used += size;
    return { buffer, offset: 0 };
  }

  /**
   * Gives back the block of `bytes` (as asked of `alloc`) at `offset` of `buffer`. A buffer that
   * is no chunk of this arena (one from before `clear`) is ignored.
   */
  free(buffer: ArrayBufferLike, offset: number, bytes: number): void {
    const chunk = this.#chunks.get(buffer);
    if (!chunk) return;
    const size = blockBytes(bytes);
    insertMerged(chunk.free, offset, size);
    this.#used -= size;
    this.#dropIfDone(chunk);
  }

  #dropIfDone(chunk: Chunk): void {
    if (!chunk.retired || chunk.free[1] !== chunk.buffer.byteLength) return;
    this.#chunks.delete(chunk.buffer);
    this.#reserved -= chunk.buffer.byteLength;
  }

  /** Bytes of all chunks. */
  get reservedBytes(): number {
    return this.#reserved;
  }

  /** Bytes in blocks handed out and not yet freed. */
  get usedBytes(): number {
    return this.#used;
  }

  /** The chunks, for the code that shares them with workers. */
  chunks(): IterableIterator<ArrayBufferLike> {
    return this.#chunks.keys();
  }

  /** Forgets every chunk (only when no block is in use any more). */
  clear(): void {
    this.#chunks.clear();
    this.#reserved = 0;
    this.#used = 0;
  }
}

/** Takes `size` bytes from the first free range that holds them; its offset, or −1. */
function takeFirstFit(free: number[], size: number): number {
  for (let i = 0; i < free.length; i += 2) {
    const len = free[i + 1];
    if (len < size) continue;
    const offset = free[i];
    if (len === size) free.splice(i, 2);
    else {
      free[i] = offset + size;
      free[i + 1] = len - size;
    }
    return offset;
  }
  return -1;
}

/** Adds the range [offset, offset + size) to `free`, merged with the ranges it touches. */
function insertMerged(free: number[], offset: number, size: number): void {
  let i = 0;
  while (i < free.length && free[i] < offset) i += 2;
  const before = i >= 2 && free[i - 2] + free[i - 1] === offset;
  const after = i < free.length && offset + size === free[i];
  if (before && after) {
    free[i - 1] += size + free[i + 1];
    free.splice(i, 2);
  } else if (before) free[i - 1] += size;
  else if (after) {
    free[i] = offset;
    free[i + 1] += size;
  } else free.splice(i, 0, offset, size);
}
