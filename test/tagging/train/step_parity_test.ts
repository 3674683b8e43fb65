/**
 * Step parity of the training loop with transformers + PyTorch (issue 13): from the same initial
 * weights (test/fixtures/tagging/step_parity_init) and with every dropout off, jointag's
 * `trainTagger` and tools/reference_trainer.py (replaying jointag's batches) give the same
 * learning rate, per-task losses and global gradient norm at each of 20 updates — which covers
 * AdamW (bias correction, eps, decoupled decay and its exclusions), the warmup/decay schedule,
 * clipping, the mean of the two losses and the dev pass between epochs. Fixture:
 * tools/step_parity_fixture.py. CPU backend with the TypeScript GEMM and with native BLAS, and
 * WebGPU (its own kernels: matmuls, fused dropout/residual/LayerNorm, AdamW, clipping).
 */
import assert from "node:assert/strict";
import type { Backend } from "../../../src/core/backend.ts";
import { CpuBackend } from "../../../src/backend/cpu/cpu_backend.ts";
import { MemoryFileSystem } from "../../../src/io/file_system.ts";
import { setBackend } from "../../../src/core/engine.ts";
import { DenoFileSystem } from "../../../src/io/deno/fs.ts";
import { encodeSentences } from "../../../src/tagging/data/encode_corpus.ts";
import { loadTaggerFolder } from "../../../src/tagging/model/tagger_folder.ts";
import { OUTPUT_FILES, trainTagger } from "../../../src/tagging/train/mod.ts";
import { noBlas, optionalBlas } from "../../helpers/blas.ts";
import { gpu } from "../../helpers/webgpu.ts";
import { STEP_PARITY } from "./step_parity_setup.ts";
import { tinySetup } from "../tagger_fixture.ts";

interface StepRecord {
  step: number;
  lr: number;
  loss: number;
  tasks: Record<string, number>;
  gradNorm: number;
}

const fixture = JSON.parse(await Deno.readTextFile(STEP_PARITY.fixture)) as {
  options: Record<string, number>;
  steps: StepRecord[];
  batchIndices: number[][];
};
const REGENERATE = "regenerate with python3 tools/step_parity_fixture.py";

/** jointag's step log and batches of the fixture's run on `backend`. */
async function run(backend: Backend) {
  const s = tinySetup(STEP_PARITY.sentences);
  setBackend(backend);
  const t = await loadTaggerFolder(new DenoFileSystem(), STEP_PARITY.initDir);
  const enc = (x: typeof s.train) =>
    encodeSentences(x, t.tokenizer, t.labelMaps, { maxLength: t.meta.maxLength });
  const fs = new MemoryFileSystem();
  try {
    await trainTagger(
      {
        model: t.model,
        tokenizer: t.tokenizer,
        meta: t.meta,
        train: enc(s.train),
        dev: enc(s.dev),
        fs,
        outDir: "out",
      },
      STEP_PARITY.options,
      { stopAfterStep: STEP_PARITY.updates, dumpBatches: "batches.jsonl" },
    );
  } finally {
    t.model.dispose();
  }
  const lines = async (p: string) =>
    (await fs.readTextFile(p)).trim().split("\n").map((l) => JSON.parse(l));
  const steps = (await lines(`out/${OUTPUT_FILES.log}`)).filter((r) => r.type === "step");
  const indices = (await lines("batches.jsonl")).map((b) => b.indices as number[]);
  return { steps: steps as StepRecord[], indices };
}

const blas = optionalBlas();
const backends: Record<string, () => Backend | Promise<Backend>> = {
  "cpu": () => new CpuBackend(),
  "cpu-blas": () => new CpuBackend({ gemm: blas! }),
  "webgpu": gpu,
};
for (const [name, make] of Object.entries(backends)) {
  Deno.test({
    name: `training steps match transformers + PyTorch (${name}, 20 updates, dropout off)`,
    ignore: name === "cpu-blas" && noBlas(blas),
    fn: async () => {
      assert.deepEqual(STEP_PARITY.options, fixture.options, `options changed: ${REGENERATE}`);
      const r = await run(await make());
      assert.deepEqual(r.indices, fixture.batchIndices, `batches changed: ${REGENERATE}`);
      assert.equal(r.steps.length, fixture.steps.length);
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
      r.steps.forEach((got, i) => {
        const want = fixture.steps[i];
        const at = `update ${want.step}`;
        assert.equal(got.step, want.step);
        assert.ok(rel(got.lr, want.lr) <= 1e-9, `${at}: lr ${got.lr} vs ${want.lr}`);
        for (const [task, l] of Object.entries(want.tasks)) {
          const e = rel(got.tasks[task], l);
          assert.ok(e <= 1e-4, `${at}: ${task} loss ${got.tasks[task]} vs ${l} (rel ${e})`);
        }
        assert.ok(rel(got.loss, want.loss) <= 1e-4, `${at}: loss ${got.loss} vs ${want.loss}`);
        const e = rel(got.gradNorm, want.gradNorm);
        assert.ok(e <= 1e-4, `${at}: grad norm ${got.gradNorm} vs ${want.gradNorm} (rel ${e})`);
      });
    },
  });
}
