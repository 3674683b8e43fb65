/**
 * `--device auto|webgpu|cpu` → a backend (with the native BLAS GEMM for the CPU when available),
 * set as the current one; returns the lines to print (the choice and, on a CPU without BLAS, how
 * to get the fast path).
 * @module
 */
import type { Backend } from "../src/backend/backend.ts";
import { setBackend } from "../src/core/engine.ts";
import { chooseBackend } from "../src/io/deno/device.ts";
import { ArgumentError } from "./args.ts";

/** Creates and installs the backend; returns it and a `device: …` line (plus a notice line). */
export async function selectDevice(kind: string): Promise<{ backend: Backend; line: string }> {
  if (kind !== "auto" && kind !== "webgpu" && kind !== "cpu") {
    throw new ArgumentError(`--device must be auto, webgpu or cpu, got "${kind}"`);
  }
  const { backend, reason, notice } = await chooseBackend(kind);
  setBackend(backend);
  return { backend, line: `device: ${reason}${notice ? `\n${notice}` : ""}` };
}
