/**
 * Deno implementation of the BERT I/O {@link FileSystem} interface.
 * @module
 */

import { dirname, type FileData, type FileSystem } from "../file_system.ts";

/** {@link FileSystem} backed by Deno's file APIs. */
export class DenoFileSystem implements FileSystem {
  readFile(path: string): Promise<Uint8Array> {
    return Deno.readFile(path);
  }
  readTextFile(path: string): Promise<string> {
    return Deno.readTextFile(path);
  }
  /** Temp file next to the target (same file system, so rename is atomic), then rename. */
  async writeFileAtomic(path: string, data: FileData): Promise<void> {
    const dir = dirname(path);
    const base = path.slice(path.lastIndexOf("/") + 1);
    const tmp = `${dir}/.${base}.${crypto.randomUUID()}.tmp`;
    try {
      if (typeof data === "string") await Deno.writeTextFile(tmp, data);
      else if (data instanceof Uint8Array) await Deno.writeFile(tmp, data);
      else await writeParts(tmp, data);
      await Deno.rename(tmp, path);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
  }
  async exists(path: string): Promise<boolean> {
    try {
      await Deno.stat(path);
      return true;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  }
  async mkdirp(path: string): Promise<void> {
    await Deno.mkdir(path, { recursive: true });
  }
  async appendFile(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await Deno.writeFile(path, bytes, { append: true });
  }
  async rename(from: string, to: string): Promise<void> {
    await Deno.rename(from, to);
  }
  async remove(path: string): Promise<void> {
    try {
      await Deno.remove(path, { recursive: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  async readDir(path: string): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(path)) names.push(e.name);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return names.sort();
  }
}

/** Writes `parts` one after another, as they come, into a new file `path`. */
async function writeParts(
  path: string,
  parts: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<void> {
  using file = await Deno.open(path, { write: true, createNew: true });
  for await (const part of parts) {
    // A view of shared memory (a tensor on the CPU backend's arena) is copied first: Deno's
    // writes take plain ArrayBuffers only.
    const bytes = part.buffer instanceof SharedArrayBuffer ? part.slice() : part;
    for (let at = 0; at < bytes.byteLength;) at += await file.write(bytes.subarray(at));
  }
}
