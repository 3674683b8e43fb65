/**
 * The generated modules under src/generated/ (WGSL shaders and WebAssembly bytes as TypeScript)
 * are what tools/build_assets.ts writes from shaders/*.wgsl and wasm/*.wasm, and hold the same
 * text and bytes.
 * @module
 */
import assert from "node:assert/strict";
import { assetName, staleAssets } from "../../tools/build_assets.ts";
import * as shaders from "../../src/generated/shaders.ts";
import * as wasm from "../../src/generated/wasm.ts";

Deno.test("src/generated/*.ts equal a regeneration (deno task build:assets)", async () => {
  assert.deepEqual(await staleAssets(), [], "stale: run deno task build:assets and commit");
});

Deno.test("every shader and .wasm is exported with its exact contents", async () => {
  const exported: Record<string, unknown> = { ...shaders, ...wasm };
  for (const [dir, ext] of [["shaders", ".wgsl"], ["wasm", ".wasm"]]) {
    for await (const e of Deno.readDir(new URL(`../../${dir}/`, import.meta.url))) {
      if (!e.name.endsWith(ext)) continue;
      const file = new URL(`../../${dir}/${e.name}`, import.meta.url);
      const want = ext === ".wgsl" ? await Deno.readTextFile(file) : await Deno.readFile(file);
      assert.deepEqual(exported[assetName(e.name)], want, `${dir}/${e.name}`);
    }
  }
});
