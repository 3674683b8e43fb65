import { evaluationMemory } from "../../../bench/eval_memory.ts";
import { chooseBackend } from "../../../src/io/deno/device.ts";
import assert from "node:assert/strict";

const MIB = 2 ** 20;

Deno.test({
  name:
    "pooled CPU backend: resident memory outside the JS heap after evaluating 2,000 sentences " +
    "stays within 256 MiB of the value after 200",
  // The worker pool's timers and the BLAS stay alive between tests by design.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { backend, reason } = await chooseBackend("cpu", { threads: 2 });
    try {
      assert.ok(reason.includes("2 threads"), `expected the worker pool, got: ${reason}`);
      const size = { hidden: 128, layers: 2, heads: 2, intermediate: 512 };
      const records = await evaluationMemory(backend, size, 2000);
      const at200 = records.find((r) => r.sentences >= 200)!;
      const last = records[records.length - 1];
      // Outside the JS heap, where the old leak was (a SharedArrayBuffer per tensor: 1.2 GB over
      // this test). Alone this test measures 45–60 MiB here, still settling (+60 MiB over 8,000
      // sentences); inside a loaded suite a run measured 203 MiB of resident growth, so the bound
      // is 256 MiB: five times below the leak it guards against.
      const native = (r: typeof last) => r.rssBytes - r.heapTotalBytes;
      const grew = (native(last) - native(at200)) / MIB;
      const heap = (last.heapTotalBytes - at200.heapTotalBytes) / MIB;
      assert.ok(
        grew < 256,
        `resident memory outside the JS heap grew by ${grew.toFixed(0)} MiB from ` +
          `${at200.sentences} to ${last.sentences} sentences (the JS heap by ${heap.toFixed(0)})`,
      );
    } finally {
      backend.dispose();
    }
  },
});
