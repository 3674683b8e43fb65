/**
 * The CPU reference backend: typed arrays on the host, kernels in plain TypeScript, matmuls through
 * a pluggable GEMM (portable TypeScript, or the system BLAS through FFI in Deno). With
 * `precision: "f64"` it stores f32 tensors in float64: the gradient checks run there.
 *
 * With a worker pool ({@link CpuBackendOptions.workers}, made by the host: the Web-standard
 * src/io/web/cpu_workers.ts, started by Deno and by cross-origin-isolated pages) tensors live in
 * SharedArrayBuffers and the large element-wise and row-wise kernels run split across the
 * threads (./parallel.ts), with bit-identical results.
 *
 * Float32 storage comes from the process-wide WebAssembly heap where the engine supports it
 * (./wasm_heap.ts; with or without workers), so that the passes of ./wasm_inplace.ts run on the
 * tensors in place; elsewhere, and for float64 storage, from ordinary buffers.
 * @module
 */
import type { DType, TypedArray } from "../../core/dtype.ts";
import { BackendError } from "../../core/errors.ts";
import type { Backend, Handle, KernelAttrs, MemoryInfo } from "../../core/backend.ts";
import type { Gemm } from "./gemm.ts";
import { HostArena } from "./host_arena.ts";
import { jsGemm } from "./gemm_js.ts";
import { type CpuKernel, cpuKernels, cpuKernelTable } from "./kernels/mod.ts";
import type { KernelAttrsMap, KernelName } from "../../core/kernel_contract.ts";
import { allShared, type CpuWorkers, splitKernel } from "./parallel.ts";
import { wasmHeap } from "./wasm_heap.ts";

/** Options of the CPU backend. */
export interface CpuBackendOptions {
  /** Float storage: "f32" (default) or "f64" for gradient checks. */
  precision?: "f32" | "f64";
  /** GEMM provider (default: the portable TypeScript one). */
  gemm?: Gemm;
  /**
   * Helper threads for the TypeScript kernels (default none). The backend owns them: `dispose()`
   * closes them.
   */
  workers?: CpuWorkers | null;
  /**
   * Float32 storage on the WebAssembly heap where supported, for the in-place WebAssembly passes
   * (default true; false: ordinary buffers and every pass in TypeScript, for comparisons).
   */
  wasmHeap?: boolean;
}

/** A CPU buffer: the typed array itself (a view of exactly the tensor's size on arena storage). */
export type CpuHandle = TypedArray;

/** The CPU backend. */
export class CpuBackend implements Backend {
  readonly name = "cpu";
  readonly floatPrecision: "f32" | "f64";
  /** The GEMM provider matmuls go through. */
  gemm: Gemm;
  #workers: CpuWorkers | null;
  #live = 0;
  /** Tensor storage (see host_arena.ts): shared while there are workers. */
  #arena: HostArena;
  #liveBytes = 0;
  #peak = 0;

  /** Creates a CPU backend: f32 storage, the TypeScript GEMM and no threads unless told otherwise. */
  constructor(options: CpuBackendOptions = {}) {
    this.floatPrecision = options.precision ?? "f32";
    this.gemm = options.gemm ?? jsGemm;
    this.#workers = options.workers ?? null;
    const heap = this.floatPrecision === "f32" && (options.wasmHeap ?? true) ? wasmHeap() : null;
    this.#arena = new HostArena(this.#workers !== null, undefined, heap);
  }

  /** Whether tensors live on the WebAssembly heap (so far; false once it could not grow). */
  get onWasmHeap(): boolean {
    return this.#arena.onHeap;
  }

  /** The helper threads in use, or null. */
  get workers(): CpuWorkers | null {
    return this.#workers;
  }

  /**
   * Uses `workers` from now on (null: none), closing the previous ones. Arrays allocated from
   * here on are shared (or not); older ones keep their kernels on the calling thread.
   */
  useWorkers(workers: CpuWorkers | null): void {
    if (workers === this.#workers) return;
    this.#workers?.close();
    this.#workers = workers;
    this.#arena.setShared(workers !== null);
  }

  alloc(dtype: DType, size: number, zero = false): Handle {
    // Arena storage: reused block by block, so no step or batch makes new buffers (fresh ones
    // would also be zero-filled by the engine, a pass each).
    const f64 = dtype !== "i32" && this.floatPrecision === "f64";
    const { buffer, offset } = this.#arena.alloc(size * (f64 ? 8 : 4));
    const a = dtype === "i32"
      ? new Int32Array(buffer, offset, size)
      : f64
      ? new Float64Array(buffer, offset, size)
      : new Float32Array(buffer, offset, size);
    if (zero) a.fill(0);
    this.#count(a, 1);
    return a;
  }

  upload(dtype: DType, data: ArrayLike<number>): Handle {
    const a = this.alloc(dtype, data.length) as TypedArray;
    a.set(data as ArrayLike<number>);
    return a;
  }

  read(handle: Handle, _dtype: DType, size: number): Promise<TypedArray> {
    return Promise.resolve((handle as TypedArray).slice(0, size));
  }

  /** Synchronous read (CPU only): a copy of the data. */
  readSync(handle: Handle): TypedArray {
    return (handle as TypedArray).slice();
  }

  free(handle: Handle): void {
    const a = handle as TypedArray;
    this.#count(a, -1);
    this.#arena.free(a.buffer, a.byteOffset, a.byteLength);
  }

  hasKernel(name: string): boolean {
    return name in cpuKernels;
  }

  run<K extends KernelName>(
    name: K,
    inputs: Handle[],
    outputs: Handle[],
    attrs: KernelAttrsMap[K],
  ): void {
    const k: CpuKernel<K> | undefined = cpuKernelTable[name];
    if (!k) throw new BackendError(this.name, name, "no such kernel");
    const ins = inputs as TypedArray[], outs = outputs as TypedArray[];
    if (this.#workers && this.#runSplit(name, ins, outs, attrs)) return;
    k(ins, outs, attrs, this);
  }

  /** Runs the kernel split across the workers; false when it does not split (run it whole). */
  #runSplit(name: string, ins: TypedArray[], outs: TypedArray[], attrs: KernelAttrs): boolean {
    const workers = this.#workers!;
    let jobs = splitKernel(name, ins, outs, attrs, workers.threads);
    if (!jobs) return false;
    const helpers = workers.ready();
    if (helpers === 0 || !allShared(ins) || !allShared(outs)) return false;
    if (jobs.length > helpers + 1) {
      jobs = splitKernel(name, ins, outs, attrs, helpers + 1);
      if (!jobs) return false;
    }
    const [mine, ...theirs] = jobs;
    workers.run(theirs, () => cpuKernels[mine.kernel](mine.inputs, mine.outputs, mine.attrs, this));
    return true;
  }

  memory(): MemoryInfo {
    return {
      liveBuffers: this.#live,
      liveBytes: this.#liveBytes,
      pooledBytes: this.#arena.reservedBytes - this.#arena.usedBytes,
      peakBytes: this.#peak,
    };
  }

  resetPeak(): void {
    this.#peak = this.#liveBytes;
  }

  sync(): Promise<void> {
    return Promise.resolve();
  }

  dispose(): void {
    this.#workers?.close();
    this.#workers = null;
    this.#arena.clear();
    this.#arena = new HostArena(false);
  }

  #count(a: TypedArray, sign: number): void {
    this.#live += sign;
    this.#liveBytes += sign * a.byteLength;
    if (this.#liveBytes > this.#peak) this.#peak = this.#liveBytes;
  }
}
