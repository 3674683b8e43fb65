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
 *
 * Given a {@link WasmHeap} (float32 storage, where the engine supports it), chunks are regions of
 * the process-wide shared WebAssembly memory (./wasm_heap.ts) rather than buffers of their own,
 * so the in-place WebAssembly passes can run on the tensors; they serve shared and unshared use
 * alike. When the memory cannot grow any more, chunks are ordinary buffers again. `clear` gives a
 * heap chunk's free pages back to the heap for later arenas; pages still holding blocks are never
 * handed out again (a tensor that outlived its backend stays valid).
 * @module
 */
import { heapMemoryOf, WASM_PAGE, type WasmHeap } from "./wasm_heap.ts";
import { insertMerged, takeFirstFit } from "./free_ranges.ts";

/** A block of a chunk: where it starts and how many bytes it has. */
export interface HostBlock {
  buffer: ArrayBufferLike;
  offset: number;
}

interface Chunk {
  buffer: ArrayBufferLike;
  /** Byte offset of the chunk in `buffer` (0 but for heap chunks). */
  base: number;
  bytes: number;
  /** Free ranges as [offset in buffer, bytes] pairs, sorted by offset, never adjacent. */
  free: number[];
  /** A heap region, or a buffer of its own (shared or not). */
  kind: "heap" | "shared" | "plain";
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
  /** Chunks with buffers of their own, by buffer. */
  #own = new Map<ArrayBufferLike, Chunk>();
  /** Heap chunks (their buffers are the heap memory's, shared by many chunks). */
  #heapChunks: Chunk[] = [];
  #reserved = 0;
  #used = 0;

  /**
   * @param shared SharedArrayBuffer chunks (for worker threads) instead of ArrayBuffers
   * @param chunkBytes bytes of an ordinary chunk (tests use small ones)
   * @param heap the WebAssembly heap to carve chunks from while it can grow, or null
   */
  constructor(
    private shared: boolean,
    private readonly chunkBytes = CHUNK_BYTES,
    private readonly heap: WasmHeap | null = null,
  ) {}

  /**
   * Makes new chunks shared (or not) from now on. Chunks of the other kind hand out no more
   * blocks and are dropped once their last block is freed; heap chunks serve both.
   */
  setShared(shared: boolean): void {
    if (shared === this.shared) return;
    this.shared = shared;
    for (const chunk of [...this.#own.values()]) {
      chunk.retired = (chunk.kind === "shared") !== shared;
      this.#dropIfDone(chunk);
    }
  }

  /** A block of at least `bytes` (zero-filled only when the chunk is new). */
  alloc(bytes: number): HostBlock {
    const size = blockBytes(bytes);
    for (const chunks of [this.#heapChunks, this.#own.values()]) {
      for (const chunk of chunks) {
        if (chunk.retired) continue;
        const taken = takeFirstFit(chunk.free, size);
        if (taken) {
          this.#used += size;
          return { buffer: chunk.buffer, offset: taken.offset };
        }
      }
    }
    const chunk = this.#newChunk(
      size <= this.chunkBytes ? this.chunkBytes : 2 ** Math.ceil(Math.log2(size)),
      size,
    );
    const offset = chunk.base;
    chunk.free = size < chunk.bytes ? [offset + size, chunk.bytes - size] : [];
    this.#reserved += chunk.bytes;
    this.#used += size;
    return { buffer: chunk.buffer, offset };
  }

  /**
   * A new chunk of `bytes`, all free: a heap region while the heap grows (a region given back by
   * an earlier arena may be smaller, down to `least`), else a buffer.
   */
  #newChunk(bytes: number, least: number): Chunk {
    const region = this.heap?.take(bytes, least);
    if (region) {
      const { buffer, offset: base } = region;
      const chunk: Chunk = {
        buffer,
        base,
        bytes: region.bytes,
        free: [],
        kind: "heap",
        retired: false,
      };
      this.#heapChunks.push(chunk);
      return chunk;
    }
    const buffer = this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const kind = this.shared ? "shared" : "plain";
    const chunk: Chunk = { buffer, base: 0, bytes, free: [], kind, retired: false };
    this.#own.set(buffer, chunk);
    return chunk;
  }

  /**
   * Gives back the block of `bytes` (as asked of `alloc`) at `offset` of `buffer`. A buffer that
   * is no chunk of this arena (one from before `clear`) is ignored.
   */
  free(buffer: ArrayBufferLike, offset: number, bytes: number): void {
    const chunk = this.#own.get(buffer) ?? this.#heapChunkAt(buffer, offset);
    if (!chunk) return;
    const size = blockBytes(bytes);
    insertMerged(chunk.free, offset, size);
    this.#used -= size;
    this.#dropIfDone(chunk);
  }

  /** The heap chunk holding `offset` of the heap buffer `buffer`, if this arena has one. */
  #heapChunkAt(buffer: ArrayBufferLike, offset: number): Chunk | undefined {
    if (!this.heap || heapMemoryOf(buffer) !== this.heap.memory) return undefined;
    return this.#heapChunks.find((c) => offset >= c.base && offset < c.base + c.bytes);
  }

  #dropIfDone(chunk: Chunk): void {
    if (!chunk.retired || chunk.free[0] !== chunk.base || chunk.free[1] !== chunk.bytes) return;
    this.#own.delete(chunk.buffer);
    this.#reserved -= chunk.bytes;
  }

  /** Bytes of all chunks. */
  get reservedBytes(): number {
    return this.#reserved;
  }

  /** Bytes in blocks handed out and not yet freed. */
  get usedBytes(): number {
    return this.#used;
  }

  /** Whether any chunk is a region of the WebAssembly heap. */
  get onHeap(): boolean {
    return this.#heapChunks.length > 0;
  }

  /**
   * Forgets every chunk, giving the heap chunks' free pages back to the heap (meant for when no
   * block is in use any more; pages with blocks still in use are never reused).
   */
  clear(): void {
    for (const chunk of this.#heapChunks) {
      for (let i = 0; i < chunk.free.length; i += 2) {
        const from = Math.ceil(chunk.free[i] / WASM_PAGE) * WASM_PAGE;
        const to = Math.floor((chunk.free[i] + chunk.free[i + 1]) / WASM_PAGE) * WASM_PAGE;
        if (to > from) this.heap!.give(from, to - from);
      }
    }
    this.#heapChunks = [];
    this.#own.clear();
    this.#reserved = 0;
    this.#used = 0;
  }
}
