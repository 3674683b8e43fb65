/**
 * The multi-task tagger: the model (BERT + one head per task), its saved folder (transformers
 * layout + heads + tagger.json), head reuse, inference, prediction on raw text and evaluation.
 * @module
 */
export {
  fromWeightMap,
  MultiTaskTagger,
  type MultiTaskTaggerOptions,
  type TaggerLoss,
  type TaskHeadSpec,
  toWeightMap,
} from "./multitask_tagger.ts";
export { argmaxRows, decodePredictions, predictEncoded, type PredictOptions } from "./inference.ts";
export {
  evaluateTagger,
  type Evaluation,
  fillLabelIds,
  formatConllEvaluation,
  formatEntityTable,
  isEntityTask,
  scorePredictions,
  summarizeEvaluation,
  type TaskScores,
} from "./evaluate.ts";
export {
  type BaseModelRef,
  createTagger,
  labelMapsOf,
  type LoadedTagger,
  loadTaggerFolder,
  MODEL_DIR,
  parseTaggerMeta,
  saveTaggerFolder,
  saveTaggerOutput,
  TAGGER_FILES,
  taggerFolderFiles,
  type TaggerFolderInput,
  type TaggerMeta,
  taggerModelDir,
  WEIGHTS_INDEX,
} from "./tagger_folder.ts";
export {
  formatTagged,
  splitText,
  splitWords,
  type TaggedFormat,
  type TaggedSentence,
  type TaggerBundle,
  tagWords,
} from "./predict.ts";
