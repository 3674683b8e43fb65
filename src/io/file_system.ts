/**
 * The file-system operations the BERT I/O code needs, as an interface, so library code
 * stays free of any runtime API (Deno.*, node:fs) and bundles for the browser. The Deno
 * implementation lives in src/io/deno/fs.ts; {@link MemoryFileSystem} serves tests and
 * in-browser use.
 * @module
 */

/**
 * What a file is written from: bytes, text (stored as UTF-8), or byte parts written one after
 * another as they come (an array, or a generator), so that a large file (a training checkpoint) is
 * never assembled in memory.
 */
export type FileData = Uint8Array | string | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Minimal async file system. Paths use "/" separators. */
export interface FileSystem {
  /** Whole file as bytes. Rejects when it does not exist. */
  readFile(path: string): Promise<Uint8Array>;
  /** Whole file decoded as UTF-8. */
  readTextFile(path: string): Promise<string>;
  /**
   * Write via a temporary file in the same folder and rename it into place, so readers
   * never observe a half-written file (an interrupted download leaves no corrupt cache).
   */
  writeFileAtomic(path: string, data: FileData): Promise<void>;
  /** Whether a file or folder exists. */
  exists(path: string): Promise<boolean>;
  /** Create a folder and its parents; no error if it exists. */
  mkdirp(path: string): Promise<void>;
  /** Append to a file, creating it when missing (a JSONL log grows without being rewritten). */
  appendFile(path: string, data: Uint8Array | string): Promise<void>;
  /**
   * Rename a file or folder in one step (same file system). A file replaces an existing file;
   * a folder's target must not exist.
   */
  rename(from: string, to: string): Promise<void>;
  /** Remove a file, or a folder with everything in it; no error if nothing is there. */
  remove(path: string): Promise<void>;
  /** Names of the entries of a folder ([] when it does not exist). */
  readDir(path: string): Promise<string[]>;
}

/** Join path segments with "/", collapsing duplicate separators. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined.replace(/\/{2,}/g, "/");
}

/** Parent folder of a "/"-separated path ("." for a bare name). */
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/** In-memory {@link FileSystem}: files in a Map, folders implied by file paths. */
export class MemoryFileSystem implements FileSystem {
  /** path → contents. */
  readonly files: Map<string, Uint8Array> = new Map();
  readonly #dirs = new Set<string>();

  /**
   * Creates the file system, optionally with files in it.
   * @param initial files to start with (path → bytes or text; text is stored as UTF-8)
   */
  constructor(initial: Record<string, Uint8Array | string> = {}) {
    for (const [p, d] of Object.entries(initial)) this.files.set(norm(p), toBytes(d));
  }
  readFile(path: string): Promise<Uint8Array> {
    const d = this.files.get(norm(path));
    return d ? Promise.resolve(d) : Promise.reject(new MemoryFileNotFound(path));
  }
  async readTextFile(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readFile(path));
  }
  async writeFileAtomic(path: string, data: FileData): Promise<void> {
    const bytes = typeof data === "string" || data instanceof Uint8Array
      ? toBytes(data)
      : concatBytes(await Array.fromAsync(data));
    this.files.set(norm(path), bytes);
  }
  exists(path: string): Promise<boolean> {
    const p = norm(path);
    if (this.files.has(p) || this.#dirs.has(p)) return Promise.resolve(true);
    for (const f of this.files.keys()) if (f.startsWith(p + "/")) return Promise.resolve(true);
    return Promise.resolve(false);
  }
  mkdirp(path: string): Promise<void> {
    this.#dirs.add(norm(path));
    return Promise.resolve();
  }
  appendFile(path: string, data: Uint8Array | string): Promise<void> {
    const p = norm(path);
    const old = this.files.get(p);
    const add = toBytes(data);
    const joined = new Uint8Array((old?.length ?? 0) + add.length);
    if (old) joined.set(old);
    joined.set(add, old?.length ?? 0);
    this.files.set(p, joined);
    return Promise.resolve();
  }
  rename(from: string, to: string): Promise<void> {
    const f = norm(from);
    const t = norm(to);
    const file = this.files.get(f);
    if (file) {
      this.files.delete(f);
      this.files.set(t, file);
      return Promise.resolve();
    }
    if (!this.#isDir(f)) return Promise.reject(new MemoryFileNotFound(from));
    if (this.#isDir(t)) return Promise.reject(new Error(`${to}: folder exists`));
    for (const [p, d] of [...this.files]) {
      if (p.startsWith(f + "/")) this.files.delete(p), this.files.set(t + p.slice(f.length), d);
    }
    for (const d of [...this.#dirs]) {
      if (d === f || d.startsWith(f + "/")) {
        this.#dirs.delete(d), this.#dirs.add(t + d.slice(f.length));
      }
    }
    return Promise.resolve();
  }
  remove(path: string): Promise<void> {
    const p = norm(path);
    this.files.delete(p);
    for (const f of [...this.files.keys()]) if (f.startsWith(p + "/")) this.files.delete(f);
    for (const d of [...this.#dirs]) if (d === p || d.startsWith(p + "/")) this.#dirs.delete(d);
    return Promise.resolve();
  }
  readDir(path: string): Promise<string[]> {
    const p = norm(path);
    const prefix = p === "." || p === "" ? "" : p + "/";
    const names = new Set<string>();
    for (const f of [...this.files.keys(), ...this.#dirs]) {
      if (f.startsWith(prefix) && f.length > prefix.length) {
        names.add(f.slice(prefix.length).split("/")[0]);
      }
    }
    return Promise.resolve([...names].sort());
  }
  /** Whether `p` (normalised) is a folder: made by mkdirp or implied by a file in it. */
  #isDir(p: string): boolean {
    if (this.#dirs.has(p)) return true;
    for (const f of this.files.keys()) if (f.startsWith(p + "/")) return true;
    return false;
  }
}

/** Raised by {@link MemoryFileSystem.readFile} for a missing path. */
export class MemoryFileNotFound extends Error {
  /** Creates the error for `path`, the path that was read; the message is `path: no such file`. */
  constructor(readonly path: string) {
    super(`${path}: no such file`);
    this.name = "MemoryFileNotFound";
  }
}

function norm(p: string): string {
  return joinPath(p).replace(/\/$/, "");
}

function toBytes(d: Uint8Array | string): Uint8Array {
  return typeof d === "string" ? new TextEncoder().encode(d) : d;
}

/** The parts as one array (in memory, where a file is one array anyway). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
