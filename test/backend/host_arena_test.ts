import assert from "node:assert/strict";
import { blockBytes, HostArena } from "../../src/backend/cpu/host_arena.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import {
  heapMemoryOf,
  WASM_PAGE,
  WasmHeap,
  wasmHeap,
  wasmHeapSupported,
} from "../../src/backend/cpu/wasm_heap.ts";

const heapless = !wasmHeapSupported();

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

Deno.test({
  name: "HostArena on a WebAssembly heap: chunks are regions of one memory, given back by clear",
  ignore: heapless,
  fn() {
    const heap = new WasmHeap(64);
    const arena = new HostArena(false, WASM_PAGE, heap);
    const a = arena.alloc(100), b = arena.alloc(WASM_PAGE - 64);
    assert.ok(arena.onHeap);
    assert.equal(heapMemoryOf(a.buffer), heap.memory);
    assert.equal(a.offset, WASM_PAGE, "the first page is never handed out");
    assert.equal(b.offset, 2 * WASM_PAGE, "a second chunk right after the first");
    assert.equal(arena.reservedBytes, 2 * WASM_PAGE);
    // A grow makes a new buffer object; blocks of the older one are still found by offset.
    const big = arena.alloc(3 * WASM_PAGE);
    assert.notEqual(big.buffer, a.buffer);
    assert.equal(heapMemoryOf(big.buffer), heap.memory);
    arena.free(a.buffer, a.offset, 100);
    arena.free(big.buffer, big.offset, 3 * WASM_PAGE);
    assert.equal(arena.usedBytes, blockBytes(WASM_PAGE - 64));
    const again = arena.alloc(64);
    assert.equal(again.offset, WASM_PAGE, "freed blocks are reused");
    arena.free(again.buffer, again.offset, 64);
    // b is still in use at clear: its page is kept out of reuse; the others go back.
    const pages = heap.bytes / WASM_PAGE;
    arena.clear();
    assert.equal(heap.freeBytes, (1 + 4) * WASM_PAGE);
    const next = new HostArena(true, WASM_PAGE, heap);
    const c = next.alloc(64), d = next.alloc(4 * WASM_PAGE - 64);
    assert.deepEqual([c.offset, d.offset], [WASM_PAGE, 3 * WASM_PAGE], "reused, b's page skipped");
    assert.equal(heap.bytes / WASM_PAGE, pages, "reuse did not grow the memory");
    // A stale free (a block of the cleared arena) is ignored by the new one.
    next.free(b.buffer, b.offset, WASM_PAGE - 64);
    assert.equal(next.usedBytes, blockBytes(64) + blockBytes(4 * WASM_PAGE - 64));
  },
});

Deno.test({
  name: "HostArena: ordinary buffers once the WebAssembly heap cannot grow, its chunks still first",
  ignore: heapless,
  fn() {
    const heap = new WasmHeap(3); // the reserved page and two more
    const arena = new HostArena(true, WASM_PAGE, heap);
    const a = arena.alloc(WASM_PAGE), b = arena.alloc(WASM_PAGE);
    assert.ok(heapMemoryOf(a.buffer) && heapMemoryOf(b.buffer));
    const c = arena.alloc(64);
    assert.ok(c.buffer instanceof SharedArrayBuffer && !heapMemoryOf(c.buffer), "fallback, shared");
    assert.equal(c.buffer.byteLength, WASM_PAGE);
    arena.free(c.buffer, c.offset, 64);
    arena.free(a.buffer, a.offset, WASM_PAGE);
    const d = arena.alloc(128);
    assert.equal(d.offset, a.offset, "the heap chunk first");
    const plain = new HostArena(false, WASM_PAGE, heap);
    assert.ok(plain.alloc(64).buffer instanceof ArrayBuffer, "unshared fallback");
  },
});

Deno.test({
  name: "CPU backend: float32 tensors on the process heap, float64 and opted-out ones not",
  ignore: heapless,
  fn() {
    const f32 = new CpuBackend(), f64 = new CpuBackend({ precision: "f64" });
    const off = new CpuBackend({ wasmHeap: false });
    const before = wasmHeap()!.bytes;
    const x = f32.alloc("f32", 1000) as Float32Array;
    assert.equal(heapMemoryOf(x.buffer), wasmHeap()!.memory);
    assert.ok(f32.onWasmHeap);
    assert.equal(heapMemoryOf((f64.alloc("f32", 10) as Float64Array).buffer), undefined);
    assert.equal(heapMemoryOf((off.alloc("f32", 10) as Float32Array).buffer), undefined);
    f32.free(x);
    f32.dispose();
    // The disposed backend's chunk serves the next one: the memory does not grow.
    const next = new CpuBackend();
    const y = next.alloc("f32", 1000) as Float32Array;
    assert.equal(heapMemoryOf(y.buffer), wasmHeap()!.memory);
    assert.equal(y.byteOffset, x.byteOffset, "the same region again");
    assert.equal(wasmHeap()!.bytes, before + (before === WASM_PAGE ? 64 * 2 ** 20 : 0));
    for (const b of [next, f64, off]) b.dispose();
  },
});

Deno.test({
  name: "CPU backends disposed with tensors still live: the heap keeps only those pages",
  ignore: heapless,
  fn() {
    const heap = wasmHeap()!;
    new CpuBackend().dispose(); // the process heap has a chunk's worth of pages by now
    const before = heap.bytes;
    for (let i = 0; i < 200; i++) {
      const b = new CpuBackend();
      b.alloc("f32", 1000 + i); // never freed
      b.dispose();
    }
    // 200 pages kept for the 200 live tensors; the rest of every chunk was reused.
    assert.ok(heap.bytes <= before + 64 * 2 ** 20, `${heap.bytes - before} bytes more`);
  },
});
