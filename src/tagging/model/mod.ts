/**
 * The multi-task tagger: the model (BERT + one head per task), its saved folder (transformers
 * layout + heads + tagger.json), head reuse, inference, prediction on raw text and evaluation.
 * @module
 */
export * from "./evaluate.ts";
export * from "./head_reuse.ts";
export * from "./inference.ts";
export * from "./model_card.ts";
export * from "./multitask_tagger.ts";
export * from "./predict.ts";
export * from "./tagger_folder.ts";
export * from "./token_classifier.ts";
