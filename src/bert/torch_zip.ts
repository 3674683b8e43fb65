/**
 * Minimal ZIP reader for PyTorch checkpoints (`torch.save` since 1.6 writes a ZIP whose
 * entries are *stored*, i.e. uncompressed, and 64-byte aligned). Handles zip64 records,
 * which PyTorch emits for large archives. Compressed entries are rejected with a clear error
 * rather than silently mis-read.
 * @module
 */

import { CheckpointFormatError } from "./errors.ts";

/** One file of the archive, located by the central directory. */
export interface ZipEntry {
  /** Path inside the archive, e.g. `archive/data.pkl`. */
  name: string;
  /** 0 = stored, 8 = deflate (not supported by {@link ZipArchive.read}). */
  method: number;
  /** Bytes of the entry's data in the archive. */
  compressedSize: number;
  /** Bytes of the data once extracted (equal to `compressedSize` for stored entries). */
  size: number;
  /** Offset of the local file header. */
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

/** True when the bytes start with a ZIP local-file-header signature ("PK\x03\x04"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 &&
    bytes[3] === 4;
}

/** Read-only view of a ZIP archive held in memory. */
export class ZipArchive {
  /** Entries by name, in central-directory order. */
  readonly entries: Map<string, ZipEntry> = new Map();
  readonly #bytes: Uint8Array;
  readonly #dv: DataView;

  /**
   * Parse the central directory.
   * @param bytes the whole archive
   * @param source file name for error messages
   * @throws CheckpointFormatError when no (valid) end-of-central-directory record exists
   */
  constructor(bytes: Uint8Array, readonly source = "archive.zip") {
    this.#bytes = bytes;
    this.#dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const eocd = this.#findEocd();
    let count = this.#u16(eocd + 10);
    let cdSize = this.#u32(eocd + 12);
    let cdOffset = this.#u32(eocd + 16);
    const locator = eocd - 20;
    if (locator >= 0 && this.#u32(locator) === SIG_ZIP64_LOCATOR) {
      const z = this.#u64(locator + 8);
      if (z + 56 > bytes.byteLength || this.#u32(z) !== SIG_ZIP64_EOCD) {
        throw this.#err(`zip64 end-of-central-directory record missing at offset ${z}`);
      }
      count = this.#u64(z + 32);
      cdSize = this.#u64(z + 40);
      cdOffset = this.#u64(z + 48);
    } else if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
      throw this.#err("zip64 sizes announced but no zip64 locator found");
    }
    if (cdOffset + cdSize > bytes.byteLength) {
      throw this.#err(
        `central directory [${cdOffset}, +${cdSize}) beyond end of file (truncated download?)`,
      );
    }
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > bytes.byteLength || this.#u32(p) !== SIG_CENTRAL) {
        throw this.#err(`central directory entry ${i} corrupt at offset ${p}`);
      }
      const method = this.#u16(p + 10);
      let compressedSize = this.#u32(p + 20);
      let size = this.#u32(p + 24);
      const nameLen = this.#u16(p + 28);
      const extraLen = this.#u16(p + 30);
      const commentLen = this.#u16(p + 32);
      let localHeaderOffset = this.#u32(p + 42);
      const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
      // zip64 extended information: only the fields saturated in the header are present,
      // in the fixed order size, compressed size, local header offset.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = this.#u16(e);
        const len = this.#u16(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === U32_MAX) (size = this.#u64(q)), (q += 8);
          if (compressedSize === U32_MAX) (compressedSize = this.#u64(q)), (q += 8);
          if (localHeaderOffset === U32_MAX) localHeaderOffset = this.#u64(q);
        }
        e += 4 + len;
      }
      this.entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
      p = extraEnd + commentLen;
    }
  }

  /**
   * The bytes of a stored entry (a view into the archive, no copy).
   * @throws CheckpointFormatError if absent, compressed or truncated
   */
  read(name: string): Uint8Array {
    const entry = this.entries.get(name);
    if (!entry) throw this.#err(`entry "${name}" not found`);
    if (entry.method !== 0) {
      throw this.#err(
        `entry "${name}" uses compression method ${entry.method}; only stored (uncompressed) entries are supported, as written by torch.save`,
      );
    }
    const h = entry.localHeaderOffset;
    if (h + 30 > this.#bytes.byteLength || this.#u32(h) !== SIG_LOCAL) {
      throw this.#err(`local header of "${name}" corrupt at offset ${h}`);
    }
    // The local extra field may differ from the central one (PyTorch pads it for alignment).
    const start = h + 30 + this.#u16(h + 26) + this.#u16(h + 28);
    const end = start + entry.size;
    if (end > this.#bytes.byteLength) {
      throw this.#err(
        `entry "${name}" [${start}, ${end}) beyond end of file (truncated download?)`,
      );
    }
    return this.#bytes.subarray(start, end);
  }

  #findEocd(): number {
    const b = this.#bytes;
    const min = Math.max(0, b.byteLength - 22 - U16_MAX);
    for (let p = b.byteLength - 22; p >= min; p--) {
      if (b[p] === 0x50 && b[p + 1] === 0x4b && this.#u32(p) === SIG_EOCD) {
        // Reject matches inside the comment: the comment must end exactly at end of file.
        if (p + 22 + this.#u16(p + 20) === b.byteLength) return p;
      }
    }
    throw this.#err("no end-of-central-directory record (not a ZIP file, or truncated)");
  }

  #u16(p: number): number {
    return this.#dv.getUint16(p, true);
  }
  #u32(p: number): number {
    return this.#dv.getUint32(p, true);
  }
  #u64(p: number): number {
    const v = this.#dv.getBigUint64(p, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.#err(`64-bit field ${v} at ${p} too large`);
    return Number(v);
  }
  #err(detail: string): CheckpointFormatError {
    return new CheckpointFormatError(this.source, detail);
  }
}
