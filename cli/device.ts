/**
 * `--device auto|webgpu|cpu` and `--precision f32|f16` → a backend (with the native BLAS GEMM for the CPU when available),
 * set as the current one; returns the lines to print (the choice and, on a CPU without BLAS, how
 * to get the fast path).
 * @module
 */
import { type Backend, setBackend } from "../mod.ts";
import { chooseBackend } from "../deno.ts";
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
  const { backend, reason, notice } = await quietProbe(
    kind === "auto",
    () => chooseBackend(kind, {}, precision),
  );
  setBackend(backend);
  return { backend, line: `device: ${reason}${notice ? `\n${notice}` : ""}` };
}

/**
 * Runs the device probe of `--device auto` without the GPU driver's start-up noise: with no valid
 * XDG_RUNTIME_DIR, Mesa's Vulkan loader prints "error: XDG_RUNTIME_DIR is invalid or not set" (its
 * Wayland probe) to the terminal even when the CPU is then chosen. An empty private folder for the
 * probe's duration silences it; `--device webgpu` keeps the driver's own messages.
 */
async function quietProbe<T>(quiet: boolean, probe: () => Promise<T>): Promise<T> {
  if (!quiet || Deno.build.os !== "linux" || (await validRuntimeDir())) return await probe();
  let dir: string;
  try {
    dir = await Deno.makeTempDir({ prefix: "jointag-xdg-" });
    await Deno.chmod(dir, 0o700);
    Deno.env.set("XDG_RUNTIME_DIR", dir);
  } catch {
    return await probe(); // no permission: the noise is harmless
  }
  try {
    return await probe();
  } finally {
    Deno.env.delete("XDG_RUNTIME_DIR");
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

async function validRuntimeDir(): Promise<boolean> {
  try {
    const dir = Deno.env.get("XDG_RUNTIME_DIR");
    return dir !== undefined && dir !== "" && (await Deno.stat(dir)).isDirectory;
  } catch {
    return false;
  }
}
