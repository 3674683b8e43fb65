/**
 * `train`'s rules for an output folder that already holds a run: without `--resume` it is refused
 * unless `--overwrite` (which removes the old run's files first); with `--resume`, flags that
 * differ from the run's settings are refused by name, a larger `--epochs` extends the run, and a
 * finished run is reported and left as it is.
 * @module
 */
import { joinPath } from "../bert.ts";
import type { TrainingState } from "../src/tagging/train/checkpoint_state.ts";
import { OUTPUT_FILES } from "../src/tagging/train/mod.ts";
import { ArgumentError } from "./args.ts";
import { fs } from "./files.ts";
import { parseTasks } from "./data.ts";
import type { Flags } from "./run_setup.ts";

/** Entries whose presence marks `--out` as holding a run. */
const RUN_MARKERS = [
  OUTPUT_FILES.modelDir,
  OUTPUT_FILES.checkpointDir,
  OUTPUT_FILES.log,
  OUTPUT_FILES.metrics,
  "config.json",
] as const;

/** Every file a run (and `evaluate` into its folder) writes, removed by `--overwrite`. */
const RUN_FILES = [
  ...RUN_MARKERS,
  "model.safetensors",
  "model.safetensors.index.json",
  "heads.safetensors",
  "tagger.json",
  "README.md",
  "vocab.txt",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "test_predictions.conll",
  "predictions.conll",
];

/** The run entries found in `out` (empty when it holds no run). */
export async function runEntries(out: string): Promise<string[]> {
  const names = new Set(await fs.readDir(out));
  return RUN_MARKERS.filter((n) => names.has(n));
}

/**
 * Refuses to start over an existing run without `--resume` or `--overwrite`.
 * @throws ArgumentError naming what is there and the flags that decide
 */
export async function checkOutRun(f: Flags, out: string): Promise<void> {
  if (f.resume === true && f.overwrite === true) {
    throw new ArgumentError("--resume and --overwrite contradict each other: give one");
  }
  const found = await runEntries(out);
  if (found.length && f.resume !== true && f.overwrite !== true) {
    throw new ArgumentError(
      `--out ${out} already holds a run (${found.join(", ")}): --resume continues it, ` +
        `--overwrite replaces it`,
    );
  }
}

/** Removes an earlier run's files from `out` (for `--overwrite`); other files stay. */
export async function removeRun(out: string): Promise<void> {
  if (!(await runEntries(out)).length) return;
  for (const name of await fs.readDir(out)) {
    const temp = name.startsWith(".") &&
      (name.endsWith(".tmp") || /^\.(model|checkpoint)\.(new|old)$/.test(name));
    if (temp || RUN_FILES.includes(name)) await fs.remove(joinPath(out, name));
  }
}

/** A flag given for a resume and the run's own value, when they differ. */
interface Change {
  flag: string;
  given: unknown;
  run: unknown;
}

/** The flags given now that differ from what the run was made with. */
function changedFlags(f: Flags, s: TrainingState): Change[] {
  const o = s.options;
  const meta = s.meta;
  const maxPos = Number(s.bertConfig.max_position_embeddings ?? Infinity);
  const taskWeight = (t: string) => meta.tasks.find((x) => x.name === t)?.weight ?? 1;
  const weights = (v: unknown) => parseTasks(v as string, "--task-weights");
  // flag → [the given value as the run stores it, the run's value] (compared as strings).
  const rules: Record<string, (v: unknown) => [unknown, unknown]> = {
    "batch-size": (v) => [v, o.batchSize],
    lr: (v) => [v, o.lr],
    "weight-decay": (v) => [v, o.weightDecay],
    warmup: (v) => [v, o.warmupFraction],
    patience: (v) => [v, o.patience],
    seed: (v) => [v, o.seed],
    "length-buckets": (v) => [v, o.lengthBuckets === true],
    "main-task": (v) => [v, meta.mainTask],
    "head-dropout": (v) => [v, meta.headDropout],
    "max-length": (v) => [Math.min(v as number, maxPos), meta.maxLength],
    "label-all-subwords": (v) => [v, meta.labelAllSubwords],
    model: (v) => [v, meta.baseModel?.id ?? "the built-in demo BERT"],
    "encoder-dropout": (v) => [v, s.bertConfig.hidden_dropout_prob],
    tasks: (v) => [
      parseTasks(v as string).map(([t]) => t).join(","),
      meta.tasks.map((t) => t.name).join(","),
    ],
    "task-weights": (v) => [
      weights(v).map(([t, w]) => `${t}=${Number(w)}`).join(","),
      weights(v).map(([t]) => `${t}=${taskWeight(t)}`).join(","),
    ],
  };
  const changes: Change[] = [];
  for (const [flag, rule] of Object.entries(rules)) {
    if (f[flag] === undefined) continue;
    const [given, run] = rule(f[flag]);
    if (String(given) !== String(run)) changes.push({ flag, given: f[flag], run });
  }
  return changes;
}

/** What a resume of `state` does with the flags given: the epochs to extend to, if any. */
export interface ResumePlan {
  /** More epochs than the run's own, from `--epochs`. */
  extendEpochs?: number;
  /** Whether the run has nothing left to do (every epoch done or stopped early). */
  finished: boolean;
  /** A line for people saying what happens. */
  note?: string;
}

/**
 * Checks the flags of `train --resume` against the run's checkpoint and says what the resume
 * does. @throws ArgumentError naming every flag whose value differs from the run's
 */
export function planResume(f: Flags, s: TrainingState, out: string): ResumePlan {
  const changes = changedFlags(f, s);
  const epochs = f.epochs as number | undefined;
  if (epochs !== undefined && epochs < s.options.epochs) {
    changes.push({ flag: "epochs", given: epochs, run: s.options.epochs });
  }
  if (changes.length) {
    const list = changes.map((c) => `--${c.flag} ${c.given} (the run: ${c.run})`).join(", ");
    throw new ArgumentError(
      `--resume: ${out} was trained with other settings: ${list}. Drop ${
        changes.length > 1 ? "these flags" : "the flag"
      } to continue the run as it was, or start a new one (another --out, or --overwrite)`,
    );
  }
  const stoppedEarly = s.badEpochs >= s.options.patience;
  const extend = epochs !== undefined && epochs > s.options.epochs && !stoppedEarly;
  const target = extend ? epochs : s.options.epochs;
  const best = s.bestEpoch > 0 ? `, best dev epoch ${s.bestEpoch}` : "";
  if (stoppedEarly) {
    return {
      finished: true,
      note: `${out}: the run stopped early after epoch ${s.epoch} (no better dev score for ` +
        `${s.options.patience} epochs${best}); nothing to resume, nothing changed`,
    };
  }
  if (s.epoch >= target) {
    return {
      finished: true,
      note: `${out}: the run already finished its ${s.options.epochs} epochs${best}; nothing ` +
        `changed (--resume --epochs N with N > ${s.options.epochs} trains on)`,
    };
  }
  return extend
    ? {
      finished: false,
      extendEpochs: epochs,
      note: `--epochs ${epochs}: extending the run from ${s.options.epochs} epochs (on purpose)`,
    }
    : { finished: false };
}
