/**
 * Device choice for Deno programs (CLI, bench): loads the native BLAS when it can (FFI), else the
 * WebAssembly SIMD GEMM, then lets `createBackend` pick the device, and says in one line when the
 * CPU runs without the native fast path.
 * @module
 */
import type { Backend } from "../../core/backend.ts";
import { CpuBackend } from "../../backend/cpu/cpu_backend.ts";
import { createBackend, type DeviceKind } from "../../backend/select.ts";
import { type BlasGemm, type BlasOptions, blasStatus, loadBlas } from "./blas.ts";
import { createCpuWorkers } from "./cpu_workers.ts";
import { parallelBlas } from "./parallel_blas.ts";
import { parallelWasm } from "../web/parallel_gemm.ts";
import { createWasmGemm } from "../../backend/cpu/wasm_gemm.ts";

/** What {@link chooseBackend} picked. */
export interface DeviceChoice {
  /** The backend to hand to `setBackend` (the caller disposes it). */
  backend: Backend;
  /** Why this device (one line, for start-up output). */
  reason: string;
  /** The native GEMM in use by a CPU backend, or null. */
  blas: BlasGemm | null;
  /**
   * One line for the user when the CPU backend runs without a native BLAS (on the WebAssembly or
   * the TypeScript GEMM) because none could be loaded, saying how to get the fast path; null
   * otherwise.
   */
  notice: string | null;
}

/** How to get the native-BLAS fast path, per platform. */
export function blasHint(os: typeof Deno.build.os = Deno.build.os): string {
  switch (os) {
    case "darwin":
      return "Accelerate ships with macOS; run with --allow-ffi (or `brew install openblas`)";
    case "windows":
      return "put openblas.dll on PATH (or set JOINTAG_BLAS to its path) and run with --allow-ffi";
    default:
      return "`apt install libopenblas0` (or set JOINTAG_BLAS to a CBLAS library) and run with --allow-ffi";
  }
}

/**
 * Loads BLAS, else the WebAssembly GEMM (unless `kind` is "webgpu"), creates the backend of `kind`
 * and returns it with the reason and, when the CPU backend ends up without BLAS, a one-line notice. A CPU backend also
 * gets worker threads (`blasOptions.threads`, else `JOINTAG_THREADS`, else all cores; 1 means
 * none), which split its large TypeScript kernels and, with BLAS, its GEMMs (the BLAS then runs
 * one thread: see parallel_blas.ts); `backend.dispose()` stops them.
 * @example
 * ```ts
 * const { backend, reason, notice } = await chooseBackend("auto");
 * if (notice) console.error(notice);
 * console.error(`device: ${reason}`);
 * setBackend(backend);
 * ```
 */
export async function chooseBackend(
  kind: DeviceKind = "auto",
  blasOptions: BlasOptions = {},
  precision: "f32" | "f16" = "f32",
): Promise<DeviceChoice> {
  const cpuPossible = kind !== "webgpu" && precision !== "f16";
  // Started only when a kernel first splits, so a backend that is not the CPU costs nothing.
  const workers = cpuPossible ? createCpuWorkers({ threads: blasOptions.threads }) : null;
  const native = cpuPossible
    ? loadBlas(workers ? { ...blasOptions, threads: 1 } : blasOptions)
    : null;
  const blas = native && workers ? parallelBlas(native, workers) : native;
  const wasm = cpuPossible && !native ? createWasmGemm() : null;
  const status = blasStatus();
  const { backend, reason } = await createBackend(kind, {
    gemm: blas,
    // The reason line stays short; the notice below carries the loader's details.
    gemmUnavailable: blas ? undefined : status.reason.replace(/ \(tried .*$/, ""),
    wasmGemm: wasm && workers ? parallelWasm(wasm, workers) : wasm,
    precision,
  });
  const onCpu = backend.name === "cpu";
  let why = reason;
  if (backend instanceof CpuBackend && workers) {
    backend.useWorkers(workers);
    why += `; TypeScript kernels on ${workers.threads} threads`;
  } else workers?.close();
  const notice = !onCpu || blas
    ? null
    : wasm
    ? `note: WebAssembly SIMD matmuls (${status.reason}); for the ~3x faster native path: ${blasHint()}`
    : `note: plain TypeScript matmuls (${status.reason}); for the ~50x faster native path: ${blasHint()}`;
  return { backend, reason: why, blas: onCpu ? blas : null, notice };
}
