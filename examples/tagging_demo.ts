/**
 * The tagging library API end to end, in memory: a generated NER + POS corpus, a small BERT made
 * for it, two epochs of multi-task training, then tagging a new sentence.
 *
 *   deno run -A examples/tagging_demo.ts
 * @module
 */
import { createBackend, setBackend, setSeed } from "../mod.ts";
import { MemoryFileSystem } from "../bert.ts";
import { loadBlas } from "../deno.ts";
import {
  createTagger,
  demoBert,
  demoTaggerMeta,
  encodeSentences,
  formatTagged,
  generateDemoCorpus,
  labelMapsOf,
  tagWords,
  trainDevSplit,
  trainTagger,
} from "../tagging.ts";

const { backend, reason } = await createBackend("cpu", { gemm: loadBlas() });
setBackend(backend);
console.log(`device: ${reason}`);

const { train, dev } = trainDevSplit(generateDemoCorpus({ sentences: 1500 }), { seed: 42 });
const { tokenizer, config } = demoBert(train);
const meta = demoTaggerMeta([...train, ...dev]);
const labelMaps = labelMapsOf(meta);
setSeed(42);
const model = createTagger(config, meta);
const enc = (s: typeof train) => encodeSentences(s, tokenizer, labelMaps, { maxLength: 128 });
const result = await trainTagger(
  {
    model,
    tokenizer,
    meta,
    train: enc(train),
    dev: enc(dev),
    fs: new MemoryFileSystem(),
    outDir: "demo",
  },
  { epochs: 2, batchSize: 32, lr: 1e-3 },
  { log: console.log },
);
console.log(
  `best dev entity F1 ${(100 * result.bestScore).toFixed(2)} (epoch ${result.bestEpoch})`,
);
const tagged = await tagWords({ model, tokenizer, labelMaps, meta }, [
  ["Maria", "Silva", "signed", "a", "deal", "with", "Nokia", "in", "Oslo", "."],
]);
console.log(formatTagged(tagged, "table", ["ner", "pos"]));
