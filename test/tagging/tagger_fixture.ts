/**
 * A tiny tagger on the generated demo corpus, on the CPU backend, for the training tests.
 * @module
 */
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { setBackend } from "../../src/core/engine.ts";
import { setSeed } from "../../src/core/random.ts";
import { generateDemoCorpus } from "../../src/tagging/demo/demo_corpus.ts";
import { demoBert, demoTaggerMeta } from "../../src/tagging/demo/demo_model.ts";
import { encodeSentences } from "../../src/tagging/data/encode_corpus.ts";
import { trainDevSplit } from "../../src/tagging/data/split.ts";
import { createTagger, labelMapsOf } from "../../src/tagging/model/tagger_folder.ts";
import type { TrainInput } from "../../src/tagging/train/mod.ts";

/** Data, tokenizer, config and meta of a tiny NER + POS setup. */
export function tinySetup(sentences: number, size = { hiddenSize: 32, intermediateSize: 64 }) {
  setBackend(new CpuBackend());
  const corpus = generateDemoCorpus({ sentences, seed: 3 });
  const { train, dev } = trainDevSplit(corpus, { devFraction: 0.2, seed: 1 });
  const { tokenizer, config } = demoBert(train, {
    hiddenSize: size.hiddenSize,
    numHiddenLayers: 1,
    numAttentionHeads: 2,
    intermediateSize: size.intermediateSize,
    maxPositionEmbeddings: 64,
  });
  const meta = demoTaggerMeta(corpus, 64);
  const maps = labelMapsOf(meta);
  const enc = (s: typeof train) => encodeSentences(s, tokenizer, maps, { maxLength: 64 });
  const fresh = (seed = 5) => {
    setSeed(seed);
    return createTagger(config, meta);
  };
  const encTrain = enc(train);
  const encDev = enc(dev);
  /** The input of `trainTagger` for `model`, writing to `outDir` on `fs`. */
  const input = (
    model: TrainInput["model"],
    fs: TrainInput["fs"],
    outDir: string,
  ): TrainInput => ({ model, tokenizer, meta, train: encTrain, dev: encDev, fs, outDir });
  return { train, dev, tokenizer, config, meta, maps, encTrain, encDev, fresh, input };
}
