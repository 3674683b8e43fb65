/**
 * Continuing from a fine-tuned checkpoint: a new run's task takes over the checkpoint's head for
 * the same task (or, for the main task, the checkpoint's main head) when every label the data has
 * is among the head's labels; the task then uses the head's label order. Otherwise the task starts
 * with a fresh head, and a note says which labels were missing.
 * @module
 */
import type { WeightMap } from "../../bert/weights.ts";
import type { PretrainedHeads, TaggerMeta } from "./tagger_folder.ts";

/** What {@link reuseHeads} decided. */
export interface HeadReuse {
  /** `meta` with the label order of every reused head. */
  meta: TaggerMeta;
  /** The reused heads as `<task>.weight` / `<task>.bias` (for MultiTaskTagger.loadHeads). */
  heads: WeightMap;
  /** One line per task that had a candidate head: reused, or why not. */
  notes: string[];
}

/** Matches the tasks of `meta` with the checkpoint's heads (see the module doc). */
export function reuseHeads(
  meta: TaggerMeta,
  pretrained: PretrainedHeads,
  source: string,
): HeadReuse {
  const heads: WeightMap = new Map();
  const notes: string[] = [];
  const tasks = meta.tasks.map((t) => {
    const byName = pretrained.heads[t.name];
    const head = byName ??
      (t.name === meta.mainTask ? pretrained.heads[pretrained.mainTask] : undefined);
    if (!head) return t;
    const from = byName ? t.name : pretrained.mainTask;
    const missing = t.labels.labels.filter((l) => !head.labels.includes(l));
    if (missing.length) {
      notes.push(
        `${source}: task ${t.name} starts with a fresh head: the data's labels ${
          missing.join(" ")
        } are not among the ${head.labels.length} labels of its ${from} head (${
          head.labels.join(" ")
        })`,
      );
      return t;
    }
    heads.set(`${t.name}.weight`, head.weight);
    heads.set(`${t.name}.bias`, head.bias);
    notes.push(
      `${source}: task ${t.name} continues from its ${from} head (${head.labels.length} labels)`,
    );
    return { ...t, labels: { column: t.labels.column, labels: head.labels.slice() } };
  });
  return { meta: { ...meta, tasks }, heads, notes };
}
