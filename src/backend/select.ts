/**
 * Choosing a device. `auto` prefers a real GPU, then the CPU with a native BLAS (much faster than
 * a software WebGPU adapter), then WebGPU on a software adapter, then the plain TypeScript CPU
 * backend. The choice and the reason are returned so programs can print them.
 * @module
 */
import type { Backend } from "./backend.ts";
import { CpuBackend } from "./cpu/cpu_backend.ts";
import type { Gemm } from "./cpu/gemm.ts";
import { WebGPUBackend } from "./webgpu/webgpu_backend.ts";

/** Which device to use. */
export type DeviceKind = "auto" | "webgpu" | "cpu";

/** A chosen backend and why it was chosen. */
export interface BackendChoice {
  backend: Backend;
  reason: string;
}

/** Options of `createBackend`. */
export interface CreateBackendOptions {
  /** A native GEMM (BLAS through FFI in Deno); null or missing means the TypeScript GEMM. */
  gemm?: Gemm | null;
  /** Why no native GEMM is available (for the message). */
  gemmUnavailable?: string;
  /**
   * Matmul arithmetic. "f16" (f16 products, f32 sums) exists on WebGPU with shader-f16 only: it
   * makes `auto` pick WebGPU, and fails for "cpu" or an adapter without the feature.
   */
  precision?: "f32" | "f16";
}

/** Raised when the requested device cannot be provided; the message says why. */
export class DeviceUnavailableError extends Error {
  /** @param message what was asked and what is missing */
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
  const cpu = () => new CpuBackend({ gemm: o.gemm ?? undefined });
  const cpuName = o.gemm ? `CPU with ${o.gemm.name}` : "CPU (TypeScript GEMM)";
  if (o.precision === "f16") {
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
  if (kind === "cpu") return { backend: cpu(), reason: `${cpuName}: requested` };
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
  if (o.gemm) {
    gpu?.dispose();
    return {
      backend: cpu(),
      reason: `${cpuName}: ${
        gpu ? `faster than the software WebGPU adapter (${gpu.adapterInfo})` : "no WebGPU adapter"
      }`,
    };
  }
  if (gpu) {
    return {
      backend: gpu,
      reason: `WebGPU on a software adapter (${gpu.adapterInfo}); no native BLAS (${
        o.gemmUnavailable ?? "not provided"
      })`,
    };
  }
  return {
    backend: cpu(),
    reason: `${cpuName}: no WebGPU and no native BLAS (${o.gemmUnavailable ?? "not provided"})`,
  };
}
