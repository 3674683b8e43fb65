/**
 * Resumable training: 4 updates straight and 2 updates + a checkpoint + a fresh process-like resume
 * + 2 updates give bit-identical weights (data order, dropout masks, AdamW moments and the schedule
 * all continue). A NaN/Inf loss stops training with a clear error and the last checkpoint intact.
 */
import assert from "node:assert/strict";
import { MemoryFileSystem } from "../../../src/io/file_system.ts";
import { setSeed } from "../../../src/core/random.ts";
import { loadTrainingCheckpoint } from "../../../src/tagging/train/checkpoint_state.ts";
import { OUTPUT_FILES, trainTagger } from "../../../src/tagging/train/mod.ts";
import { NonFiniteLossError } from "../../../src/tagging/train/errors.ts";
import { tinySetup } from "../tagger_fixture.ts";

const s = tinySetup(10);
const options = { epochs: 2, batchSize: 4, lr: 1e-2, seed: 9 }; // 8 train sentences: 2 updates/epoch

async function run(
  fs: MemoryFileSystem,
  control: { resume?: boolean; stopAfterStep?: number },
  initSeed = 5,
) {
  const model = s.fresh(initSeed);
  // A resumed run must not depend on the generator state the caller happens to leave behind.
  if (control.resume) setSeed(12345);
  const r = await trainTagger(
    s.input(model, fs, "o"),
    options,
    control,
  );
  const state = await model.stateDict();
  model.dispose();
  return { r, state };
}

Deno.test("resume: 2 + 2 updates equal 4 straight, bit for bit", async () => {
  const straightFs = new MemoryFileSystem();
  const straight = await run(straightFs, {});
  assert.equal(straight.r.steps, 4);
  const fs = new MemoryFileSystem();
  const first = await run(fs, { stopAfterStep: 3 });
  assert.equal(first.r.completed, false);
  assert.equal(first.r.steps, 3);
  const ck = await loadTrainingCheckpoint(fs, `o/${OUTPUT_FILES.checkpoint}`);
  assert.equal(ck!.state.step, 3);
  assert.equal(ck!.state.epoch, 1);
  assert.equal(ck!.optimizer.step, 3);
  // Different init seed: every weight must come from the checkpoint.
  const resumed = await run(fs, { resume: true }, 77);
  assert.equal(resumed.r.completed, true);
  assert.equal(resumed.r.steps, 4);
  assert.deepEqual([...resumed.state.keys()], [...straight.state.keys()]);
  for (const [name, t] of straight.state) {
    assert.deepEqual(resumed.state.get(name)!.data, t.data, name);
  }
  assert.deepEqual(
    resumed.r.history.map((h) => h.devScore),
    straight.r.history.map((h) => h.devScore),
  );
  // The log of the interrupted + resumed run holds every step once, with the same losses.
  const logOf = async (f: MemoryFileSystem) =>
    (await f.readTextFile(`o/${OUTPUT_FILES.log}`)).trim().split("\n").map((l) => JSON.parse(l))
      .filter((e) => e.type === "step").map((e) => e.loss);
  assert.deepEqual(await logOf(fs), await logOf(straightFs));
});

Deno.test("a non-finite loss stops training and keeps the last good checkpoint", async () => {
  const fs = new MemoryFileSystem();
  const model = s.fresh();
  let err: unknown;
  try {
    await trainTagger(
      s.input(model, fs, "n"),
      { epochs: 20, batchSize: 4, lr: 1e30, warmupFraction: 0, seed: 1 },
      { checkpointEvery: 1 },
    );
  } catch (e) {
    err = e;
  }
  model.dispose();
  assert.ok(err instanceof NonFiniteLossError, String(err));
  assert.match(err.message, /loss became (NaN|Infinity|-Infinity) at step \d+/);
  assert.match(err.message, /n\/checkpoint\/training_state\.safetensors/);
  const ck = await loadTrainingCheckpoint(fs, `n/${OUTPUT_FILES.checkpoint}`);
  assert.equal(ck!.state.step, err.step - 1);
  assert.ok(!(await fs.exists(`n/${OUTPUT_FILES.metrics}`)));
});
