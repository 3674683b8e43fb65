/**
 * Conversions from the storage dtypes found in checkpoints to float32.
 * Inputs are raw little-endian bytes at any byte offset (checkpoint payloads are not
 * guaranteed to be aligned for a typed-array view), outputs are fresh Float32Arrays.
 * @module
 */

/** Storage dtypes a checkpoint reader can decode. */
export type StorageDtype =
  | "f32"
  | "f16"
  | "bf16"
  | "f64"
  | "i64"
  | "i32"
  | "i16"
  | "i8"
  | "u8"
  | "bool";

/** Bytes per element of each storage dtype. */
export const DTYPE_BYTES: Readonly<Record<StorageDtype, number>> = {
  f32: 4,
  f16: 2,
  bf16: 2,
  f64: 8,
  i64: 8,
  i32: 4,
  i16: 2,
  i8: 1,
  u8: 1,
  bool: 1,
};

/** IEEE half → float32, exact (every f16 value is representable in f32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal (and ±0)
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decode `count` little-endian elements of `dtype` starting at `bytes[0]` into float32.
 * Integers beyond 2^24 lose precision (they only appear in index buffers we ignore).
 */
export function decodeToF32(bytes: Uint8Array, dtype: StorageDtype, count: number): Float32Array {
  const out = new Float32Array(count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "f32":
      // Byte copy instead of a view: the payload may be unaligned and the result must not
      // keep the whole file alive.
      new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
      if (!LITTLE_ENDIAN_HOST) {
        for (let i = 0; i < count; i++) {
          out[i] = dv.getFloat32(i * 4, true);
        }
      }
      break;
    case "f16": {
      // 64K-entry table: f16 decode is a pure lookup, ~10x faster than the arithmetic path.
      const table = halfTable();
      for (let i = 0; i < count; i++) out[i] = table[dv.getUint16(i * 2, true)];
      break;
    }
    case "bf16": {
      // bf16 is the top half of an f32: shift into place through an Uint32 view.
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(i * 2, true) << 16;
      break;
    }
    case "f64":
      for (let i = 0; i < count; i++) out[i] = dv.getFloat64(i * 8, true);
      break;
    case "i64":
      for (let i = 0; i < count; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
      break;
    case "i32":
      for (let i = 0; i < count; i++) out[i] = dv.getInt32(i * 4, true);
      break;
    case "i16":
      for (let i = 0; i < count; i++) out[i] = dv.getInt16(i * 2, true);
      break;
    case "i8":
      for (let i = 0; i < count; i++) out[i] = dv.getInt8(i);
      break;
    case "u8":
    case "bool":
      for (let i = 0; i < count; i++) out[i] = bytes[i];
      break;
  }
  return out;
}

/** float32 → IEEE half bits, round-to-nearest-even (used by tests and f16 writers). */
export function floatToHalf(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let frac = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (frac ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    frac |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = frac >> shift;
    const rem = frac & ((1 << shift) - 1);
    if (rem > half || (rem === half && (m & 1))) m++;
    return sign | m;
  }
  let m = frac >> 13;
  const rem = frac & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 31) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let HALF_TABLE: Float32Array | undefined;
function halfTable(): Float32Array {
  if (!HALF_TABLE) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  return HALF_TABLE;
}
