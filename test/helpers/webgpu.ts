/**
 * The shared WebGPU backend of the test suite (one device for all tests: creating devices is slow
 * on the software adapter). Tests fail, not skip, when WebGPU is missing: CI must run it for real.
 * @module
 */
import { WebGPUBackend } from "../../src/backend/webgpu/webgpu_backend.ts";

let instance: Promise<WebGPUBackend> | null = null;

/** The test WebGPU backend. */
export function gpu(): Promise<WebGPUBackend> {
  instance ??= WebGPUBackend.create().then((b) => {
    if (!b) {
      throw new Error("WebGPU is not available: run with --unstable-webgpu (deno.json enables it)");
    }
    return b;
  });
  return instance;
}

/** Whether the WebGPU adapter has shader-f16 (lavapipe and SwiftShader do; Mesa's GL one not). */
export async function adapterHasF16(): Promise<boolean> {
  const adapter = await navigator.gpu?.requestAdapter();
  return adapter?.features.has("shader-f16") ?? false;
}
