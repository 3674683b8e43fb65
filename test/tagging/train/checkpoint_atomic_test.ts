/**
 * Checkpoints are written atomically: a process killed in the middle of writing a new checkpoint
 * leaves the previous one whole (the partial data is only in a temp file), and a failed save during
 * training leaves the previous training checkpoint loadable.
 */
import assert from "node:assert/strict";
import { type FileData, MemoryFileSystem } from "../../../src/io/file_system.ts";
import { loadTrainingCheckpoint } from "../../../src/tagging/train/checkpoint_state.ts";
import { OUTPUT_FILES, trainTagger } from "../../../src/tagging/train/mod.ts";
import { tinySetup } from "../tagger_fixture.ts";

Deno.test("a crash mid-write leaves the old file", async () => {
  const dir = await Deno.makeTempDir();
  const target = `${dir}/training_state.safetensors`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      new URL("./atomic_write_child.ts", import.meta.url).pathname,
      target,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("midwrite")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  assert.ok(out.includes("midwrite"), `child did not reach the write: ${out}`);
  child.kill("SIGKILL");
  await child.status;
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal(await Deno.readTextFile(target), "old checkpoint\n");
  const temps = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".tmp"));
  assert.equal(temps.length, 1, "the interrupted write went to a temp file");
  assert.ok(Deno.statSync(`${dir}/${temps[0]}`).size > 0);
  await Deno.remove(dir, { recursive: true });
});

/** A file system that fails while writing the n-th training checkpoint. */
class FailingFs extends MemoryFileSystem {
  saves = 0;
  constructor(readonly failAt: number) {
    super();
  }
  override writeFileAtomic(path: string, data: FileData): Promise<void> {
    if (path.endsWith("training_state.safetensors") && ++this.saves === this.failAt) {
      return Promise.reject(new Error("disk full"));
    }
    return super.writeFileAtomic(path, data);
  }
}

Deno.test("a failed checkpoint save keeps the previous checkpoint loadable", async () => {
  const s = tinySetup(10);
  const fs = new FailingFs(3);
  const model = s.fresh();
  await assert.rejects(
    trainTagger(
      s.input(model, fs, "o"),
      { epochs: 3, batchSize: 4, lr: 1e-2 },
      { checkpointEvery: 1 },
    ),
    /disk full/,
  );
  model.dispose();
  const ck = await loadTrainingCheckpoint(fs, `o/${OUTPUT_FILES.checkpoint}`);
  assert.equal(ck!.state.step, 2);
  assert.equal(ck!.optimizer.step, 2);
  const probe = s.fresh();
  assert.equal(ck!.model.size, probe.namedParameters().length);
  probe.dispose();
});
