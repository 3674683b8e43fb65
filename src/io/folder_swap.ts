/**
 * Replacing a whole folder as one unit through a {@link FileSystem}: the new folder is written
 * complete under a temporary name beside the old one, then swapped in by renames, the old one kept
 * until the new one is in place. A reader sees the old folder or the new one, never a mix of files
 * from both (for the moment between the two renames, no folder); after a crash,
 * {@link recoverFolder} puts back the last complete folder and removes the leftovers.
 * @module
 */
import { dirname, type FileSystem, joinPath } from "./file_system.ts";

/** The temporary names beside `dir`: the folder being written and the one being replaced. */
export function swapNames(dir: string): { next: string; old: string } {
  const clean = dir.replace(/\/+$/, "");
  const base = clean.slice(clean.lastIndexOf("/") + 1);
  const parent = dirname(clean);
  return { next: joinPath(parent, `.${base}.new`), old: joinPath(parent, `.${base}.old`) };
}

/**
 * Writes a new version of folder `dir`: `fill` writes every file into the temporary folder it is
 * given, then that folder takes `dir`'s place (old → `.old`, new → `dir`, `.old` removed).
 */
export async function replaceFolder(
  fs: FileSystem,
  dir: string,
  fill: (tmp: string) => Promise<void>,
): Promise<void> {
  const { next, old } = swapNames(dir);
  await fs.remove(next); // an unfinished one from before
  await fs.mkdirp(next);
  await fill(next);
  if (await fs.exists(dir)) {
    await fs.remove(old);
    await fs.rename(dir, old);
  }
  await fs.rename(next, dir);
  await fs.remove(old);
}

/**
 * Undoes an interrupted {@link replaceFolder} of `dir`: a half-written new folder is removed; when
 * the crash came between the two renames, the old folder (complete) is put back.
 */
export async function recoverFolder(fs: FileSystem, dir: string): Promise<void> {
  const { next, old } = swapNames(dir);
  await fs.remove(next);
  if (!(await fs.exists(old))) return;
  if (await fs.exists(dir)) await fs.remove(old);
  else await fs.rename(old, dir);
}

/** Removes the temporary files of interrupted atomic writes (`.<name>.<id>.tmp`) in `dir`. */
export async function removeTempFiles(fs: FileSystem, dir: string): Promise<void> {
  for (const name of await fs.readDir(dir)) {
    if (name.startsWith(".") && name.endsWith(".tmp")) await fs.remove(joinPath(dir, name));
  }
}
