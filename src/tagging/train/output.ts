/**
 * The output folder of a training run: its paths, the clean-up of what an interrupted run left,
 * and cutting the JSONL logs back to a checkpoint's step on resume.
 *
 * Every save is one unit: the best model (`model/`) and the checkpoint (`checkpoint/`) are written
 * as new folders and swapped in by rename; a start first cleans up half-written folders and temp
 * files, so a run killed at any point resumes from its last complete checkpoint.
 * @module
 */
import { type FileSystem, joinPath } from "../../io/file_system.ts";
import { recoverFolder, removeTempFiles } from "../../io/folder_swap.ts";
import { MODEL_DIR } from "../model/tagger_folder.ts";

/** Paths inside the output folder. */
export const OUTPUT_FILES = {
  /** The best model, a complete tagger folder (swapped in as a whole). */
  modelDir: MODEL_DIR,
  checkpointDir: "checkpoint",
  checkpoint: "checkpoint/training_state.safetensors",
  log: "train_log.jsonl",
  metrics: "metrics.json",
} as const;

/** The checkpoint's file inside `checkpoint/`. */
export const CHECKPOINT_STATE = OUTPUT_FILES.checkpoint.slice(
  OUTPUT_FILES.checkpointDir.length + 1,
);

/**
 * Removes what an interrupted run left in `outDir`: half-written `.model.new/` and
 * `.checkpoint.new/` (or the old folder put back when a swap stopped between its renames) and the
 * temp files of atomic writes.
 */
export async function recoverOutput(fs: FileSystem, outDir: string): Promise<void> {
  for (const dir of [OUTPUT_FILES.modelDir, OUTPUT_FILES.checkpointDir]) {
    await recoverFolder(fs, joinPath(outDir, dir));
    await removeTempFiles(fs, joinPath(outDir, dir));
  }
  await removeTempFiles(fs, outDir);
}

/**
 * Keeps the lines of a JSONL file that `keep` accepts, rewriting it atomically when any go (a
 * half-written last line, which does not parse, goes too).
 */
export async function truncateJsonl(
  fs: FileSystem,
  path: string,
  keep: (entry: { type?: string; step?: number; epoch?: number }) => boolean,
): Promise<void> {
  if (!(await fs.exists(path))) return;
  const lines = (await fs.readTextFile(path)).split("\n").filter((l) => l !== "");
  const kept = lines.filter((l) => {
    try {
      return keep(JSON.parse(l));
    } catch {
      return false;
    }
  });
  if (kept.length < lines.length) {
    await fs.writeFileAtomic(path, kept.map((l) => l + "\n").join(""));
  }
}
