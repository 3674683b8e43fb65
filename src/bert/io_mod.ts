/**
 * Public API of the BERT I/O layer: config, checkpoint readers/writers, weight-name
 * mapping, tokenizer, hub download and model-folder loading. Browser-safe (no Deno.*);
 * the Deno file system and environment adapters are in src/io/deno/fs.ts and
 * src/io/deno/hub_env.ts.
 * @module
 */

export {
  BERT_CONFIG_DEFAULTS,
  BertConfig,
  type BertConfigFields,
  type BertConfigJsonOptions,
  type BertHiddenAct,
} from "./config.ts";
export {
  BertConfigError,
  CheckpointFormatError,
  HubError,
  TokenizerFormatError,
  WeightNameError,
} from "./errors.ts";
export { shapeSize, type WeightEntry, type WeightMap } from "./weights.ts";
export { decodeToF32, floatToHalf, halfToFloat, type StorageDtype } from "./dtype_convert.ts";
export {
  readSafetensors,
  readSafetensorsHeader,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
  writeSafetensors,
} from "./safetensors.ts";
export { isZip, ZipArchive, type ZipEntry } from "./torch_zip.ts";
export {
  type PickleCallable,
  PickleGlobal,
  PickleObject,
  unpickle,
  type UnpickleOptions,
} from "./torch_pickle.ts";
export { readPytorchBin, type ReadPytorchBinOptions } from "./pytorch_bin.ts";
export {
  type BertWeightMatch,
  expectedBertParamNames,
  expectedBertParamShapes,
  isIgnoredBertTensor,
  matchBertWeights,
  type MatchBertWeightsOptions,
  normalizeBertParamName,
} from "./param_names.ts";
export {
  BasicTokenizer,
  type BertNormalizerOptions,
  normalizeBertText,
  preTokenizeBert,
  type ResolvedBertNormalizerOptions,
  resolveNormalizerOptions,
} from "./basic_tokenizer.ts";
export { WordPiece, type WordPieceOptions } from "./wordpiece.ts";
export { type AddedToken, AddedTokenMatcher } from "./added_tokens.ts";
export {
  BertTokenizer,
  type BertTokenizerOptions,
  type DecodeOptions,
  type EncodeOptions,
  type WordEncoding,
  type WordPieceDecoderOptions,
} from "./tokenizer.ts";
export {
  loadBertTokenizer,
  optionsFromTokenizerConfig,
  parseVocabTxt,
  tokenizerFromTokenizerJson,
  tokenizerFromVocabTxt,
} from "./tokenizer_files.ts";
export {
  dirname,
  type FileSystem,
  joinPath,
  MemoryFileNotFound,
  MemoryFileSystem,
} from "./file_system.ts";
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
} from "./hub.ts";
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
} from "./checkpoint.ts";
