/**
 * Types shared by the WebGPU backend and its kernel files.
 * @module
 */
import type { DType } from "../../core/dtype.ts";
import type { KernelAttrs } from "../backend.ts";

/** A tensor's buffer on the GPU. */
export interface GpuHandle {
  buffer: GPUBuffer;
  /** Bytes used by the tensor (the buffer may be larger: pool size class). */
  bytes: number;
  dtype: DType;
}

/** One binding of a dispatch: a tensor buffer, or uniform data (copied into a cached buffer). */
export type Binding = GpuHandle | Uint32Array;

/** A compute dispatch, as kernels describe it. */
export interface Dispatch {
  /** Pipeline cache key: equal keys must mean equal `code` and `entryPoint`. */
  key: string;
  /** WGSL source (only read when the key is new). */
  code: () => string;
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
  /** Whether the adapter is a software (CPU) implementation: llvmpipe, SwiftShader. */
  readonly software: boolean;
}

/** A WebGPU kernel. */
export type GpuKernel = (
  ctx: GpuContext,
  inputs: GpuHandle[],
  outputs: GpuHandle[],
  attrs: KernelAttrs,
) => void;

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
