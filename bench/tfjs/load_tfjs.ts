/**
 * Loads the dev-only TF.js 4.22 bundle (bench/tfjs/build_train.sh → dist/tfjs/tfjs_webgpu_train.mjs) into Deno
 * and selects its WebGPU backend. Deno would load tfjs-core's CommonJS build (no gradients, no
 * chained ops), hence the ES-module bundle; `process` is hidden while it initialises, or TF.js
 * takes Deno for Node; a minimal platform replaces the browser one.
 * @module
 */

// deno-lint-ignore no-explicit-any
export type Tf = any;

/** Path of the bundle build.sh writes. */
export const TFJS_BUNDLE = new URL("../../dist/tfjs/tfjs_webgpu_train.mjs", import.meta.url);

let loaded: Promise<Tf | null> | null = null;

/** Thrown when the bundle exists but TF.js cannot start its WebGPU backend. */
export class TfjsLoadError extends Error {
  constructor(message: string) {
    super(`TF.js (${TFJS_BUNDLE.pathname}): ${message}`);
    this.name = "TfjsLoadError";
  }
}

/** The TF.js module with the WebGPU backend active, or null (with a reason) when not built. */
export function loadTfjs(): Promise<{ tf: Tf | null; reason: string }> {
  loaded ??= load();
  return loaded.then((tf) => ({
    tf,
    reason: tf
      ? `TF.js ${tf.version_core} webgpu`
      : `TF.js bundle missing (${TFJS_BUNDLE.pathname}): run bench/tfjs/build_train.sh`,
  }));
}

async function load(): Promise<Tf | null> {
  try {
    await Deno.stat(TFJS_BUNDLE);
  } catch {
    return null;
  }
  return await importTfjsBundle(TFJS_BUNDLE);
}

/**
 * Imports a TF.js ES-module bundle (bench/tfjs/build.sh or build_train.sh output) with `process`
 * hidden, installs a minimal Deno platform and selects the WebGPU backend.
 */
export async function importTfjsBundle(url: URL): Promise<Tf> {
  const g = globalThis as Record<string, unknown>;
  const savedProcess = g.process;
  delete g.process;
  let tf: Tf;
  try {
    tf = await import(url.href);
  } finally {
    if (savedProcess !== undefined) g.process = savedProcess;
  }
  tf.setPlatform("deno", {
    fetch: (path: string, init?: RequestInit) => fetch(path, init),
    now: () => performance.now(),
    encode: (text: string) => new TextEncoder().encode(text),
    decode: (bytes: Uint8Array, encoding: string) => new TextDecoder(encoding).decode(bytes),
    isTypedArray: (a: unknown) => ArrayBuffer.isView(a) && !(a instanceof DataView),
    setTimeoutCustom: (f: () => void, delay: number) => setTimeout(f, delay),
  });
  if (!(await tf.setBackend("webgpu"))) {
    throw new TfjsLoadError("the webgpu backend failed to initialise");
  }
  return tf;
}
