/**
 * Reader and writer for the safetensors format (https://github.com/huggingface/safetensors):
 * 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor bytes.
 * @module
 */

import { concatBytes } from "../io/file_system.ts";
import { decodeToF32, type StorageDtype } from "./dtype_convert.ts";
import { CheckpointFormatError } from "./errors.ts";
import { shapeSize, type WeightMap } from "./weights.ts";

/** safetensors dtype names this reader converts to float32. */
const DTYPES: Readonly<Record<string, StorageDtype>> = {
  F32: "f32",
  F16: "f16",
  BF16: "bf16",
  F64: "f64",
  I64: "i64",
  I32: "i32",
  I16: "i16",
  I8: "i8",
  U8: "u8",
  BOOL: "bool",
};
const BYTES: Readonly<Record<string, number>> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** Header entry of one tensor as stored in the file. */
export interface SafetensorsTensorInfo {
  /** dtype as written in the file ("F32", "BF16", ...). */
  dtype: string;
  /** Dimensions of the tensor (empty for a scalar). */
  shape: number[];
  /** [begin, end) byte offsets relative to the start of the data section. */
  dataOffsets: [number, number];
}

/** Parsed header: tensor infos in file order, `__metadata__`, and where data starts. */
export interface SafetensorsHeader {
  /** Tensor name → dtype, shape and byte range, in the order of the header. */
  tensors: Map<string, SafetensorsTensorInfo>;
  /** The `__metadata__` string map (empty when the file has none). */
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8-byte length + header JSON). */
  dataStart: number;
}

// Headers of real checkpoints are a few hundred KB; anything bigger is a corrupt length.
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Parse and validate the header of a safetensors file.
 * @param bytes the whole file (or at least its header)
 * @param source file name for error messages
 * @throws CheckpointFormatError on a malformed header or out-of-range offsets
 */
export function readSafetensorsHeader(
  bytes: Uint8Array,
  source = "model.safetensors",
): SafetensorsHeader {
  if (bytes.byteLength < 8) {
    throw new CheckpointFormatError(
      source,
      `file too short (${bytes.byteLength} bytes) for a safetensors header`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES || 8 + n > bytes.byteLength) {
    throw new CheckpointFormatError(
      source,
      `header length ${n} exceeds the file size ${bytes.byteLength} (not a safetensors file?)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new CheckpointFormatError(
      source,
      `header is not valid UTF-8 JSON: ${(e as Error).message}`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new CheckpointFormatError(source, "header is not a JSON object");
  }
  const dataStart = 8 + n;
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, SafetensorsTensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor "${name}"`;
    if (typeof info?.dtype !== "string" || !(info.dtype in BYTES)) {
      throw new CheckpointFormatError(
        source,
        `${where}: unsupported dtype ${JSON.stringify(info?.dtype)}`,
      );
    }
    if (!Array.isArray(info.shape) || !info.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new CheckpointFormatError(
        source,
        `${where}: invalid shape ${JSON.stringify(info.shape)}`,
      );
    }
    const off = info.data_offsets;
    if (
      !Array.isArray(off) || off.length !== 2 || !Number.isInteger(off[0]) ||
      !Number.isInteger(off[1]) || off[0] < 0 || off[1] < off[0] || off[1] > dataLen
    ) {
      throw new CheckpointFormatError(
        source,
        `${where}: data_offsets ${JSON.stringify(off)} outside the ${dataLen}-byte data section`,
      );
    }
    const expected = shapeSize(info.shape) * BYTES[info.dtype];
    if (off[1] - off[0] !== expected) {
      throw new CheckpointFormatError(
        source,
        `${where}: ${off[1] - off[0]} bytes for ${info.dtype}${
          JSON.stringify(info.shape)
        }, expected ${expected}`,
      );
    }
    tensors.set(name, {
      dtype: info.dtype,
      shape: info.shape.slice(),
      dataOffsets: [off[0], off[1]],
    });
  }
  return { tensors, metadata, dataStart };
}

/**
 * Read every tensor of a safetensors file as float32 (F16/BF16/F64 and integer tensors
 * are converted; integer buffers such as position_ids are tolerated this way).
 * @param bytes the whole file
 * @param source file name for error messages
 */
export function readSafetensors(bytes: Uint8Array, source = "model.safetensors"): WeightMap {
  const header = readSafetensorsHeader(bytes, source);
  const out: WeightMap = new Map();
  for (const [name, info] of header.tensors) {
    const begin = header.dataStart + info.dataOffsets[0];
    const count = shapeSize(info.shape);
    const data = decodeToF32(
      bytes.subarray(begin, header.dataStart + info.dataOffsets[1]),
      DTYPES[info.dtype],
      count,
    );
    out.set(name, { dtype: "f32", shape: info.shape, data });
  }
  return out;
}

/**
 * Serialize weights as an F32 safetensors file loadable by `safetensors.torch.load_file`
 * and transformers: tensors sorted by name, header JSON space-padded to a multiple of 8
 * bytes so every tensor starts 8-byte aligned, `__metadata__: {"format": "pt"}`.
 * @param weights tensors to write (data length must match the shape)
 * @param metadata extra string metadata merged into `__metadata__`
 */
export function writeSafetensors(
  weights: WeightMap,
  metadata: Record<string, string> = {},
): Uint8Array {
  return concatBytes(safetensorsParts(weights, metadata));
}

/**
 * The file of {@link writeSafetensors} as parts: the length and header, then each tensor's bytes
 * as a view of its data (no copy), for writing a large file without assembling it in memory
 * (`FileSystem.writeFileAtomic` takes parts).
 */
export function safetensorsParts(
  weights: WeightMap,
  metadata: Record<string, string> = {},
): Uint8Array[] {
  const names = [...weights.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: { format: "pt", ...metadata } };
  let offset = 0;
  for (const name of names) {
    const w = weights.get(name)!;
    const n = shapeSize(w.shape);
    if (w.data.length !== n) {
      throw new CheckpointFormatError(
        "writeSafetensors",
        `tensor "${name}": ${w.data.length} values for shape ${JSON.stringify(w.shape)}`,
      );
    }
    header[name] = { dtype: "F32", shape: w.shape, data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const head = new Uint8Array(8 + padded).fill(0x20);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(json, 8);
  const parts: Uint8Array[] = [head];
  for (const name of names) {
    const d = weights.get(name)!.data;
    parts.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  return parts;
}
