/**
 * Choosing a device. `auto` prefers a real GPU, then the CPU with a native BLAS, then the CPU with
 * the WebAssembly SIMD GEMM (both much faster than a software WebGPU adapter: 20-70 vs ~2.5
 * GFLOP/s on two cores), then WebGPU on a software adapter, then the plain TypeScript CPU backend.
 * The choice and the reason are returned so programs can print them.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { CpuBackend } from "./cpu/cpu_backend.ts";
import type { Gemm } from "./cpu/gemm.ts";
import { WebGPUBackend } from "./webgpu/webgpu_backend.ts";

/** Which device to use. */
export type DeviceKind = "auto" | "webgpu" | "cpu";

/** A chosen backend and why it was chosen. */
export interface BackendChoice {
  /** The created backend, ready for `setBackend`. */
  backend: Backend;
  /** Why this device was picked (and why better ones were not), to print to the user. */
  reason: string;
}

/** Options of `createBackend`. */
export interface CreateBackendOptions {
  /** A native GEMM (BLAS through FFI in Deno); null or missing means the TypeScript GEMM. */
  gemm?: Gemm | null;
  /** Why no native GEMM is available (for the message). */
  gemmUnavailable?: string;
  /**
   * A portable GEMM (the WebAssembly one, src/backend/cpu/wasm_gemm.ts) for the CPU when there is
   * no native one: ranked below the native BLAS and above a software WebGPU adapter.
   */
  wasmGemm?: Gemm | null;
  /**
   * Matmul arithmetic. "f16" (f16 products, f32 sums) exists on WebGPU with shader-f16 only: it
   * makes `auto` pick WebGPU, and fails for "cpu" or an adapter without the feature.
   */
  precision?: "f32" | "f16";
}

/** Raised when the requested device cannot be provided; the message says why. */
export class DeviceUnavailableError extends Error {
  /**
   * Creates the error.
   * @param message what was asked and what is missing
   */
  constructor(message: string) {
    super(message);
    this.name = "DeviceUnavailableError";
  }
}

/**
 * Creates a backend of the requested kind.
 * @example
 * ```ts
 * const { backend, reason } = await createBackend("auto");
 * setBackend(backend);
 * console.log(reason);
 * ```
 */
export async function createBackend(
  kind: DeviceKind = "auto",
  o: CreateBackendOptions = {},
): Promise<BackendChoice> {
  const gemm = o.gemm ?? o.wasmGemm ?? null;
  const cpu = () => new CpuBackend({ gemm: gemm ?? undefined });
  const cpuName = gemm ? `CPU with ${gemm.name}` : "CPU (TypeScript GEMM)";
  const noNative = `no native BLAS (${o.gemmUnavailable ?? "not provided"})`;
  if (o.precision === "f16") return await f16Backend(kind);
  if (kind === "cpu") {
    const why = o.gemm || !gemm ? "requested" : `requested; ${noNative}`;
    return { backend: cpu(), reason: `${cpuName}: ${why}` };
  }
  const gpu = await WebGPUBackend.create().catch(() => null);
  if (kind === "webgpu") {
    if (!gpu) {
      throw new DeviceUnavailableError(
        "--device webgpu: no WebGPU adapter (Deno needs --unstable-webgpu)",
      );
    }
    return { backend: gpu, reason: `WebGPU (${gpu.adapterInfo}): requested` };
  }
  if (gpu && !gpu.software) return { backend: gpu, reason: `WebGPU on a GPU (${gpu.adapterInfo})` };
  if (gemm) {
    gpu?.dispose();
    const vs = gpu
      ? `faster than the software WebGPU adapter (${gpu.adapterInfo})`
      : "no WebGPU adapter";
    return { backend: cpu(), reason: `${cpuName}: ${o.gemm ? vs : `${vs}; ${noNative}`}` };
  }
  if (gpu) {
    return {
      backend: gpu,
      reason: `WebGPU on a software adapter (${gpu.adapterInfo}); ${noNative}`,
    };
  }
  return { backend: cpu(), reason: `${cpuName}: no WebGPU and ${noNative}` };
}

/** The f16 mixed-precision backend: WebGPU with shader-f16 or an error. */
async function f16Backend(kind: DeviceKind): Promise<BackendChoice> {
  if (kind === "cpu") {
    throw new DeviceUnavailableError("precision f16 is a WebGPU option; the CPU computes in f32");
  }
  const gpu = await WebGPUBackend.create({ precision: "f16" }); // throws without shader-f16
  if (!gpu) throw new DeviceUnavailableError("precision f16: no WebGPU adapter");
  return {
    backend: gpu,
    reason: `WebGPU (${gpu.adapterInfo}) with f16 mixed-precision matmuls: requested`,
  };
}
