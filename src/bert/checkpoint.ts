/**
 * Loading and saving a whole Hugging Face BERT model folder: config.json, tokenizer
 * (tokenizer.json or vocab.txt + tokenizer_config.json) and weights (model.safetensors or
 * pytorch_model.bin). Works on a {@link FileSystem} (Deno), on in-memory file contents
 * (browser `File`s) or on URLs (browser / Deno `fetch`).
 * @module
 */

import { BertConfig } from "./config.ts";
import {
  BertConfigError,
  CheckpointFormatError,
  HubError,
  TokenizerFormatError,
} from "./errors.ts";
import { type FileSystem, joinPath } from "../io/file_system.ts";
import { matchBertWeights } from "./param_names.ts";
import { readPytorchBin } from "./pytorch_bin.ts";
import { readSafetensors, writeSafetensors } from "./safetensors.ts";
import type { BertTokenizer } from "./tokenizer.ts";
import { loadBertTokenizer } from "./tokenizer_files.ts";
import type { WeightMap } from "./weights.ts";

/** A loaded model folder. */
export interface LoadedCheckpoint {
  /** The folder's config.json. */
  config: BertConfig;
  /** The tokenizer from tokenizer.json, or else vocab.txt (with tokenizer_config.json). */
  tokenizer: BertTokenizer;
  /** BertModel parameters under HF names, validated against the config. */
  weights: WeightMap;
  /** Original names of tensors dropped (pooler, pre-training heads, index buffers). */
  ignored: string[];
  /** Other tensors (e.g. a saved task head), only with `allowExtra`. */
  extra: WeightMap;
  /** `classifier.*` tensors of a task model (e.g. BertForTokenClassification). */
  taskTensors: WeightMap;
  /** Which files were used. */
  files: { weights: string; tokenizer: string };
}

/** Options for the loaders. */
export interface LoadCheckpointOptions {
  /** Keep unrecognised tensors in `extra` instead of failing (default false). */
  allowExtra?: boolean;
  /** Human-readable notices (ignored heads, renamed tensors, fallbacks). */
  onNotice?: (message: string) => void;
}

/** Candidate files in order of preference. */
const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"] as const;
const TOKENIZER_FILES = ["tokenizer.json", "vocab.txt"] as const;

/** Source of file contents: returns undefined for a missing file. */
type FileReader = (name: string) => Promise<Uint8Array | undefined>;

async function assemble(
  read: FileReader,
  label: string,
  options: LoadCheckpointOptions,
): Promise<LoadedCheckpoint> {
  const at = (f: string) => (label ? joinPath(label, f) : f);
  const configBytes = await read("config.json");
  if (!configBytes) throw new BertConfigError(at("config.json"), "", "file not found");
  const config = BertConfig.parse(utf8(configBytes), at("config.json"));

  const tokFile = await firstPresent(read, TOKENIZER_FILES);
  if (!tokFile) {
    throw new TokenizerFormatError(
      label || "checkpoint",
      "neither tokenizer.json nor vocab.txt is present",
    );
  }
  const files: { tokenizerJson?: string; vocabTxt?: string; tokenizerConfig?: string } = {};
  if (tokFile.name === "tokenizer.json") files.tokenizerJson = utf8(tokFile.bytes);
  else files.vocabTxt = utf8(tokFile.bytes);
  const tc = await read("tokenizer_config.json");
  if (tc) files.tokenizerConfig = utf8(tc);
  const tokenizer = loadBertTokenizer(files, label);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new TokenizerFormatError(
      at(tokFile.name),
      `tokenizer has ${tokenizer.vocabSize} ids but config.json vocab_size is ${config.vocabSize}`,
    );
  }

  const wFile = await firstPresent(read, WEIGHT_FILES);
  if (!wFile) {
    throw new CheckpointFormatError(
      label || "checkpoint",
      "neither model.safetensors nor pytorch_model.bin is present",
    );
  }
  if (wFile.name !== WEIGHT_FILES[0]) {
    options.onNotice?.(`${at(wFile.name)}: no model.safetensors, using ${wFile.name}`);
  }
  const raw = wFile.name === "model.safetensors"
    ? readSafetensors(wFile.bytes, at(wFile.name))
    : readPytorchBin(wFile.bytes, at(wFile.name), { onNotice: options.onNotice });
  const matched = matchBertWeights(raw, config, {
    source: at(wFile.name),
    allowExtra: options.allowExtra,
    onNotice: options.onNotice,
  });
  return { config, tokenizer, ...matched, files: { weights: wFile.name, tokenizer: tokFile.name } };
}

async function firstPresent(
  read: FileReader,
  names: readonly string[],
): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  for (const name of names) {
    const bytes = await read(name);
    if (bytes) return { name, bytes };
  }
  return undefined;
}

/**
 * Load a model folder through a {@link FileSystem}: model.safetensors else
 * pytorch_model.bin, tokenizer.json else vocab.txt (+ tokenizer_config.json).
 * @throws BertConfigError | TokenizerFormatError | CheckpointFormatError | WeightNameError
 */
export function loadCheckpointFolder(
  fs: FileSystem,
  dir: string,
  options: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  return assemble(
    async (name) => {
      const p = joinPath(dir, name);
      return (await fs.exists(p)) ? await fs.readFile(p) : undefined;
    },
    dir,
    options,
  );
}

/**
 * Load from file contents already in memory, keyed by file name (e.g. from browser
 * `File` objects: `new Uint8Array(await file.arrayBuffer())`).
 */
export function loadCheckpointFromFiles(
  files: Record<string, Uint8Array>,
  options: LoadCheckpointOptions & { label?: string } = {},
): Promise<LoadedCheckpoint> {
  return assemble((name) => Promise.resolve(files[name]), options.label ?? "", options);
}

/** Options for {@link loadCheckpointFromUrl}. */
export interface LoadFromUrlOptions extends LoadCheckpointOptions {
  /** Injected fetch (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Bytes received per file. */
  onProgress?: (file: string, loaded: number, total: number | undefined) => void;
}

/**
 * Load a model folder served over HTTP: `${baseUrl}/config.json`, etc. A 404 means
 * "file absent" (so fallbacks apply); other failures raise HubError.
 */
export function loadCheckpointFromUrl(
  baseUrl: string,
  options: LoadFromUrlOptions = {},
): Promise<LoadedCheckpoint> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const base = baseUrl.replace(/\/+$/, "");
  return assemble(
    async (name) => {
      const url = `${base}/${name}`;
      let res: Response;
      try {
        res = await doFetch(url, { headers: options.headers });
      } catch (e) {
        throw new HubError(url, `network error: ${(e as Error).message}`);
      }
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new HubError(url, `HTTP ${res.status} ${res.statusText}`, res.status);
      }
      const total = Number(res.headers.get("content-length") ?? NaN);
      if (!options.onProgress || !res.body) return new Uint8Array(await res.arrayBuffer());
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      for await (const c of res.body) {
        chunks.push(c);
        loaded += c.byteLength;
        options.onProgress(name, loaded, Number.isFinite(total) ? total : undefined);
      }
      const out = new Uint8Array(loaded);
      let p = 0;
      for (const c of chunks) out.set(c, p), (p += c.byteLength);
      return out;
    },
    base,
    options,
  );
}

/** What {@link saveCheckpointFolder} writes. */
export interface SaveCheckpointInput {
  /** Written as config.json. */
  config: BertConfig;
  /** Tensors to save under their names (BertModel names, plus any task head). */
  weights: WeightMap;
  /** Tokenizer whose vocab.txt and tokenizer_config.json are written. */
  tokenizer?: BertTokenizer;
  /** Or: vocab.txt text as is (used when no tokenizer is given). */
  tokenizerVocab?: string;
  /** tokenizer_config.json content (default: from the tokenizer when given). */
  tokenizerConfig?: Record<string, unknown>;
  /** config.json "architectures" (default ["BertModel"]). */
  architectures?: string[];
  /** The whole config.json object instead of `config.toJSON({ architectures })`. */
  configJson?: Record<string, unknown>;
  /** Extra safetensors `__metadata__` entries. */
  metadata?: Record<string, string>;
}

/**
 * The files of a model folder as bytes (model.safetensors, config.json, vocab.txt,
 * tokenizer_config.json; with a tokenizer also tokenizer.json and special_tokens_map.json), e.g.
 * to offer as downloads in a browser.
 */
export function checkpointFiles(input: SaveCheckpointInput): Record<string, Uint8Array> {
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + "\n");
  const out: Record<string, Uint8Array> = {
    "model.safetensors": writeSafetensors(input.weights, input.metadata),
    "config.json": json(
      input.configJson ?? input.config.toJSON({ architectures: input.architectures }),
    ),
  };
  const vocab = input.tokenizer?.saveVocab() ?? input.tokenizerVocab;
  if (vocab !== undefined) out["vocab.txt"] = new TextEncoder().encode(vocab);
  const tc = input.tokenizerConfig ?? input.tokenizer?.toTokenizerConfig();
  if (tc !== undefined) out["tokenizer_config.json"] = json(tc);
  if (input.tokenizer) {
    out["tokenizer.json"] = json(input.tokenizer.toTokenizerJson());
    out["special_tokens_map.json"] = json(input.tokenizer.specialTokensMap());
  }
  return out;
}

/**
 * The files of a checkpoint folder in the order they are written: weights first, config.json
 * last, so a folder with a config.json is complete.
 */
export const CHECKPOINT_FILE_ORDER: readonly string[] = [
  "model.safetensors",
  "vocab.txt",
  "tokenizer.json",
  "special_tokens_map.json",
  "tokenizer_config.json",
  "config.json",
];

/**
 * Write a model folder that transformers' `from_pretrained` and its tokenizers load:
 * model.safetensors, config.json, vocab.txt, tokenizer_config.json (and tokenizer.json +
 * special_tokens_map.json when a tokenizer is given), each written atomically (temp file +
 * rename). Weights go first and config.json last, so a folder with a config.json is always
 * complete. Use a fresh folder: a stale pytorch_model.bin left there would not be overwritten.
 */
export async function saveCheckpointFolder(
  fs: FileSystem,
  dir: string,
  input: SaveCheckpointInput,
): Promise<void> {
  const files = checkpointFiles(input);
  await fs.mkdirp(dir);
  for (const name of CHECKPOINT_FILE_ORDER) {
    if (files[name]) await fs.writeFileAtomic(joinPath(dir, name), files[name]);
  }
}

function utf8(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}
