/**
 * Pieces shared by the CLI commands: reading and writing files with errors that name the flag and
 * path in plain words (not the raw OS error), checking file flags before anything is read or
 * written, loading a trained tagger.
 * @module
 */
import { joinPath } from "../bert.ts";
import { type LoadedTagger, loadTaggerFolder } from "../tagging.ts";
import { DenoAppendFileSystem } from "../deno.ts";
import { ArgumentError } from "./args.ts";

/** The file system the CLI uses. */
export const fs: DenoAppendFileSystem = new DenoAppendFileSystem();

/** What an OS error means, in words (null for errors that are not about the file system). */
function plainOsError(e: unknown): string | null {
  if (e instanceof Deno.errors.NotFound) return "no such file or folder";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotCapable) {
    return "not allowed (run with --allow-read/--allow-write)";
  }
  if (e instanceof Deno.errors.IsADirectory) return "is a folder, not a file";
  if (e instanceof Deno.errors.NotADirectory) return "a part of the path is a file, not a folder";
  if (e instanceof Deno.errors.AlreadyExists) return "already exists";
  if (e instanceof Deno.errors.FilesystemLoop) return "too many symbolic links";
  return null;
}

/**
 * `e` as an {@link ArgumentError} `--flag path: what went wrong` when it is an OS error, else
 * `e` unchanged (so a corpus error keeps its file, line and field).
 */
export function osError(e: unknown, flag: string, path: string): unknown {
  const plain = plainOsError(e);
  return plain === null ? e : new ArgumentError(`${flag} ${path}: ${plain}`);
}

/** Runs `fn`, rewriting an OS error into one that names `flag` and `path`. */
export async function withPath<T>(flag: string, path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw osError(e, flag, path);
  }
}

/** Reads a whole file; OS errors name the option and path in plain words. */
export async function readInput(path: string, option: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ArgumentError(`${option} ${path}: no such file`);
    }
    throw osError(e, option, path);
  }
}

/** What a path is now: "file", "folder", or null when nothing is there. */
async function kindOf(path: string): Promise<"file" | "folder" | null> {
  try {
    const st = await Deno.stat(path);
    return st.isDirectory ? "folder" : "file";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Checks that `path` (given by `flag`) is an existing file, before anything is read. */
export async function checkInputFile(flag: string, path: string): Promise<void> {
  const kind = await withPath(flag, path, () => kindOf(path));
  if (kind === null) throw new ArgumentError(`${flag} ${path}: no such file`);
  if (kind === "folder") throw new ArgumentError(`${flag} ${path}: is a folder, not a file`);
}

/** Checks that `path` (given by `flag`) is an existing folder, before anything is read. */
export async function checkInputFolder(flag: string, path: string): Promise<void> {
  const kind = await withPath(flag, path, () => kindOf(path));
  if (kind === null) throw new ArgumentError(`${flag} ${path}: no such folder`);
  if (kind === "file") throw new ArgumentError(`${flag} ${path}: is a file, not a folder`);
}

/** Checks that a folder can be made at `path` (it is one, or nothing is there), before writing. */
export async function checkOutputFolder(flag: string, path: string): Promise<void> {
  const kind = await withPath(flag, path, () => kindOf(path));
  if (kind === "file") throw new ArgumentError(`${flag} ${path}: is a file; give a folder`);
}

/** Checks that a file can be written at `path`: not a folder, and its folder exists. */
export async function checkOutputFile(flag: string, path: string): Promise<void> {
  const kind = await withPath(flag, path, () => kindOf(path));
  if (kind === "folder") throw new ArgumentError(`${flag} ${path}: is a folder; give a file name`);
  const slash = path.lastIndexOf("/");
  const parent = slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".";
  const parentKind = await withPath(flag, path, () => kindOf(parent));
  if (parentKind !== "folder") {
    throw new ArgumentError(`${flag} ${path}: the folder ${parent} does not exist`);
  }
}

/** Loads a trained tagger folder (as written by `train --out`). */
export async function loadTrained(dir: string): Promise<LoadedTagger> {
  await checkInputFolder("--model", dir);
  if (!(await fs.exists(joinPath(dir, "config.json")))) {
    throw new ArgumentError(`--model ${dir}: not a trained tagger folder (no config.json)`);
  }
  return await withPath("--model", dir, () => loadTaggerFolder(fs, dir));
}

/**
 * The last line of a command that wrote into `dir`: `wrote dir/: a.json, b.safetensors, c/`
 * (what is there now, temporary files left out), plus any `extra` paths outside it.
 */
export async function writtenLine(dir: string, extra: readonly string[] = []): Promise<string> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.startsWith(".")) names.push(e.isDirectory ? `${e.name}/` : e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const parts = [`${dir.replace(/\/$/, "")}/: ${names.sort().join(", ")}`, ...extra];
  return `wrote ${parts.join("; ")}`;
}
