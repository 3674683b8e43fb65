/**
 * Reader for `pytorch_model.bin` files written by `torch.save(state_dict)` (the ZIP format
 * used since PyTorch 1.6). The legacy pre-1.6 tar/raw-pickle format is not supported.
 * @module
 */

import { decodeToF32, DTYPE_BYTES, type StorageDtype } from "./dtype_convert.ts";
import { CheckpointFormatError } from "./errors.ts";
import { isZip, ZipArchive } from "./torch_zip.ts";
import { type PickleCallable, PickleGlobal, unpickle } from "./torch_pickle.ts";
import { shapeSize, type WeightMap } from "./weights.ts";

/** torch storage class name → element dtype. */
const STORAGE_DTYPES: Readonly<Record<string, StorageDtype>> = {
  FloatStorage: "f32",
  HalfStorage: "f16",
  BFloat16Storage: "bf16",
  DoubleStorage: "f64",
  LongStorage: "i64",
  IntStorage: "i32",
  ShortStorage: "i16",
  CharStorage: "i8",
  ByteStorage: "u8",
  BoolStorage: "bool",
  UntypedStorage: "u8",
};

/** A storage referenced by a persistent id: lazily decoded once, shared by its tensors. */
class TorchStorage {
  #f32: Float32Array | undefined;
  constructor(
    readonly key: string,
    readonly dtype: StorageDtype,
    readonly numel: number,
    readonly bytes: Uint8Array,
  ) {}
  get f32(): Float32Array {
    return (this.#f32 ??= decodeToF32(this.bytes, this.dtype, this.numel));
  }
}

/** What `_rebuild_tensor_v2` describes: a strided view of a storage. */
class TorchTensorRef {
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

/** Options for {@link readPytorchBin}. */
export interface ReadPytorchBinOptions {
  /** Receives one line per non-tensor entry skipped (e.g. a nested config). */
  onNotice?: (message: string) => void;
}

/**
 * Decode a PyTorch ZIP checkpoint holding a state dict into float32 weights.
 * Tensors are made contiguous (storage offsets and strides honoured); half, bfloat16,
 * double and integer storages are converted to float32.
 * @param bytes the whole file
 * @param source file name for error messages
 * @throws CheckpointFormatError on legacy (non-ZIP) files or anything undecodable
 */
export function readPytorchBin(
  bytes: Uint8Array,
  source = "pytorch_model.bin",
  options: ReadPytorchBinOptions = {},
): WeightMap {
  if (!isZip(bytes)) {
    throw new CheckpointFormatError(
      source,
      "not a ZIP archive: the legacy (pre-PyTorch-1.6) pickle format is not supported; " +
        "re-save it with torch.save(state_dict, path) or convert it to model.safetensors",
    );
  }
  const zip = new ZipArchive(bytes, source);
  const pkl = [...zip.entries.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) {
    throw new CheckpointFormatError(source, "no <archive>/data.pkl entry (not a torch.save file?)");
  }
  const prefix = pkl.slice(0, -"data.pkl".length);
  const byteorderEntry = zip.entries.get(prefix + "byteorder");
  const bigEndian = byteorderEntry !== undefined &&
    new TextDecoder().decode(zip.read(prefix + "byteorder")).trim() === "big";

  const storages = new Map<string, TorchStorage>();
  const persistentLoad = (pid: unknown): TorchStorage => {
    // ('storage', storage_type, key, location, numel)
    if (!Array.isArray(pid) || pid[0] !== "storage" || pid.length < 5) {
      throw new CheckpointFormatError(source, `unsupported persistent id ${JSON.stringify(pid)}`);
    }
    const [, type, key, , numel] = pid;
    const typeName = type instanceof PickleGlobal ? type.name : String(type);
    const dtype = STORAGE_DTYPES[typeName];
    if (!dtype) throw new CheckpointFormatError(source, `unsupported storage type ${typeName}`);
    const k = String(key);
    let s = storages.get(k);
    if (!s) {
      let raw = zip.read(`${prefix}data/${k}`);
      const n = typeName === "UntypedStorage" ? raw.byteLength : Number(numel);
      if (raw.byteLength < n * DTYPE_BYTES[dtype]) {
        throw new CheckpointFormatError(
          source,
          `storage ${k}: ${raw.byteLength} bytes for ${n} ${typeName} elements`,
        );
      }
      if (bigEndian) raw = swapBytes(raw, DTYPE_BYTES[dtype]);
      s = new TorchStorage(k, dtype, n, raw);
      storages.set(k, s);
    }
    return s;
  };

  const rebuildTensor: PickleCallable = (args) => {
    const [storage, offset, shape, stride] = args;
    if (!(storage instanceof TorchStorage)) {
      throw new CheckpointFormatError(source, "_rebuild_tensor_v2 without a storage argument");
    }
    return new TorchTensorRef(
      storage,
      Number(offset),
      (shape as unknown[]).map(Number),
      (stride as unknown[]).map(Number),
    );
  };
  const classes: Record<string, PickleCallable> = {
    "torch._utils._rebuild_tensor_v2": rebuildTensor,
    "torch._utils._rebuild_tensor": rebuildTensor,
    "torch._utils._rebuild_parameter": (args) => args[0],
    "torch._utils._rebuild_parameter_with_state": (args) => args[0],
    // Tensor subclasses (nn.Parameter in some versions): (func, new_type, args, state).
    "torch._tensor._rebuild_from_type_v2": (args) =>
      (args[0] as PickleCallable)(args[2] as unknown[]),
    "collections.OrderedDict": (args) =>
      new Map((args[0] as [unknown, unknown][] | undefined) ?? []),
    "builtins.dict": () => new Map(),
  };
  const root = unpickle(zip.read(pkl), {
    source: `${source}:${pkl}`,
    persistentLoad,
    findClass: (module, name) => classes[`${module}.${name}`],
  });

  let dict = root;
  // Training checkpoints often wrap the state dict: {"state_dict": {...}} or {"model": {...}}.
  if (dict instanceof Map && ![...dict.values()].some((v) => v instanceof TorchTensorRef)) {
    for (const k of ["state_dict", "model_state_dict", "model", "module"]) {
      if (dict.get(k) instanceof Map) {
        options.onNotice?.(`${source}: using the nested "${k}" dictionary as the state dict`);
        dict = dict.get(k);
        break;
      }
    }
  }
  if (!(dict instanceof Map)) {
    throw new CheckpointFormatError(
      source,
      "the pickled object is not a dict of tensors (state_dict)",
    );
  }
  const out: WeightMap = new Map();
  for (const [name, value] of dict as Map<unknown, unknown>) {
    if (!(value instanceof TorchTensorRef)) {
      options.onNotice?.(`${source}: skipping non-tensor entry "${String(name)}"`);
      continue;
    }
    out.set(String(name), {
      dtype: "f32",
      shape: value.shape,
      data: contiguous(value, String(name), source),
    });
  }
  return out;
}

/** Gather a strided view into a fresh row-major Float32Array. */
function contiguous(t: TorchTensorRef, name: string, source: string): Float32Array {
  const n = shapeSize(t.shape);
  if (n === 0) return new Float32Array(0);
  // Bounds: the farthest element addressed must lie inside the storage.
  let last = t.offset;
  for (let d = 0; d < t.shape.length; d++) last += (t.shape[d] - 1) * t.stride[d];
  if (t.offset < 0 || last >= t.storage.numel) {
    throw new CheckpointFormatError(
      source,
      `tensor "${name}": view (offset ${t.offset}, shape ${JSON.stringify(t.shape)}, stride ${
        JSON.stringify(t.stride)
      }) exceeds its storage of ${t.storage.numel} elements`,
    );
  }
  const src = t.storage.f32;
  let isContiguous = true;
  for (let d = t.shape.length - 1, expect = 1; d >= 0; d--) {
    if (t.shape[d] !== 1 && t.stride[d] !== expect) isContiguous = false;
    expect *= t.shape[d];
  }
  if (isContiguous) return src.slice(t.offset, t.offset + n);
  const out = new Float32Array(n);
  const rank = t.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let p = t.offset;
  for (let i = 0; i < n; i++) {
    out[i] = src[p];
    // Odometer increment over the multi-index, updating the storage position incrementally.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      p += t.stride[d];
      if (idx[d] < t.shape[d]) break;
      p -= t.stride[d] * t.shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

function swapBytes(b: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(b.byteLength);
  for (let i = 0; i + width <= b.byteLength; i += width) {
    for (let j = 0; j < width; j++) out[i + j] = b[i + width - 1 - j];
  }
  return out;
}
