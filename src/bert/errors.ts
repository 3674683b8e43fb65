/**
 * Error classes for the BERT I/O layer (config, checkpoints, tokenizer, hub).
 * Every message names the input it refers to (file, field, tensor or URL) so a user
 * can fix the offending file without a debugger.
 * @module
 */
import { shortList } from "../core/short_list.ts";

/** A config.json is malformed or describes something this library cannot run. */
export class BertConfigError extends Error {
  /**
   * Creates the error; the message reads `source: field "x": detail`.
   * @param source file name or label of the config (e.g. "models/x/config.json")
   * @param field the offending JSON field, or "" for whole-file problems
   * @param detail what is wrong
   */
  constructor(readonly source: string, readonly field: string, detail: string) {
    super(`${source}${field ? `: field "${field}"` : ""}: ${detail}`);
    this.name = "BertConfigError";
  }
}

/** A checkpoint file (safetensors, PyTorch zip/pickle) cannot be decoded. */
export class CheckpointFormatError extends Error {
  /**
   * Creates the error; the message reads `source: detail`.
   * @param source file name or label of the checkpoint
   * @param detail what is wrong (offsets, tensor name, opcode...)
   */
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = "CheckpointFormatError";
  }
}

/** Checkpoint tensors do not match the expected BertModel parameters. */
export class WeightNameError extends Error {
  /**
   * Creates the error; the message counts and lists (shortened) each kind of mismatch.
   * @param source checkpoint label
   * @param missing expected parameter names absent from the checkpoint
   * @param unknown checkpoint tensors that are neither BertModel parameters nor known heads
   * @param shapeMismatches "name: got [..], expected [..]" lines
   */
  constructor(
    readonly source: string,
    readonly missing: readonly string[],
    readonly unknown: readonly string[],
    readonly shapeMismatches: readonly string[] = [],
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.length} tensor(s): ${shortList(missing)}`);
    if (unknown.length) parts.push(`unknown ${unknown.length} tensor(s): ${shortList(unknown)}`);
    if (shapeMismatches.length) {
      parts.push(
        `${shapeMismatches.length} with the wrong shape: ${shortList(shapeMismatches, 3)}`,
      );
    }
    super(`${source}: ${parts.join("; ")}`);
    this.name = "WeightNameError";
  }
}

/** A vocab.txt / tokenizer.json / tokenizer_config.json cannot be used. */
export class TokenizerFormatError extends Error {
  /**
   * Creates the error; the message reads `source: detail`.
   * @param source file name or label
   * @param detail what is wrong (JSON path, line number...)
   */
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = "TokenizerFormatError";
  }
}

/** Resolving or downloading a model from the hub failed. */
export class HubError extends Error {
  /**
   * Creates the error; the message reads `target: detail`.
   * @param target the model id, URL or folder involved
   * @param detail what is wrong
   * @param status HTTP status when the failure came from a response
   */
  constructor(readonly target: string, detail: string, readonly status?: number) {
    super(`${target}: ${detail}`);
    this.name = "HubError";
  }
}
