/**
 * `--device auto|webgpu|cpu` → a backend (with the native BLAS GEMM for the CPU when available),
 * set as the current one; returns the line to print.
 * @module
 */
import { createBackend, type DeviceKind } from "../src/backend/select.ts";
import { setBackend } from "../src/core/engine.ts";
import { blasStatus, loadBlas } from "../src/io/deno/blas.ts";
import type { Backend } from "../src/backend/backend.ts";
import { ArgumentError } from "./args.ts";

/** Creates and installs the backend; returns it and a `device: …` line. */
export async function selectDevice(kind: string): Promise<{ backend: Backend; line: string }> {
  if (kind !== "auto" && kind !== "webgpu" && kind !== "cpu") {
    throw new ArgumentError(`--device must be auto, webgpu or cpu, got "${kind}"`);
  }
  const gemm = kind === "webgpu" ? null : loadBlas();
  const { backend, reason } = await createBackend(kind as DeviceKind, {
    gemm,
    gemmUnavailable: gemm ? undefined : blasStatus().reason,
  });
  setBackend(backend);
  return { backend, line: `device: ${reason}` };
}
