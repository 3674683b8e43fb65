/**
 * DenoFileSystem's atomic writes from byte parts (how a training checkpoint is written without
 * assembling it in memory).
 * @module
 */
import assert from "node:assert/strict";
import { DenoFileSystem } from "../../../src/io/deno/fs.ts";
import { concatBytes, MemoryFileSystem } from "../../../src/io/file_system.ts";
import { safetensorsParts, writeSafetensors } from "../../../src/bert/safetensors.ts";

const weights = new Map([
  ["b", { dtype: "f32" as const, shape: [3], data: Float32Array.of(1, 2, 3) }],
  ["a", { dtype: "f32" as const, shape: [2, 2], data: new Float32Array(4).fill(0.5) }],
]);

Deno.test("safetensorsParts: the parts make writeSafetensors' bytes; tensors are views", () => {
  const parts = safetensorsParts(weights, { note: "x" });
  assert.deepEqual(concatBytes(parts), writeSafetensors(weights, { note: "x" }));
  assert.equal(parts.length, 3);
  assert.equal(parts[1].buffer, weights.get("a")!.data.buffer);
});

Deno.test("DenoFileSystem.writeFileAtomic: parts (shared memory too) land as one file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shared = new Uint8Array(new SharedArrayBuffer(5));
    shared.set([5, 6, 7, 8, 9]);
    const parts = [Uint8Array.of(1, 2), new Uint8Array(0), shared.subarray(1, 4)];
    const fs = new DenoFileSystem();
    await fs.writeFileAtomic(`${dir}/f.bin`, parts);
    assert.deepEqual(await Deno.readFile(`${dir}/f.bin`), Uint8Array.of(1, 2, 6, 7, 8));
    assert.deepEqual(await fs.readDir(dir), ["f.bin"]);
    const memory = new MemoryFileSystem();
    await memory.writeFileAtomic("f.bin", parts);
    assert.deepEqual(await memory.readFile("f.bin"), Uint8Array.of(1, 2, 6, 7, 8));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DenoFileSystem.writeFileAtomic: a failed write of parts leaves nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fs = new DenoFileSystem();
    await assert.rejects(fs.writeFileAtomic(`${dir}/missing/f.bin`, [Uint8Array.of(1)]));
    // A target that is a folder: the temporary file is written, the rename fails.
    await Deno.mkdir(`${dir}/target`);
    await assert.rejects(fs.writeFileAtomic(`${dir}/target`, [Uint8Array.of(1)]));
    assert.deepEqual(await fs.readDir(dir), ["target"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
