/**
 * BERT on jointag: the model (Hugging Face `BertModel`, layer for layer and name for name) and
 * everything around its weights and text (config, checkpoints, tokenizer, hub cache).
 * @module
 */
export * from "./io_mod.ts";
export { type BertInitOptions, type BertInputs, BertModel } from "./model.ts";
