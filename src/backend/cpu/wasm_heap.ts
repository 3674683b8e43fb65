/**
 * The process-wide WebAssembly heap: one shared `WebAssembly.Memory` (maximum 4 GiB) the CPU
 * backend's arena (./host_arena.ts) carves its float32 chunks from, so that the in-place
 * WebAssembly passes (./wasm_inplace.ts) run on the tensors themselves, their pointer a view's
 * `byteOffset`, with nothing copied in or out. The TypeScript kernels run as fast on these views
 * as on plain buffers.
 *
 * Why shared even without worker threads: growing a non-shared memory detaches every view of it,
 * a shared one never does (each `memory.buffer` read after a grow is a new, longer
 * SharedArrayBuffer object; older objects keep their length and stay valid for their range). So
 * buffer identity says nothing about the memory: every buffer object the memory ever returned is
 * recorded here ({@link heapMemoryOf}), as is each one a worker receives
 * ({@link adoptHeapBuffer}).
 *
 * A memory never shrinks: regions given back (an arena cleared with its backend's disposal) are
 * kept here and handed to later arenas. The first page is never handed out (no tensor at address
 * 0). Where there is no WebAssembly SIMD, no shared memory (a page that is not cross-origin
 * isolated) or the memory cannot grow any more, {@link WasmHeap.take} and {@link wasmHeap} give
 * null and the arena makes ordinary buffers instead.
 * @module
 */
import { inplaceWasm } from "../../generated/wasm.ts";
import { insertMerged, takeFirstFit } from "./free_ranges.ts";

/** Bytes of a WebAssembly page: heap regions are whole pages. */
export const WASM_PAGE = 65536;
/** Pages of a wasm32 memory's largest size (4 GiB), the maximum inplace.wasm and sgemm_heap*.wasm declare. */
const MAX_PAGES = 65536;

/** A region of a heap: `bytes` bytes at `offset` of `buffer` (a buffer of the heap's memory). */
export interface HeapRegion {
  buffer: SharedArrayBuffer;
  offset: number;
  bytes: number;
}

/** Every buffer object known to be a heap memory's, with its memory (per thread). */
const memories = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/** The memory whose buffer `buffer` is, or undefined for any other buffer. */
export function heapMemoryOf(buffer: ArrayBufferLike): WebAssembly.Memory | undefined {
  return memories.get(buffer);
}

/**
 * Records `buffer` as a buffer of `memory`: a worker thread does so for the buffers posted to it
 * with the memory they belong to (its own copy of the memory object).
 */
export function adoptHeapBuffer(buffer: SharedArrayBuffer, memory: WebAssembly.Memory): void {
  memories.set(buffer, memory);
}

/** One shared memory and its regions not in use (see the module note). */
export class WasmHeap {
  /** The memory (shared, never shrinks). */
  readonly memory: WebAssembly.Memory;
  /** Regions given back, as [offset, bytes] pairs sorted by offset, never adjacent. */
  #free: number[] = [];

  /**
   * Creates the memory with its reserved first page.
   * @param maximumPages its largest size in pages (tests pass a small one to meet the limit)
   * @throws where the engine has no shared WebAssembly memory
   */
  constructor(maximumPages = MAX_PAGES) {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: maximumPages, shared: true });
    this.#buffer();
  }

  /** The memory's current buffer object, recorded as the heap's. */
  #buffer(): SharedArrayBuffer {
    const b = this.memory.buffer as unknown as SharedArrayBuffer;
    if (!memories.has(b)) memories.set(b, this.memory);
    return b;
  }

  /**
   * A region of `bytes` (rounded up to whole pages), or of at least `least` bytes: the first
   * given-back region of `least` or more (all of it, up to `bytes`), else the memory grown by
   * `bytes`; null when it cannot grow that far. Taking smaller given-back regions keeps the
   * pages around blocks still in use at a `clear` from fragmenting the memory for good.
   */
  take(bytes: number, least = bytes): HeapRegion | null {
    const want = Math.ceil(bytes / WASM_PAGE) * WASM_PAGE;
    const min = Math.min(Math.ceil(least / WASM_PAGE) * WASM_PAGE, want);
    const reused = takeFirstFit(this.#free, min, want);
    if (reused) return { buffer: this.#buffer(), ...reused };
    let pages: number;
    try {
      // grow returns the old size: the new pages start there, whoever else grows meanwhile.
      pages = this.memory.grow(want / WASM_PAGE);
    } catch {
      return null; // past the maximum, or the system refused the memory
    }
    return { buffer: this.#buffer(), offset: pages * WASM_PAGE, bytes: want };
  }

  /**
   * Gives back `bytes` at `offset` for later `take`s (both whole pages; the caller no longer uses
   * any view of them).
   */
  give(offset: number, bytes: number): void {
    insertMerged(this.#free, offset, bytes);
  }

  /** Bytes of the memory. */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes given back and not taken again. */
  get freeBytes(): number {
    let n = 0;
    for (let i = 1; i < this.#free.length; i += 2) n += this.#free[i];
    return n;
  }
}

let heap: WasmHeap | null | undefined;
let enabled = true;

/**
 * Whether this engine can run the heap: WebAssembly SIMD with threads (inplace.wasm validates)
 * and shared memory (not a page that is not cross-origin isolated).
 */
export function wasmHeapSupported(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof WebAssembly === "object" && typeof SharedArrayBuffer === "function" &&
    g.crossOriginIsolated !== false && WebAssembly.validate(inplaceWasm);
}

/**
 * This thread's heap, made on first use, or null where it is not supported or turned off
 * ({@link setWasmHeap}).
 */
export function wasmHeap(): WasmHeap | null {
  if (!enabled) return null;
  if (heap === undefined) {
    heap = null;
    // 4 GiB of address space, else 1 GiB (engines that reserve less, such as 32-bit ones).
    for (const pages of wasmHeapSupported() ? [MAX_PAGES, MAX_PAGES / 4] : []) {
      try {
        heap = new WasmHeap(pages);
        break;
      } catch {
        // try the smaller maximum, else no heap
      }
    }
  }
  return heap;
}

/**
 * Turns the heap off (or on again) for backends created from now on: they keep ordinary buffers
 * and so run every kernel in TypeScript (benchmarks compare the two in one process).
 */
export function setWasmHeap(on: boolean): void {
  enabled = on;
}
