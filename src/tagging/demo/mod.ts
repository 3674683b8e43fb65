/**
 * The generated demo corpus and demo BERT, and the browser page's tagger workbench (no DOM or
 * runtime API, so it runs in Deno too).
 * @module
 */
export { DEMO_COLUMNS, type DemoCorpusOptions, generateDemoCorpus } from "./demo_corpus.ts";
export {
  buildVocab,
  type BuildVocabOptions,
  DEMO_BERT_SIZE,
  demoBert,
  demoTaggerMeta,
  SPECIAL_TOKENS,
} from "./demo_model.ts";
export {
  formatConllCorpus,
  type ModelSource,
  parseCorpusFile,
  SESSION_TASKS,
  SessionStateError,
  type SessionTrainOptions,
  type StepRecord,
  type TaggedWord,
  TaggerSession,
  type TrainCallbacks,
} from "./browser_session.ts";
