/**
 * The run grid of `compare`: arms × loss-weight variants × training fractions × seeds, as a plain
 * list of jobs with stable ids, so a comparison can be split over processes (`--job K/N`),
 * resumed (finished jobs are skipped by id) and merged.
 * @module
 */
import { TaggingArgumentError } from "../errors.ts";

/** One training run of the comparison. */
export interface CompareJob {
  /** Stable identifier, also the job's folder name: `ner+pos_w0.5_f1_s3`. */
  id: string;
  /** Arm label: `ner`, `ner+pos`, or `ner+pos@0.5` when several loss weights are compared. */
  arm: string;
  /** Tasks trained, main task first. */
  tasks: string[];
  /** Loss weight per task (main task 1). */
  weights: Record<string, number>;
  /** Fraction of the training sentences used (first N after the seeded shuffle). */
  fraction: number;
  /** Seed of the initialisation, dropout and data order of the run. */
  seed: number;
}

/** What the grid is built from. */
export interface GridSpec {
  /** Arms, each a `+`-joined task list whose first task is the main one (e.g. `ner+pos`). */
  arms: string[];
  /** Seeds each arm is trained with (the repeats that the statistics pair up). */
  seeds: number[];
  /** Training fractions (0 < f ≤ 1) each arm is trained at. */
  fractions: number[];
  /** Loss weights of the auxiliary tasks (the main task keeps 1); one variant per value. */
  auxWeights: number[];
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/**
 * All jobs, grouped by seed first so a partial run already holds complete pairs of arms.
 * @example
 * ```ts
 * buildGrid({ arms: ["ner", "ner+pos"], seeds: [1, 2], fractions: [1], auxWeights: [1] });
 * ```
 */
export function buildGrid(spec: GridSpec): CompareJob[] {
  if (spec.arms.length === 0) throw new TaggingArgumentError("compare", "--arms is empty");
  if (spec.seeds.length === 0) throw new TaggingArgumentError("compare", "no seeds");
  for (const f of spec.fractions) {
    if (!(f > 0 && f <= 1)) {
      throw new TaggingArgumentError("compare", `--train-fraction ${f} is not in (0, 1]`);
    }
  }
  for (const w of spec.auxWeights) {
    if (!(w > 0)) throw new TaggingArgumentError("compare", `--pos-weight ${w} must be > 0`);
  }
  const jobs: CompareJob[] = [];
  for (const seed of spec.seeds) {
    for (const fraction of spec.fractions) {
      for (const arm of spec.arms) {
        const tasks = arm.split("+").map((t) => t.trim()).filter((t) => t);
        if (tasks.length === 0 || new Set(tasks).size !== tasks.length) {
          throw new TaggingArgumentError(
            "compare",
            `arm "${arm}" must list distinct tasks joined by +`,
          );
        }
        const variants = tasks.length > 1 ? spec.auxWeights : [1];
        for (const w of variants) {
          const weights = Object.fromEntries(tasks.map((t, i) => [t, i === 0 ? 1 : w]));
          // With several weight variants the arm's label carries its weight: `ner+pos@0.5`.
          const label = tasks.length > 1 && spec.auxWeights.length > 1 ? `${arm}@${fmt(w)}` : arm;
          const id = `${label.replace("@", "_w")}_f${fmt(fraction)}_s${seed}`;
          jobs.push({ id, arm: label, tasks, weights, fraction, seed });
        }
      }
    }
  }
  return jobs;
}

/** Parses `K/N` (1-based K) into the jobs this process runs: every N-th job from the K-th. */
export function selectJobs(jobs: CompareJob[], part: string | undefined): CompareJob[] {
  if (!part) return jobs;
  const m = /^(\d+)\/(\d+)$/.exec(part);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) {
    throw new TaggingArgumentError("compare", `--job must be K/N with 1 ≤ K ≤ N, got "${part}"`);
  }
  return jobs.filter((_, i) => i % n === k - 1);
}

/** Reads an environment variable (injectable for tests). */
export type EnvLookup = (name: string) => string | undefined;

/**
 * The share `K/N` of an array task on a cluster, for a run without `--job`: Slurm's
 * `SLURM_ARRAY_TASK_ID` (counted from `SLURM_ARRAY_TASK_MIN`, so `--array=0-7` and `--array=1-8`
 * both give K = 1…8) and `SLURM_ARRAY_TASK_COUNT` (or `jobs`), else a Kubernetes Indexed Job's
 * `JOB_COMPLETION_INDEX` (0-based) with N = `jobs` (the Job's `completions`, which the pod does
 * not see). Undefined when neither is set.
 * @throws TaggingArgumentError when N is unknown or K is out of range
 */
export function shareFromEnv(
  env: EnvLookup,
  jobs?: number,
): { part: string; from: string } | undefined {
  const slurm = env("SLURM_ARRAY_TASK_ID");
  const k8s = env("JOB_COMPLETION_INDEX");
  if (slurm === undefined && k8s === undefined) return undefined;
  const from = slurm !== undefined ? "SLURM_ARRAY_TASK_ID" : "JOB_COMPLETION_INDEX";
  const index = Number(slurm ?? k8s) -
    (slurm !== undefined ? Number(env("SLURM_ARRAY_TASK_MIN") ?? 0) : 0);
  const n = jobs ?? (slurm !== undefined ? Number(env("SLURM_ARRAY_TASK_COUNT")) : NaN);
  if (!Number.isInteger(n) || n < 1) {
    throw new TaggingArgumentError(
      "compare",
      `${from} is set but the number of shares is not known: give --jobs N (the array size or the Job's completions)`,
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new TaggingArgumentError(
      "compare",
      `${from} gives share ${
        index + 1
      } of ${n}, outside 1…${n} (a contiguous array from its minimum is expected)`,
    );
  }
  return { part: `${index + 1}/${n}`, from };
}
