/**
 * `--device auto|webgpu|cpu` and `--precision f32|f16` → a backend (with the native BLAS GEMM for the CPU when available),
 * set as the current one; returns the lines to print (the choice and, on a CPU without BLAS, how
 * to get the fast path).
 * @module
 */
import type { Backend } from "../src/backend/backend.ts";
import { setBackend } from "../src/core/engine.ts";
import { chooseBackend } from "../src/io/deno/device.ts";
import { ArgumentError, type FlagSpec } from "./args.ts";

/** The device flags shared by `train`, `evaluate`, `predict` and `compare`. */
export const DEVICE_FLAGS: Record<string, FlagSpec> = {
  device: { type: "string", value: "auto|webgpu|cpu", help: "where to compute", default: "auto" },
  precision: {
    type: "string",
    value: "f32|f16",
    help: "matmul arithmetic; f16 = f16 products with f32 sums (WebGPU with shader-f16 only)",
    default: "f32",
  },
};

/**
 * Creates and installs the backend from the parsed `DEVICE_FLAGS` (`--device`, `--precision`);
 * returns it and a `device: …` line (plus a notice line).
 */
export async function selectDevice(
  flags: Record<string, unknown>,
): Promise<{ backend: Backend; line: string }> {
  const kind = (flags.device as string | undefined) ?? "auto";
  const precision = (flags.precision as string | undefined) ?? "f32";
  if (kind !== "auto" && kind !== "webgpu" && kind !== "cpu") {
    throw new ArgumentError(`--device must be auto, webgpu or cpu, got "${kind}"`);
  }
  if (precision !== "f32" && precision !== "f16") {
    throw new ArgumentError(`--precision must be f32 or f16, got "${precision}"`);
  }
  if (precision === "f16" && kind === "cpu") {
    throw new ArgumentError("--precision f16 is a WebGPU option; the CPU backend computes in f32");
  }
  const { backend, reason, notice } = await chooseBackend(kind, {}, precision);
  setBackend(backend);
  return { backend, line: `device: ${reason}${notice ? `\n${notice}` : ""}` };
}
