/**
 * `train` writes the model card (README.md) of its output folder: data, tasks, scores and the
 * command line that reproduces the run.
 * @module
 */
import { joinPath } from "../bert.ts";
import { type Evaluation, TAGGER_FILES, type TaggerMeta } from "../tagging.ts";
import { modelCard } from "../src/tagging/model/model_card.ts";
import { fs } from "./files.ts";
import type { Flags } from "./run_setup.ts";

/** A shell word: as is when it is plain, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w./=:,@+%-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Writes `<out>/README.md` for the run of `train argv`. */
export async function writeTrainCard(out: string, input: {
  argv: readonly string[];
  flags: Flags;
  meta: TaggerMeta;
  sizes: { train: number; dev: number; test?: number };
  dev?: Omit<Evaluation, "predictions">;
  test?: Omit<Evaluation, "predictions">;
}): Promise<void> {
  const f = input.flags;
  const data = [
    {
      part: "train",
      source: String(f.train ?? "generated demo corpus"),
      sentences: input.sizes.train,
    },
    {
      part: "dev",
      source: f.dev !== undefined ? String(f.dev) : `seeded ${f.split ?? 0.1} split of train`,
      sentences: input.sizes.dev,
    },
    ...(input.sizes.test !== undefined
      ? [{ part: "test", source: String(f.test), sentences: input.sizes.test }]
      : []),
  ];
  const command = ["jointag", "train", ...input.argv].map(shellWord).join(" ");
  await fs.writeFileAtomic(
    joinPath(out, TAGGER_FILES.card),
    modelCard({ meta: input.meta, data, dev: input.dev, test: input.test, command }),
  );
}
