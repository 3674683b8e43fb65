/**
 * Two training steps of the demo NER + POS tagger on the CPU backend (TypeScript GEMM, one
 * thread), written against the public entry points only, in plain JavaScript so that Node runs
 * it against the npm build and Deno against the sources (test/npm/npm_build_test.ts compares the
 * losses).
 *
 *   node test/npm/two_steps.mjs dist/npm    # prints {"losses":[…]} from the npm build
 * @module
 */

/**
 * Runs the two steps with the given library modules and returns each step's loss.
 * @param {typeof import("../../mod.ts")} core the `jointag` entry point
 * @param {typeof import("../../tagging.ts")} tagging the `jointag/tagging` entry point
 * @returns {Promise<number[]>}
 */
export async function twoSteps(core, tagging) {
  core.setBackend(new core.CpuBackend());
  core.setSeed(7);
  const corpus = tagging.generateDemoCorpus({ sentences: 64, seed: 3 });
  const { tokenizer, config } = tagging.demoBert(corpus);
  const meta = tagging.demoTaggerMeta(corpus);
  const model = tagging.createTagger(config, meta);
  const encoded = tagging.encodeSentences(corpus, tokenizer, tagging.labelMapsOf(meta), {
    maxLength: 32,
  });
  const { examples } = tagging.windowExamples(encoded);
  const batches = tagging.makeBatches(examples, { batchSize: 8, shuffle: true, seed: 1 });
  const opt = new core.AdamW(model.namedParameters(), { lr: 1e-3 });
  const losses = [];
  for (const batch of batches.slice(0, 2)) {
    const shape = [batch.batchSize, batch.seqLen];
    const loss = core.tidy(() => {
      const labels = {};
      for (const [t, l] of Object.entries(batch.labels)) labels[t] = core.tensor(l, shape);
      const r = model.loss({
        inputIds: core.tensor(batch.inputIds, shape),
        attentionMask: core.tensor(batch.attentionMask, shape),
      }, labels);
      r.loss.backward();
      opt.step();
      model.zeroGrad();
      return r.loss;
    });
    losses.push(await loss.item());
    loss.dispose();
  }
  return losses;
}

// Run directly (by Node, on a build folder): import that build and print the losses.
const proc = globalThis.process;
const self = proc?.argv?.[1];
if (self && import.meta.url.endsWith(self.replace(/\\/g, "/"))) {
  const dir = new URL(proc.argv[2].replace(/\/?$/, "/"), `file://${proc.cwd()}/`);
  const core = await import(new URL("mod.js", dir).href);
  const tagging = await import(new URL("tagging.js", dir).href);
  console.log(JSON.stringify({ losses: await twoSteps(core, tagging) }));
}
