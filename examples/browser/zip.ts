/**
 * A minimal ZIP writer for the page's "download the trained model": every file *stored*
 * (uncompressed — safetensors of random-looking floats barely compress), with CRC-32, so the
 * archive opens in any unzip tool and in the project's own reader (src/bert/torch_zip.ts).
 * No zip64: archives stay far below 4 GiB here.
 * @module
 */

/** Raised when an archive would need zip64 (a file or the archive at 4 GiB or more). */
export class ZipTooLargeError extends Error {
  constructor(readonly entry: string, readonly bytes: number) {
    super(`zip: ${entry} is ${bytes} bytes, beyond the 4 GiB a non-zip64 archive can hold`);
    this.name = "ZipTooLargeError";
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE, as ZIP and gzip use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive of `files` (path inside the archive → bytes), in the given order, all under
 * `folder/` when a folder name is given.
 */
export function zipStore(files: Record<string, Uint8Array>, folder = ""): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [path, data] of Object.entries(files)) {
    const name = enc.encode(folder ? `${folder}/${path}` : path);
    if (data.length >= 0xffffffff || offset >= 0xffffffff) {
      throw new ZipTooLargeError(path, data.length);
    }
    const crc = crc32(data);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, 0x0800, true); // UTF-8 names
    l.setUint16(8, 0, true); // stored
    l.setUint16(10, 0, true); // time 00:00
    l.setUint16(12, (1980 - 1980) << 9 | 1 << 5 | 1, true); // 1980-01-01: reproducible archives
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, 0, true);
    c.setUint16(14, 1 << 5 | 1, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const cdSize = centrals.reduce((n, b) => n + b.length, 0);
  const eocd = new Uint8Array(22);
  const e = new DataView(eocd.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, centrals.length, true);
  e.setUint16(10, centrals.length, true);
  e.setUint32(12, cdSize, true);
  e.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + eocd.length);
  let p = 0;
  for (const b of [...locals, ...centrals, eocd]) out.set(b, p), (p += b.length);
  return out;
}
