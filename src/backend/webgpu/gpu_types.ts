/**
 * Types shared by the WebGPU backend and its kernel files.
 * @module
 */
import type { DType } from "../../core/dtype.ts";
import type { KernelAttrsMap, KernelName } from "../../core/kernel_contract.ts";

/** A tensor's buffer on the GPU. */
export interface GpuHandle {
  /** The storage buffer (from the backend's pool, so possibly larger than `bytes`). */
  buffer: GPUBuffer;
  /** Bytes used by the tensor (the buffer may be larger: pool size class). */
  bytes: number;
  /** Element type of the tensor stored in the buffer. */
  dtype: DType;
}

/** A byte range of a tensor's buffer (offset a multiple of the adapter's storage alignment). */
export interface BufferRange {
  /** The tensor buffer the range is cut from. */
  handle: GpuHandle;
  /** First byte of the range. */
  offset: number;
  /** Length of the range in bytes. */
  size: number;
}

/**
 * One binding of a dispatch: a whole tensor buffer, a range of one, or uniform data (copied into
 * a cached buffer).
 */
export type Binding = GpuHandle | BufferRange | Uint32Array;

/** A compute dispatch, as kernels describe it. */
export interface Dispatch {
  /** Pipeline cache key: equal keys must mean equal `code` and `entryPoint`. */
  key: string;
  /** WGSL source (only read when the key is new). */
  code: () => string;
  /** Entry point in `code` (default `main`). */
  entryPoint?: string;
  /** Bindings 0..n-1 of group 0, in order; null for a slot the entry point does not use. */
  bindings: (Binding | null)[];
  /** Workgroup counts; or `{ threads, size }` to split a 1-D launch over x and y. */
  workgroups: [number, number, number] | { threads: number; size: number };
}

/** What kernels get from the backend. */
export interface GpuContext {
  /** Records one dispatch. */
  dispatch(d: Dispatch): void;
  /** Adapter limits (workgroups per dimension, binding sizes). */
  readonly limits: GPUSupportedLimits;
  /**
   * Kernel variants for a software (CPU) adapter — llvmpipe, SwiftShader: no workgroup memory, few
   * divergent branches — rather than for a real GPU. Follows the adapter unless overridden
   * (`WebGPUBackendTestOptions.kernels`).
   */
  readonly softwareKernels: boolean;
  /** Largest storage binding in bytes (the adapter's limit, or a smaller test override). */
  readonly maxBindingBytes: number;
  /** The adapter's largest subgroup (SIMD width), when it reports one. */
  readonly subgroupMaxSize?: number;
  /** Matmul arithmetic: f32, or f16 products with f32 sums. */
  readonly precision: "f32" | "f16";
}

/**
 * Runs an element-wise kernel over `n` elements in chunks whose bindings fit `maxBindingBytes`:
 * `fn(first, count)` dispatches elements [first, first + count) with ranges from `range()`.
 */
export function forEachChunk(
  ctx: GpuContext,
  n: number,
  fn: (first: number, count: number, range: (h: GpuHandle) => GpuHandle | BufferRange) => void,
): void {
  const maxElems = Math.floor(ctx.maxBindingBytes / 4 / 256) * 256; // offsets stay 256-byte aligned
  if (n <= maxElems) {
    fn(0, n, (h) => h);
    return;
  }
  for (let first = 0; first < n; first += maxElems) {
    const count = Math.min(maxElems, n - first);
    fn(first, count, (h) => ({ handle: h, offset: first * 4, size: count * 4 }));
  }
}

/**
 * Elements per invocation of an element-wise kernel over `n` elements: 4 (vec4 loads and stores)
 * when `n` is a multiple of 4, else 1. Chunks of {@link forEachChunk} keep the property (their
 * sizes are multiples of 256 but for the last). On software adapters every per-lane load is a
 * scalar loop over the lanes whatever its width, so vec4 moves 4× the bytes for the same cost.
 */
export function elementWidth(n: number): 1 | 4 {
  return n % 4 === 0 ? 4 : 1;
}

/** The WebGPU kernel of name `K`, taking that kernel's attributes. */
export type GpuKernel<K extends KernelName> = (
  ctx: GpuContext,
  inputs: GpuHandle[],
  outputs: GpuHandle[],
  attrs: KernelAttrsMap[K],
) => void;

/** WebGPU kernels by name, each typed by its name's attributes. */
export type GpuKernels<K extends KernelName> = { readonly [N in K]: GpuKernel<N> };

/** Packs numbers into a u32 uniform block (floats as f32 bits), padded to 16 bytes. */
export function uniforms(
  values: readonly (number | { f32: number } | { i32: number })[],
): Uint32Array {
  const n = Math.ceil(Math.max(values.length, 4) / 4) * 4;
  const u = new Uint32Array(n);
  const f = new Float32Array(u.buffer);
  const i = new Int32Array(u.buffer);
  values.forEach((v, k) => {
    if (typeof v === "number") u[k] = v >>> 0;
    else if ("f32" in v) f[k] = v.f32;
    else i[k] = v.i32;
  });
  return u;
}
