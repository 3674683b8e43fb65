/**
 * Dev-time check that a model saved by jointag loads in Hugging Face transformers and computes the
 * same numbers: loads a checkpoint folder, takes one AdamW step on a tagging-style loss (so the
 * saved weights are jointag's own, not a copy of the input), saves it with `saveCheckpointFolder`,
 * and writes jointag's token ids and last hidden state for a sentence next to it. Then
 * tools/transformers_roundtrip.py loads the folder with transformers and compares.
 *
 *   deno run -A tools/transformers_roundtrip.ts <model dir> <out dir>
 *   /root/.cache/jointag-py/bin/python tools/transformers_roundtrip.py <out dir>
 * @module
 */
import { CpuBackend } from "../src/backend/cpu/cpu_backend.ts";
import { loadCheckpointFolder, saveCheckpointFolder } from "../src/bert/checkpoint.ts";
import { BertModel } from "../src/bert/model.ts";
import { noGrad, setBackend, tidy } from "../src/core/engine.ts";
import { DenoFileSystem } from "../src/io/deno/fs.ts";
import { AdamW } from "../src/nn/optim/adamw.ts";
import { mean, mul, tensor } from "../src/ops/mod.ts";
import { toWeightMap } from "../src/tagging/model/multitask_tagger.ts";

const [src, out] = Deno.args;
if (!src || !out) throw new Error("usage: transformers_roundtrip.ts <model dir> <out dir>");
setBackend(new CpuBackend());
const fs = new DenoFileSystem();
const ck = await loadCheckpointFolder(fs, src);
const bert = new BertModel(ck.config);
bert.loadStateDict(ck.weights);
const text = "EU rejects German call to boycott British lamb .";
const ids = Array.from(ck.tokenizer.encode(text));
const input = tensor(Int32Array.from(ids), [1, ids.length]);
const opt = new AdamW(bert.namedParameters(), { lr: 1e-3 });
tidy(() => {
  const h = bert.forward({ inputIds: input });
  mean(mul(h, h)).backward();
  opt.step();
});
bert.eval();
const hidden = await noGrad(() => bert.forward({ inputIds: input })).data();
await saveCheckpointFolder(fs, out, {
  config: ck.config,
  weights: toWeightMap(await bert.stateDict()),
  tokenizer: ck.tokenizer,
});
await Deno.writeTextFile(
  `${out}/jointag_reference.json`,
  JSON.stringify({ text, ids, hidden: Array.from(hidden) }),
);
console.log(`saved ${out}`);
