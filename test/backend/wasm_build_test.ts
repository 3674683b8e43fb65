/**
 * The committed WebAssembly kernels (wasm/*.wasm) are what their AssemblyScript sources compile
 * to: a rebuild with the pinned compiler (tools/build_wasm.ts) reproduces them byte for byte.
 * @module
 */
import assert from "node:assert/strict";
import { staleWasm } from "../../tools/build_wasm.ts";

Deno.test("wasm/*.wasm equal a rebuild of their sources (deno task build:wasm)", async () => {
  assert.deepEqual(await staleWasm(), [], "stale .wasm: run deno task build:wasm and commit");
});
