/**
 * The output folder survives a kill at any point: a child process (output_atomic_child.ts) training
 * a tiny tagger is killed with SIGKILL just before each of its changes to the disk in turn (every
 * file write, append, rename, removal and new folder of the run, the saves of the best model and
 * of the checkpoint included). Each time, `model/` and `checkpoint/` are one whole save of the
 * uninterrupted run (never files of two saves), the next start removes every leftover, and
 * `resume` ends with the uninterrupted run's model, checkpoint, log and transformers files, byte for
 * byte.
 */
import assert from "node:assert/strict";
import { DenoFileSystem } from "../../../src/io/deno/fs.ts";
import { OUTPUT_FILES, recoverOutput, trainTagger } from "../../../src/tagging/train/mod.ts";
import { CHECKPOINT_EVERY, folderHashes, RUN } from "./output_atomic_child.ts";
import { tinySetup } from "../tagger_fixture.ts";

const CHILD = new URL("./output_atomic_child.ts", import.meta.url).pathname;

async function child(out: string, crashAt: number) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, out, String(crashAt)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { ...r, stdout: new TextDecoder().decode(r.stdout) };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Entries named `.…` (temporary) in `dir` and its model and checkpoint folders. */
function leftovers(dir: string): string[] {
  const found: string[] = [];
  for (const d of [dir, `${dir}/model`, `${dir}/checkpoint`]) {
    if (!exists(d)) continue;
    for (const e of Deno.readDirSync(d)) if (e.name.startsWith(".")) found.push(`${d}/${e.name}`);
  }
  return found;
}

/** The transformers files beside model/ (fixed for a run). */
const TOP = ["config.json", "model.safetensors.index.json", "tokenizer.json", "vocab.txt"];

/** Everything a resume must reproduce exactly. */
function finalState(out: string) {
  return {
    model: folderHashes(`${out}/${OUTPUT_FILES.modelDir}`),
    checkpoint: folderHashes(`${out}/${OUTPUT_FILES.checkpointDir}`),
    log: Deno.readTextFileSync(`${out}/${OUTPUT_FILES.log}`),
    top: TOP.map((f) => Deno.readTextFileSync(`${out}/${f}`)),
  };
}

Deno.test("a kill at every point of the run's saves leaves whole folders; resume is exact", async () => {
  const root = await Deno.makeTempDir({ prefix: "jointag_atomic_" });
  const ref = await child(`${root}/ref`, 0);
  assert.equal(ref.code, 0, new TextDecoder().decode(ref.stderr));
  const lines = ref.stdout.trim().split("\n").map((l) => JSON.parse(l));
  const saves = (name: string) =>
    new Set(lines.filter((l) => l.swap === name).map((l) => JSON.stringify(l.files)));
  const models = saves("model");
  const checkpoints = saves("checkpoint");
  assert.ok(models.size >= 2, "the best model is replaced at least once");
  const ops: number = lines.at(-1).ops;
  const expected = finalState(`${root}/ref`);
  const s = tinySetup(40);
  const fs = new DenoFileSystem();
  for (let k = 1; k <= ops; k++) {
    const out = `${root}/k${k}`;
    const r = await child(out, k);
    assert.equal(r.signal, "SIGKILL", `crash point ${k}: the child was not killed`);
    const at = `after a kill before change ${k} of ${ops}`;
    if (exists(`${out}/model`)) {
      assert.ok(models.has(JSON.stringify(folderHashes(`${out}/model`))), `${at}: model/ mixed`);
    }
    if (exists(`${out}/checkpoint`)) {
      const ck = JSON.stringify(folderHashes(`${out}/checkpoint`));
      assert.ok(checkpoints.has(ck), `${at}: checkpoint/ mixed`);
    }
    if (exists(`${out}/config.json`)) {
      assert.ok(exists(`${out}/model`) || exists(`${out}/.model.old`), `${at}: no model`);
    }
    await recoverOutput(fs, out);
    assert.deepEqual(leftovers(out), [], `${at}: leftovers after the next start's clean-up`);
    const model = s.fresh();
    await trainTagger(s.input(model, fs, out), RUN, {
      resume: true,
      checkpointEvery: CHECKPOINT_EVERY,
    });
    model.dispose();
    assert.deepEqual(finalState(out), expected, `${at}: the resumed run differs`);
    await Deno.remove(out, { recursive: true });
  }
  await Deno.remove(root, { recursive: true });
});
