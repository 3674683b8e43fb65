import assert from "node:assert/strict";
import { CpuBackend, setBackend } from "../../../mod.ts";
import { setSeed } from "../../../src/core/random.ts";
import { BertConfig } from "../../../src/bert/config.ts";
import { createTagger } from "../../../src/tagging/model/tagger_folder.ts";
import { demoTaggerMeta, generateDemoCorpus } from "../../../tagging.ts";

Deno.test("a tagger whose encoder is loaded next: zero encoder, the heads of a full initialization", async () => {
  const config = new BertConfig({
    vocabSize: 50,
    hiddenSize: 16,
    numHiddenLayers: 1,
    numAttentionHeads: 2,
    intermediateSize: 32,
    maxPositionEmbeddings: 24,
  });
  setBackend(new CpuBackend());
  const meta = demoTaggerMeta(generateDemoCorpus({ sentences: 30 }));
  setSeed(3);
  const full = createTagger(config, meta);
  setSeed(3);
  const drawn = createTagger(config, meta, { pretrainedEncoder: true });
  try {
    const a = new Map(full.namedParameters()), b = new Map(drawn.namedParameters());
    assert.deepEqual([...b.keys()], [...a.keys()]);
    let zeroed = 0;
    for (const [name, p] of b) {
      const got = await p.data(), want = await a.get(name)!.data();
      // The encoder's drawn tensors are left zero; its constant ones (layer norms, biases) are as
      // always; the heads are the full initialization's, bit for bit.
      const drawnInFull = want.some((v) => v !== want[0]);
      if (name.startsWith("bert.") && drawnInFull) {
        assert.ok(got.every((v) => v === 0), `${name} left zero`);
        zeroed++;
      } else assert.deepEqual(got, want, name);
    }
    assert.ok(zeroed >= 7, `${zeroed} encoder tensors drawn`);
  } finally {
    full.dispose();
    drawn.dispose();
  }
});
