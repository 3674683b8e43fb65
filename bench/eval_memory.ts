/**
 * Memory over a long evaluation: a tagger of a given size predicts a corpus of varied sentence
 * lengths (the demo corpus's sentences joined one to six at a time: 8 to ~90 words, in an order
 * where lengths come and go as in a real corpus), and the backend's and the process's memory are
 * read after every batch. Used by `deno task bench:memory` and by the memory test (which asserts
 * that resident memory stays flat on the pooled CPU backend).
 * @module
 */
import { type Backend, setBackend, setSeed } from "../mod.ts";
import {
  createTagger,
  demoBert,
  demoTaggerMeta,
  encodeSentences,
  generateDemoCorpus,
  labelMapsOf,
  predictEncoded,
  type Sentence,
} from "../tagging.ts";

/** Size of the evaluated BERT. */
export interface EvalModelSize {
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
}

/** Memory after a batch. */
export interface EvalMemoryRecord {
  /** Sentences predicted so far. */
  sentences: number;
  liveBytes: number;
  pooledBytes: number;
  /** Resident memory of the whole process. */
  rssBytes: number;
  /** The main JS heap's reserved size (V8 grows it ahead of collections; part of `rssBytes`). */
  heapTotalBytes: number;
}

/** `n` sentences of 1 to 6 demo sentences each; the first is one of the longest. */
export function variedLengthCorpus(n: number, seed = 11): Sentence[] {
  const parts = generateDemoCorpus({ sentences: n * 4, seed });
  const out: Sentence[] = [];
  let next = 0;
  for (let i = 0; i < n; i++) {
    const k = i === 0 ? 6 : 1 + ((i * 7919) % 6);
    const joined = parts.slice(next, next + k);
    next = (next + k) % (parts.length - 6);
    out.push({
      words: joined.flatMap((s) => s.words),
      columns: {
        ner: joined.flatMap((s) => s.columns.ner),
        pos: joined.flatMap((s) => s.columns.pos),
      },
      source: { file: "<varied>", line: i + 1 },
    });
  }
  return out;
}

/**
 * Predicts `sentences` varied-length sentences with a fresh tagger of `size` on `backend`, in
 * batches of `batchSize`, calling `onRecord` after every batch (and returning every record).
 */
export async function evaluationMemory(
  backend: Backend,
  size: EvalModelSize,
  sentences: number,
  onRecord: (r: EvalMemoryRecord) => void = () => {},
  batchSize = 64,
): Promise<EvalMemoryRecord[]> {
  setBackend(backend);
  const corpus = variedLengthCorpus(sentences);
  const { tokenizer, config } = demoBert(corpus, {
    hiddenSize: size.hidden,
    numHiddenLayers: size.layers,
    numAttentionHeads: size.heads,
    intermediateSize: size.intermediate,
    maxPositionEmbeddings: 128,
  });
  const meta = demoTaggerMeta(corpus);
  const maps = labelMapsOf(meta);
  setSeed(1);
  const model = createTagger(config, meta, { backend });
  const encoded = encodeSentences(corpus, tokenizer, maps, { maxLength: 128 });
  const records: EvalMemoryRecord[] = [];
  try {
    await predictEncoded(model, encoded, {
      batchSize,
      onBatch: (done) => {
        const m = backend.memory();
        const { rss, heapTotal } = Deno.memoryUsage();
        const r = {
          sentences: done,
          liveBytes: m.liveBytes,
          pooledBytes: m.pooledBytes,
          rssBytes: rss,
          heapTotalBytes: heapTotal,
        };
        records.push(r);
        onRecord(r);
      },
    });
  } finally {
    model.dispose();
  }
  return records;
}
