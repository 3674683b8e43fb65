/**
 * Device choice for Deno programs (CLI, bench): loads the native BLAS when it can (FFI), then lets
 * `createBackend` pick the device, and says in one line when the CPU runs without the fast path.
 * @module
 */
import type { Backend } from "../../backend/backend.ts";
import { createBackend, type DeviceKind } from "../../backend/select.ts";
import { type BlasGemm, type BlasOptions, blasStatus, loadBlas } from "./blas.ts";

/** What {@link chooseBackend} picked. */
export interface DeviceChoice {
  backend: Backend;
  /** Why this device (one line, for start-up output). */
  reason: string;
  /** The native GEMM in use by a CPU backend, or null. */
  blas: BlasGemm | null;
  /**
   * One line for the user when the CPU backend runs the plain TypeScript GEMM because no BLAS
   * could be loaded, saying how to get the fast path; null otherwise.
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
 * Loads BLAS (unless `kind` is "webgpu"), creates the backend of `kind` and returns it with the
 * reason and, when the CPU backend ends up without BLAS, a one-line notice.
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
  const blas = kind === "webgpu" || precision === "f16" ? null : loadBlas(blasOptions);
  const status = blasStatus();
  const { backend, reason } = await createBackend(kind, {
    gemm: blas,
    gemmUnavailable: blas ? undefined : status.reason,
    precision,
  });
  const onCpu = backend.name === "cpu";
  const notice = onCpu && !blas
    ? `note: plain TypeScript matmuls (${status.reason}); for the ~50x faster native path: ${blasHint()}`
    : null;
  return { backend, reason, blas: onCpu ? blas : null, notice };
}
