/**
 * The contract every backend implements. Ops never touch devices: they ask the engine to run a named
 * kernel, and the tensor's backend runs its implementation of that name. The CPU and WebGPU backends
 * implement the same names (see `src/backend/cpu/kernels/` and `src/backend/webgpu/kernels/`, one
 * file per kernel family, named as the op file in `src/ops/` that uses them), so parity tests are
 * one loop over kernel names.
 * @module
 */
import type { DType, TypedArray } from "./dtype.ts";
import type { KernelAttrsMap, KernelName } from "./kernel_contract.ts";

/** Opaque per-backend buffer handle. */
export type Handle = object;

/** Live memory of a backend. */
export interface MemoryInfo {
  /** Buffers held by tensors. */
  liveBuffers: number;
  /** Bytes held by tensors. */
  liveBytes: number;
  /** Bytes kept in the backend's pool for reuse (not held by tensors). */
  pooledBytes: number;
  /** Highest `liveBytes` seen since the last `resetPeak()`. */
  peakBytes: number;
}

/**
 * Attributes of a kernel call by a name known only at run time: plain data plus, for element-wise
 * kernels, the expression. Each kernel's own type is in src/core/kernel_contract.ts.
 */
export type KernelAttrs = Record<string, unknown>;

/** A device that stores tensors and runs kernels. */
export interface Backend {
  /** `cpu` or `webgpu`. */
  readonly name: string;
  /** Storage precision of f32 tensors: the CPU backend can run in float64 for gradient checks. */
  readonly floatPrecision: "f32" | "f64";
  /** Allocates `size` elements; contents are zero when `zero` is set, else undefined. */
  alloc(dtype: DType, size: number, zero?: boolean): Handle;
  /** Allocates and fills a buffer from host data. */
  upload(dtype: DType, data: ArrayLike<number>): Handle;
  /** Reads a buffer back (a copy): Float32Array/Float64Array for f32, Int32Array for i32. */
  read(handle: Handle, dtype: DType, size: number): Promise<TypedArray>;
  /** Releases a buffer (to the pool). */
  free(handle: Handle): void;
  /**
   * Runs kernel `name` with that kernel's attributes (src/core/kernel_contract.ts); outputs are
   * written, inputs only read.
   */
  run<K extends KernelName>(
    name: K,
    inputs: Handle[],
    outputs: Handle[],
    attrs: KernelAttrsMap[K],
  ): void;
  /** Whether this backend implements kernel `name`. */
  hasKernel(name: string): boolean;
  /** Live and pooled memory. */
  memory(): MemoryInfo;
  /** Resets `peakBytes` to the current live bytes. */
  resetPeak(): void;
  /** Waits until all recorded work has finished (no-op on the CPU). */
  sync(): Promise<void>;
  /** Releases pooled memory and device resources. */
  dispose(): void;
}
