/**
 * The two-head tagger's gradient with every dropout on (embeddings, attention probabilities, both
 * sublayer outputs, both heads), against central differences in float64.
 *
 * Step parity (test/tagging/train/step_parity_test.ts) compares training with transformers with
 * dropout off, since the two libraries draw different masks; this closes the gap for dropout on:
 * with the library-wide generator restored before every forward pass each pass draws the same
 * masks, so the loss is a smooth function of the weights and its finite differences must equal the
 * backward pass — including the masks' reuse in the backward (the fused residual layer norm
 * regenerates its mask from the seed, the CPU kernel caches it).
 * @module
 */
import assert from "node:assert/strict";
import type { Backend } from "../../../src/core/backend.ts";
import { CpuBackend } from "../../../src/backend/cpu/cpu_backend.ts";
import { createWasmGemm } from "../../../src/backend/cpu/wasm_gemm.ts";
import { createCpuWorkers } from "../../../src/io/deno/cpu_workers.ts";
import { noGrad, setBackend, tidy } from "../../../src/core/engine.ts";
import { globalRandom, Random, setSeed } from "../../../src/core/random.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import { tensor } from "../../../src/ops/mod.ts";
import { BertConfig } from "../../../src/bert/config.ts";
import { MultiTaskTagger } from "../../../src/tagging/model/multitask_tagger.ts";
import { noBlas, optionalBlas } from "../../helpers/blas.ts";
import { centralDifference } from "../../helpers/grad_check.ts";
import { gpu } from "../../helpers/webgpu.ts";

const IGNORE = -100;

function setup(backend: Backend = new CpuBackend({ precision: "f64" })) {
  setBackend(backend);
  const config = new BertConfig({
    vocabSize: 13,
    hiddenSize: 8,
    numHiddenLayers: 2,
    numAttentionHeads: 2,
    intermediateSize: 16,
    maxPositionEmbeddings: 8,
    // Large rates, so that every site drops elements in a batch this small.
    hiddenDropoutProb: 0.3,
    attentionProbsDropoutProb: 0.3,
  });
  setSeed(7);
  const tagger = new MultiTaskTagger(config, [
    { name: "ner", numLabels: 5 },
    { name: "pos", numLabels: 4 },
  ], { headDropout: 0.3 });
  tagger.train();
  const i32 = (v: number[]) => tensor(Int32Array.from(v), [2, 5]);
  const inputs = {
    inputIds: i32([2, 5, 7, 11, 3, 2, 9, 3, 0, 0]),
    attentionMask: i32([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
  };
  const labels = {
    ner: i32([IGNORE, 1, 0, 4, IGNORE, IGNORE, 2, IGNORE, IGNORE, IGNORE]),
    pos: i32([IGNORE, 3, 1, 2, IGNORE, IGNORE, 0, IGNORE, IGNORE, IGNORE]),
  };
  return { tagger, inputs, labels };
}

Deno.test("two-head tagger: gradient with all dropout on equals central differences (f64)", () => {
  const { tagger, inputs, labels } = setup();
  const masks = new Random(2024).getState();
  const lossValue = (): number =>
    noGrad(() =>
      tidy(() => {
        globalRandom.setState(masks);
        return (tagger.loss(inputs, labels).loss.handle as Float64Array)[0];
      })
    );
  globalRandom.setState(masks);
  const loss = tagger.loss(inputs, labels).loss;
  loss.backward();
  loss.dispose();
  // The masks matter: the same weights without dropout give another loss.
  const withDropout = lossValue();
  tagger.eval();
  const without = noGrad(() =>
    tidy(() => (tagger.loss(inputs, labels).loss.handle as Float64Array)[0])
  );
  tagger.train();
  assert.ok(Math.abs(withDropout - without) > 1e-4, `${withDropout} vs ${without}`);

  const pick = new Random(11);
  const h = 1e-6;
  let checked = 0;
  for (const [name, p] of tagger.namedParameters()) {
    const data = p.handle as Float64Array;
    const grad = (p.grad as Tensor).handle as Float64Array;
    const scale = Math.max(1e-3, ...Array.from(grad, Math.abs));
    // Every element of small tensors, a sample of the word embeddings' and the FFN's.
    const elements = data.length <= 64
      ? Array.from({ length: data.length }, (_, i) => i)
      : Array.from({ length: 24 }, () => pick.nextInt(data.length));
    for (const i of elements) {
      const numeric = centralDifference(data, i, lossValue, h);
      const err = Math.abs(numeric - grad[i]) / scale;
      assert.ok(err < 1e-6, `${name}[${i}]: analytic ${grad[i]}, numeric ${numeric}`);
      checked++;
    }
  }
  assert.ok(checked > 300, `checked ${checked} elements`);
  tagger.dispose();
});

/** Every parameter's gradient of one dropout-on step on `backend`, by name. */
async function gradients(backend: Backend): Promise<Map<string, Float64Array>> {
  const { tagger, inputs, labels } = setup(backend);
  globalRandom.setState(new Random(2024).getState());
  const loss = tagger.loss(inputs, labels).loss;
  loss.backward();
  loss.dispose();
  const out = new Map<string, Float64Array>();
  for (const [name, p] of tagger.namedParameters()) {
    out.set(name, Float64Array.from(await (p.grad as Tensor).data() as ArrayLike<number>));
  }
  tagger.dispose();
  return out;
}

const blas = optionalBlas();
const float32Backends: Record<string, () => Backend | Promise<Backend>> = {
  "cpu": () => new CpuBackend(),
  "cpu-wasm, 2 threads": () =>
    new CpuBackend({
      gemm: createWasmGemm() ?? undefined,
      workers: createCpuWorkers({ threads: 2 }),
    }),
  "cpu-blas": () => new CpuBackend({ gemm: blas! }),
  "webgpu": gpu,
};
for (const [name, make] of Object.entries(float32Backends)) {
  Deno.test({
    name: `two-head tagger: dropout-on gradients in float32 equal the float64 ones (${name})`,
    ignore: name === "cpu-blas" && noBlas(blas),
    fn: async () => {
      const want = await gradients(new CpuBackend({ precision: "f64" }));
      const backend = await make();
      const got = await gradients(backend);
      if (backend instanceof CpuBackend) backend.workers?.close();
      for (const [param, w] of want) {
        const g = got.get(param)!;
        const scale = Math.max(1e-3, ...Array.from(w, Math.abs));
        const worst = Math.max(...Array.from(w, (v, i) => Math.abs(v - g[i]) / scale));
        assert.ok(worst < 1e-4, `${param}: worst difference ${worst} of the largest gradient`);
      }
    },
  });
}
