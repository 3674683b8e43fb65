/**
 * Child process of output_atomic_test.ts: trains a tiny tagger into `out` (3 epochs of 4 updates, a
 * checkpoint every 3 updates and at each epoch end), on a file system that kills this process with SIGKILL just before its
 * `crashAt`-th change to the disk (a file write, append, rename, removal or new folder), a crash at
 * a chosen point of a save. With `crashAt` 0 it runs to the end and prints, as JSON lines, every
 * folder swapped in (`{"swap": "model", "files": {name: hash}}`) and finally `{"ops": N}`.
 *
 * Usage: deno run -A output_atomic_child.ts <out> <crashAt> [resume]
 * @module
 */
import { DenoFileSystem } from "../../../src/io/deno/fs.ts";
import type { FileData } from "../../../src/io/file_system.ts";
import { trainTagger } from "../../../src/tagging/train/mod.ts";
import { tinySetup } from "../tagger_fixture.ts";

/** The options of the run (the parent resumes with the same). */
export const RUN = { epochs: 3, batchSize: 8, lr: 3e-2, seed: 2 } as const;
/** Checkpoint every this many updates. */
export const CHECKPOINT_EVERY = 3;

/** FNV-1a of the bytes, as hex: enough to tell two saves apart. */
export function hash(b: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return `${h.toString(16)}:${b.length}`;
}

/** The files of a folder (one level), name → hash. */
export function folderHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isFile) out[e.name] = hash(Deno.readFileSync(`${dir}/${e.name}`));
  }
  return out;
}

/** A DenoFileSystem that dies before change number `crashAt` (0: never) and reports swaps. */
class CrashingFs extends DenoFileSystem {
  ops = 0;
  constructor(readonly crashAt: number) {
    super();
  }
  #op(): void {
    if (++this.ops === this.crashAt) Deno.kill(Deno.pid, "SIGKILL");
  }
  override writeFileAtomic(path: string, data: FileData): Promise<void> {
    this.#op();
    return super.writeFileAtomic(path, data);
  }
  override appendFile(path: string, data: Uint8Array | string): Promise<void> {
    this.#op();
    return super.appendFile(path, data);
  }
  override async rename(from: string, to: string): Promise<void> {
    this.#op();
    await super.rename(from, to);
    const name = to.slice(to.lastIndexOf("/") + 1);
    if (this.crashAt === 0 && (name === "model" || name === "checkpoint")) {
      console.log(JSON.stringify({ swap: name, files: folderHashes(to) }));
    }
  }
  override remove(path: string): Promise<void> {
    this.#op();
    return super.remove(path);
  }
  override mkdirp(path: string): Promise<void> {
    this.#op();
    return super.mkdirp(path);
  }
}

if (import.meta.main) {
  const [out, crashAt, mode] = Deno.args;
  const fs = new CrashingFs(Number(crashAt));
  const s = tinySetup(40);
  const model = s.fresh();
  await trainTagger(s.input(model, fs, out), RUN, {
    resume: mode === "resume",
    checkpointEvery: CHECKPOINT_EVERY,
  });
  model.dispose();
  if (fs.crashAt === 0) console.log(JSON.stringify({ ops: fs.ops }));
}
