/**
 * Pieces shared by the CLI commands: reading files with clean errors, loading a trained tagger.
 * @module
 */
import { joinPath } from "../src/bert/file_system.ts";
import { DenoAppendFileSystem } from "../src/io/deno/terminal.ts";
import { type LoadedTagger, loadTaggerFolder } from "../src/tagging/tagger_folder.ts";
import { ArgumentError } from "./args.ts";

/** The file system the CLI uses. */
export const fs: DenoAppendFileSystem = new DenoAppendFileSystem();

/** Reads a whole file; a missing file is an {@link ArgumentError} naming the option. */
export async function readInput(path: string, option: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ArgumentError(`${option} ${path}: no such file`);
    }
    throw e;
  }
}

/** Loads a trained tagger folder (as written by `train --out`). */
export async function loadTrained(dir: string): Promise<LoadedTagger> {
  if (!(await fs.exists(joinPath(dir, "config.json")))) {
    throw new ArgumentError(`--model ${dir}: not a trained tagger folder (no config.json)`);
  }
  return await loadTaggerFolder(fs, dir);
}
