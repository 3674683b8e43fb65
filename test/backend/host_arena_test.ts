import assert from "node:assert/strict";
import { blockBytes, HostArena } from "../../src/backend/cpu/host_arena.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";

Deno.test("HostArena: first fit, freed neighbours merge, a chunk is reused for any size", () => {
  const arena = new HostArena(false, 1024);
  const a = arena.alloc(100), b = arena.alloc(200), c = arena.alloc(300);
  assert.equal(arena.reservedBytes, 1024);
  assert.deepEqual([a.offset, b.offset, c.offset], [0, 128, 384]);
  assert.equal(arena.usedBytes, blockBytes(100) + blockBytes(200) + blockBytes(300));
  arena.free(a.buffer, a.offset, 100);
  arena.free(b.buffer, b.offset, 200);
  // The two freed blocks merged: 384 bytes fit where 128 + 256 were.
  const d = arena.alloc(384);
  assert.equal(d.offset, 0);
  arena.free(c.buffer, c.offset, 300);
  arena.free(d.buffer, d.offset, 384);
  assert.equal(arena.usedBytes, 0);
  // Whole chunk free again: one block of all of it, no new chunk.
  const e = arena.alloc(1024);
  assert.equal(e.offset, 0);
  assert.equal(arena.reservedBytes, 1024);
});

Deno.test("HostArena: a request larger than a chunk gets a power-of-two chunk of its own", () => {
  const arena = new HostArena(true, 1024);
  const big = arena.alloc(3000);
  assert.ok(big.buffer instanceof SharedArrayBuffer);
  assert.equal(big.buffer.byteLength, 4096);
  const small = arena.alloc(64);
  assert.equal(small.buffer, big.buffer, "the rest of the big chunk serves small blocks");
});

Deno.test("HostArena: chunks of the old kind are dropped once free after setShared", () => {
  const arena = new HostArena(false, 1024);
  const a = arena.alloc(64);
  arena.setShared(true);
  const b = arena.alloc(64);
  assert.ok(b.buffer instanceof SharedArrayBuffer);
  assert.equal(arena.reservedBytes, 2048);
  arena.free(a.buffer, a.offset, 64);
  assert.equal(arena.reservedBytes, 1024);
});

Deno.test("CPU backend: batches of ever new shapes reuse the same storage", () => {
  const backend = new CpuBackend();
  for (let t = 8; t <= 128; t += 3) {
    const hs = [t * 4096, t * t * 64, t * 1024].map((n) => backend.alloc("f32", n, true));
    for (const h of hs) backend.free(h);
  }
  const { liveBytes, pooledBytes } = backend.memory();
  assert.equal(liveBytes, 0);
  // One chunk (64 MiB) holds the largest batch (2.5 MiB): nothing else was made.
  assert.equal(pooledBytes, 64 * 2 ** 20);
  backend.dispose();
});
