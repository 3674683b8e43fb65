/**
 * `jointag/bert`: a BERT on jointag's tensors (Hugging Face `BertModel`, layer for layer and name
 * for name) and everything around its weights and text: config, safetensors and PyTorch
 * checkpoints, weight-name mapping, the WordPiece tokenizer (`tokenizer.json` / `vocab.txt`), the
 * Hugging Face hub cache and model folders. No Deno API: runs in Deno, Node and browsers (the
 * Deno file system and environment are in `jointag/deno`).
 *
 * @example
 * ```ts
 * import { BertConfig, BertModel } from "jointag/bert";
 * const model = new BertModel(new BertConfig({
 *   vocabSize: 100,
 *   hiddenSize: 32,
 *   numHiddenLayers: 1,
 *   numAttentionHeads: 2,
 *   intermediateSize: 64,
 * }));
 * ```
 * @module
 */

export {
  BERT_CONFIG_DEFAULTS,
  BertConfig,
  type BertConfigFields,
  type BertConfigJsonOptions,
  type BertHiddenAct,
} from "./src/bert/config.ts";
export {
  BertConfigError,
  CheckpointFormatError,
  HubError,
  TokenizerFormatError,
  WeightNameError,
} from "./src/bert/errors.ts";
export { shapeSize, type WeightEntry, type WeightMap } from "./src/bert/weights.ts";
export {
  decodeToF32,
  floatToHalf,
  halfToFloat,
  type StorageDtype,
} from "./src/bert/dtype_convert.ts";
export {
  readSafetensors,
  readSafetensorsHeader,
  type SafetensorsHeader,
  safetensorsParts,
  type SafetensorsTensorInfo,
  writeSafetensors,
} from "./src/bert/safetensors.ts";
export { isZip, ZipArchive, type ZipEntry } from "./src/bert/torch_zip.ts";
export {
  type PickleCallable,
  PickleGlobal,
  PickleObject,
  unpickle,
  type UnpickleOptions,
} from "./src/bert/torch_pickle.ts";
export { readPytorchBin, type ReadPytorchBinOptions } from "./src/bert/pytorch_bin.ts";
export {
  type BertWeightMatch,
  expectedBertParamNames,
  expectedBertParamShapes,
  isIgnoredBertTensor,
  matchBertWeights,
  type MatchBertWeightsOptions,
  normalizeBertParamName,
} from "./src/bert/param_names.ts";
export {
  BasicTokenizer,
  type BertNormalizerOptions,
  normalizeBertText,
  preTokenizeBert,
  type ResolvedBertNormalizerOptions,
  resolveNormalizerOptions,
} from "./src/bert/basic_tokenizer.ts";
export { WordPiece, type WordPieceOptions } from "./src/bert/wordpiece.ts";
export { type AddedToken, AddedTokenMatcher, type Segment } from "./src/bert/added_tokens.ts";
export {
  BertTokenizer,
  type BertTokenizerOptions,
  type DecodeOptions,
  type EncodeOptions,
  type WordEncoding,
  type WordPieceDecoderOptions,
} from "./src/bert/tokenizer.ts";
export {
  loadBertTokenizer,
  optionsFromTokenizerConfig,
  parseVocabTxt,
  tokenizerFromTokenizerJson,
  tokenizerFromVocabTxt,
} from "./src/bert/tokenizer_files.ts";
export {
  concatBytes,
  dirname,
  type FileData,
  type FileSystem,
  joinPath,
  MemoryFileNotFound,
  MemoryFileSystem,
} from "./src/io/file_system.ts";
export {
  DEFAULT_HUB_ENDPOINT,
  downloadFile,
  type DownloadProgress,
  fileUrl,
  type HubOptions,
  isLocalPath,
  MODEL_FILE_GROUPS,
  repoCacheDir,
  type ResolvedModel,
  resolveModel,
  resolveModelSource,
  snapshotRevision,
} from "./src/bert/hub.ts";
export { recoverFolder, removeTempFiles, replaceFolder, swapNames } from "./src/io/folder_swap.ts";
export {
  checkpointFiles,
  loadCheckpointFolder,
  loadCheckpointFromFiles,
  loadCheckpointFromUrl,
  type LoadCheckpointOptions,
  type LoadedCheckpoint,
  type LoadFromUrlOptions,
  saveCheckpointFolder,
  type SaveCheckpointInput,
} from "./src/bert/checkpoint.ts";
export {
  BertAttention,
  BertEmbeddings,
  type BertInitOptions,
  type BertInputs,
  BertIntermediate,
  BertLayer,
  BertModel,
  BertResidualOutput,
  BertSelfAttention,
} from "./src/bert/model.ts";
