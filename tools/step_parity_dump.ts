/**
 * First half of the step-parity fixture (tools/step_parity_fixture.py, which runs this): trains
 * the tiny tagger of test/tagging/tagger_fixture.ts (demo corpus, 1-layer BERT, hidden 32) with
 * every dropout off for {@link STEP_PARITY.updates} updates on the CPU backend, writing its
 * initial weights to test/fixtures/tagging/step_parity_init (a tagger folder the test loads) and
 * its batches and log to `<tmp>` for the reference trainer. Dev-time only.
 *
 * Usage: ./node_modules/.bin/deno run -A tools/step_parity_dump.ts <tmp dir>
 * @module
 */
import { BertConfig } from "../src/bert/config.ts";
import { setSeed } from "../src/core/random.ts";
import { DenoFileSystem } from "../src/io/deno/fs.ts";
import { createTagger } from "../src/tagging/model/tagger_folder.ts";
import { trainTagger } from "../src/tagging/train/mod.ts";
import { tinySetup } from "../test/tagging/tagger_fixture.ts";
import { STEP_PARITY } from "../test/tagging/train/step_parity_setup.ts";

const tmp = Deno.args[0];
if (!tmp) throw new Error("usage: step_parity_dump.ts <tmp dir>");
const s = tinySetup(STEP_PARITY.sentences);
const config = BertConfig.fromJSON({
  ...s.config.toJSON(),
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
});
const meta = { ...s.meta, headDropout: 0 };
setSeed(STEP_PARITY.initSeed);
const model = createTagger(config, meta);
await Deno.remove(STEP_PARITY.initDir, { recursive: true }).catch(() => {});
const result = await trainTagger(
  {
    model,
    tokenizer: s.tokenizer,
    meta,
    train: s.encTrain,
    dev: s.encDev,
    fs: new DenoFileSystem(),
    outDir: `${tmp}/run`,
  },
  STEP_PARITY.options,
  {
    stopAfterStep: STEP_PARITY.updates,
    dumpInit: STEP_PARITY.initDir,
    dumpBatches: `${tmp}/batches.jsonl`,
  },
);
model.dispose();
await Deno.writeTextFile(`${tmp}/options.json`, JSON.stringify(STEP_PARITY.options));
console.log(`${result.steps} updates; init in ${STEP_PARITY.initDir}, batches in ${tmp}`);
