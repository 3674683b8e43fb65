import { evaluationMemory } from "../../../bench/eval_memory.ts";
import { chooseBackend } from "../../../src/io/deno/device.ts";
import assert from "node:assert/strict";

const MIB = 2 ** 20;

Deno.test({
  name:
    "pooled CPU backend: resident memory after evaluating 2,000 sentences stays within 128 MiB " +
    "of the value after 200",
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
      const grew = (last.rssBytes - at200.rssBytes) / MIB;
      assert.ok(
        grew < 128,
        `resident memory grew by ${grew.toFixed(0)} MiB from ${at200.sentences} to ` +
          `${last.sentences} sentences`,
      );
    } finally {
      backend.dispose();
    }
  },
});
