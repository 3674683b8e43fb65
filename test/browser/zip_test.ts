import assert from "node:assert/strict";
import { crc32, zipStore } from "../../examples/browser/zip.ts";
import { ZipArchive } from "../../src/bert/torch_zip.ts";
import { findDenoApi } from "../../tools/build_web.ts";

Deno.test("zip: CRC-32 check value and a round trip through the project's reader", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  const files = {
    "config.json": new TextEncoder().encode('{"a": 1}'),
    "model.safetensors": Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 255),
    "empty.txt": new Uint8Array(0),
  };
  const zip = new ZipArchive(zipStore(files, "model"), "model.zip");
  assert.deepEqual([...zip.entries.keys()], Object.keys(files).map((n) => `model/${n}`));
  for (const [n, b] of Object.entries(files)) assert.deepEqual(zip.read(`model/${n}`), b);
});

Deno.test("build_web: Deno API uses in a bundle are found", () => {
  assert.deepEqual(findDenoApi("const x = Deno.readFile(p); globalThis.Deno; Deno [0]"), [
    "Deno.readFile",
    "globalThis.Deno",
    "Deno[",
  ]);
  assert.deepEqual(findDenoApi("const denoise = 1; // Denote"), []);
});
