/**
 * The CPU reference backend: typed arrays on the host, kernels in plain TypeScript, matmuls through
 * a pluggable GEMM (portable TypeScript, or the system BLAS through FFI in Deno). With
 * `precision: "f64"` it stores f32 tensors in float64: the gradient checks run there.
 * @module
 */
import type { DType, TypedArray } from "../../core/dtype.ts";
import { BackendError } from "../../core/errors.ts";
import type { Backend, Handle, KernelAttrs, MemoryInfo } from "../backend.ts";
import type { Gemm } from "./gemm.ts";
import { jsGemm } from "./gemm_js.ts";
import { type CpuKernel, cpuKernels } from "./kernels/mod.ts";

/** Options of the CPU backend. */
export interface CpuBackendOptions {
  /** Float storage: "f32" (default) or "f64" for gradient checks. */
  precision?: "f32" | "f64";
  /** GEMM provider (default: the portable TypeScript one). */
  gemm?: Gemm;
}

/** Freed arrays kept for reuse, at most this many bytes. */
const POOL_LIMIT_BYTES = 1 << 30;

/** A CPU buffer: the typed array itself. */
export type CpuHandle = TypedArray;

/** The CPU backend. */
export class CpuBackend implements Backend {
  readonly name = "cpu";
  readonly floatPrecision: "f32" | "f64";
  /** The GEMM provider matmuls go through. */
  gemm: Gemm;
  #live = 0;
  #pool = new Map<string, TypedArray[]>();
  #pooledBytes = 0;
  #liveBytes = 0;
  #peak = 0;

  constructor(options: CpuBackendOptions = {}) {
    this.floatPrecision = options.precision ?? "f32";
    this.gemm = options.gemm ?? jsGemm;
  }

  alloc(dtype: DType, size: number, zero = false): Handle {
    // Reuse a freed array of the same type and length: a training step allocates the same shapes
    // every time, and fresh typed arrays are zero-filled by the engine, which costs a pass each.
    const key = this.#key(dtype, size);
    const pooled = this.#pool.get(key)?.pop();
    let a: TypedArray;
    if (pooled) {
      this.#pooledBytes -= pooled.byteLength;
      if (zero) pooled.fill(0);
      a = pooled;
    } else {
      a = dtype === "i32"
        ? new Int32Array(size)
        : this.floatPrecision === "f64"
        ? new Float64Array(size)
        : new Float32Array(size);
    }
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
    if (this.#pooledBytes + a.byteLength > POOL_LIMIT_BYTES) return; // let the GC have it
    const key = this.#key(a instanceof Int32Array ? "i32" : "f32", a.length);
    let list = this.#pool.get(key);
    if (!list) this.#pool.set(key, list = []);
    list.push(a);
    this.#pooledBytes += a.byteLength;
  }

  hasKernel(name: string): boolean {
    return name in cpuKernels;
  }

  run(name: string, inputs: Handle[], outputs: Handle[], attrs: KernelAttrs): void {
    const k: CpuKernel | undefined = cpuKernels[name];
    if (!k) throw new BackendError(this.name, name, "no such kernel");
    k(inputs as TypedArray[], outputs as TypedArray[], attrs, this);
  }

  memory(): MemoryInfo {
    return {
      liveBuffers: this.#live,
      liveBytes: this.#liveBytes,
      pooledBytes: this.#pooledBytes,
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
    this.#pool.clear();
    this.#pooledBytes = 0;
  }

  #key(dtype: DType, size: number): string {
    return `${dtype}:${size}`;
  }

  #count(a: TypedArray, sign: number): void {
    this.#live += sign;
    this.#liveBytes += sign * a.byteLength;
    if (this.#liveBytes > this.#peak) this.#peak = this.#liveBytes;
  }
}
