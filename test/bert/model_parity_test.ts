/**
 * PyTorch parity of BertModel and the two-head loss (the acceptance test of the BERT issue):
 * a tiny random checkpoint (tools/bert_checkpoint_fixture.py) run through Hugging Face
 * transformers (tools/bert_parity_fixture.py, dropout off) and through jointag on both backends.
 * Hidden state and loss must agree to 1e-4 relative, gradients to 1e-3.
 */
import assert from "node:assert/strict";
import type { Backend } from "../../src/core/backend.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { loadCheckpointFolder } from "../../src/bert/checkpoint.ts";
import { BertModel } from "../../src/bert/model.ts";
import { setBackend, tidy } from "../../src/core/engine.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { add, crossEntropy, mulScalar, tensor } from "../../src/ops/mod.ts";
import { DenoFileSystem } from "../../src/io/deno/fs.ts";
import { Linear } from "../../src/nn/layers.ts";
import { adapterHasF16, gpu } from "../helpers/webgpu.ts";
import { noBlas, optionalBlas } from "../helpers/blas.ts";
import { without } from "../helpers/optional.ts";
import { createWasmGemm } from "../../src/backend/cpu/wasm_gemm.ts";
import {
  createWebGPUBackendForTesting,
  WebGPUBackend,
} from "../../src/backend/webgpu/webgpu_backend.ts";
import { relErr } from "../helpers/rel_err.ts";

const ref = JSON.parse(await Deno.readTextFile("test/fixtures/bert/tiny_bert_parity.json"));
const ckpt = await loadCheckpointFolder(new DenoFileSystem(), "test/fixtures/bert/tiny_bert");

async function run(backend: Backend) {
  setBackend(backend);
  const bert = new BertModel(ckpt.config);
  bert.loadStateDict(ckpt.weights);
  bert.eval();
  const heads: Record<string, Linear> = {};
  for (
    const [name, h] of Object.entries(ref.heads) as [
      string,
      { weight: number[][]; bias: number[] },
    ][]
  ) {
    const lin = new Linear(h.weight[0].length, h.weight.length);
    lin.loadStateDict(
      new Map([
        ["weight", {
          shape: [h.weight.length, h.weight[0].length],
          data: Float32Array.from(h.weight.flat()),
        }],
        ["bias", { shape: [h.bias.length], data: Float32Array.from(h.bias) }],
      ]),
    );
    heads[name] = lin;
  }
  const [b, t] = [ref.input_ids.length, ref.input_ids[0].length];
  const ids = tensor(Int32Array.from(ref.input_ids.flat()), [b, t]);
  const mask = tensor(Int32Array.from(ref.attention_mask.flat()), [b, t]);
  const labels = Object.fromEntries(
    Object.entries(ref.labels as Record<string, number[][]>).map((
      [k, v],
    ) => [k, tensor(Int32Array.from(v.flat()), [b, t])]),
  );
  const { hidden, ner, pos, loss } = tidy(() => {
    const hidden = bert.forward({ inputIds: ids, attentionMask: mask });
    const ner = crossEntropy(heads.ner.forward(hidden), labels.ner);
    const pos = crossEntropy(heads.pos.forward(hidden), labels.pos);
    const loss = mulScalar(add(ner, pos), 0.5);
    loss.backward();
    return { hidden, ner, pos, loss };
  });
  const named = new Map<string, Tensor>(bert.namedParameters());
  const grads: Record<string, Float32Array | Float64Array> = {};
  for (const n of Object.keys(ref.grads)) {
    grads[n] = (await named.get(n)!.grad!.data()) as Float32Array;
  }
  const headGrads: Record<string, Float32Array> = {};
  for (const k of Object.keys(heads)) {
    headGrads[k] = (await heads[k].weight.grad!.data()) as Float32Array;
  }
  const out = {
    hidden: await hidden.data(),
    ner: await ner.item(),
    pos: await pos.item(),
    loss: await loss.item(),
    grads,
    headGrads,
  };
  bert.dispose();
  for (const h of Object.values(heads)) h.dispose();
  for (const x of [ids, mask, hidden, ner, pos, loss, ...Object.values(labels)]) x.dispose();
  return out;
}

const blas = optionalBlas();
const BACKENDS = ["cpu", "cpu-wasm", "cpu-blas", "webgpu", "webgpu with GPU kernel variants"];
for (const name of BACKENDS) {
  Deno.test({
    name: `BertModel + two heads match transformers (${name})`,
    ignore: name === "cpu-blas" && noBlas(blas),
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const r = await run(
        name === "cpu"
          ? new CpuBackend()
          : name === "cpu-wasm"
          ? new CpuBackend({ gemm: createWasmGemm()! })
          : name === "cpu-blas"
          ? new CpuBackend({ gemm: blas! })
          : name === "webgpu"
          ? await gpu()
          : (await createWebGPUBackendForTesting({ kernels: "gpu" }))!,
      );
      const hiddenErr = relErr(r.hidden, ref.last_hidden_state.flat(2), 1e-12);
      assert.ok(hiddenErr <= 1e-4, `last hidden state rel err ${hiddenErr}`);
      for (const k of ["ner", "pos"] as const) {
        const e = Math.abs(r[k] - ref.loss[k]) / Math.abs(ref.loss[k]);
        assert.ok(e <= 1e-4, `${k} loss ${r[k]} vs ${ref.loss[k]}`);
      }
      assert.ok(
        Math.abs(r.loss - ref.loss.mean) / ref.loss.mean <= 1e-4,
        `loss ${r.loss} vs ${ref.loss.mean}`,
      );
      for (const [n, want] of Object.entries(ref.grads as Record<string, number[]>)) {
        const e = relErr(r.grads[n], want, 1e-12);
        assert.ok(e <= 1e-3, `grad ${n}: rel err ${e}`);
      }
      for (const [n, want] of Object.entries(ref.head_grads as Record<string, number[]>)) {
        const e = relErr(r.headGrads[n], want, 1e-12);
        assert.ok(e <= 1e-3, `head ${n} grad: rel err ${e}`);
      }
    },
  });
}

Deno.test({
  name: "f16 mixed-precision matmuls (WebGPU shader-f16): loss within 1e-3 of transformers' f32",
  ignore: without("f16", await adapterHasF16()),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const f16 = await WebGPUBackend.create({ precision: "f16" });
    assert.ok(f16, "WebGPU adapter");
    try {
      const r = await run(f16);
      const f32 = await run(await gpu());
      const lossErr = Math.abs(r.loss - ref.loss.mean) / ref.loss.mean;
      assert.ok(lossErr <= 1e-3, `f16 loss ${r.loss} vs f32 ${ref.loss.mean}: rel err ${lossErr}`);
      assert.notEqual(r.loss, f32.loss, "f16 arithmetic in use");
      const hiddenErr = relErr(r.hidden, ref.last_hidden_state.flat(2), 1e-12);
      assert.ok(hiddenErr <= 1e-2, `last hidden state rel err ${hiddenErr}`);
      for (const [n, want] of Object.entries(ref.grads as Record<string, number[]>)) {
        const e = relErr(r.grads[n], want, 1e-12);
        assert.ok(e <= 5e-2, `grad ${n}: rel err ${e}`);
      }
    } finally {
      f16.dispose();
    }
  },
});
