/**
 * `compare`: does training POS too improve NER? Trains every arm (NER only, NER + POS, …) on the
 * same data, batches and seeds, evaluates each run on the test set, and writes report.md,
 * report.json and SVG plots with the spread over seeds and paired significance tests.
 * Every finished job is saved at once (`jobs/<id>/result.json`); a rerun skips finished jobs and
 * resumes an interrupted one; `--job K/N` runs a share of the grid and `--merge` builds the report
 * from whatever jobs have finished (e.g. on several machines).
 * @module
 */
import { joinPath } from "../bert.ts";
import {
  buildGrid,
  buildReport,
  type CompareJob,
  isEntityTask,
  type JobResult,
  type LabelMap,
  labelMapsOf,
  type ReportContext,
  Rng,
  selectJobs,
  type Sentence,
  sentenceEntityCounts,
  shareFromEnv,
  summarize,
  type TaggerMeta,
} from "../tagging.ts";
import { stdoutIsTerminal, writeStdout } from "../deno.ts";
import { readEnv } from "../src/io/deno/env.ts";
import { ArgumentError, type FlagSpec, formatHelp, parseArgs } from "./args.ts";
import { fs, writtenLine } from "./files.ts";
import { validateRunFlags } from "./validate.ts";
import { type PipelineResult, runTrainingPipeline } from "../src/tagging/train/pipeline.ts";
import { selectDevice } from "./device.ts";
import {
  type BaseModel,
  buildLabelMaps,
  type Flags,
  loadBaseModel,
  loadRunData,
  type RunData,
  trainOptionsFromFlags,
} from "./run_setup.ts";
import { TRAIN_FLAGS } from "./train.ts";

const OWN_FLAGS: Record<string, FlagSpec> = {
  arms: {
    type: "string",
    value: "a,b,…",
    help: "arms to compare, each tasks joined by + with the main task first",
    default: "ner,ner+pos",
  },
  seeds: {
    type: "string",
    value: "N|s1,s2,…",
    help: "a number of seeds (1..N) or a list of seeds",
    default: "3",
  },
  "pos-weight": {
    type: "string",
    value: "w1,w2,…",
    help: "loss weights of the auxiliary tasks to compare (main task weight 1)",
    default: "1",
  },
  "train-fraction": {
    type: "string",
    value: "f1,f2,…",
    help: "fractions of the training sentences (same seeded subset for every arm and seed)",
    default: "1",
  },
  job: {
    type: "string",
    value: "K/N",
    help:
      "run only every N-th job starting at the K-th (default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)",
  },
  jobs: {
    type: "integer",
    value: "N",
    help: "number of shares for JOB_COMPLETION_INDEX (Kubernetes: the Job's completions)",
  },
  merge: { type: "boolean", help: "only build the report from the finished jobs in --out" },
  resamples: { type: "integer", help: "resamples of the significance tests", default: 10000 },
  baseline: {
    type: "string",
    value: "arm",
    help: "arm the others are compared with (default: the single-task arm)",
  },
};

/** Flags of `train` that control one run, not the training recipe: not offered by `compare`. */
const TRAIN_ONLY_FLAGS = ["resume", "out", "stop-after", "dump-init", "dump-batches"];

/** Flags of `compare`: its own and every training option of `train`. */
export const COMPARE_FLAGS: Record<string, FlagSpec> = {
  ...Object.fromEntries(
    Object.entries(TRAIN_FLAGS).filter(([k]) => !TRAIN_ONLY_FLAGS.includes(k)),
  ),
  out: { type: "string", value: "dir", help: "output folder", default: "runs/compare" },
  ...OWN_FLAGS,
};

const DESCRIPTION =
  `Answers "does training POS too improve NER?": trains NER only and NER + POS (or any --arms)
on identical splits, batches and seeds, scores every run on --test (else dev), and writes
report.md, report.json and SVG plots to --out with mean ± std over seeds, the F1 difference with a
95% interval, and a paired approximate-randomization test. All options of "train" apply.`;

/** `compare --help` text. */
export const COMPARE_HELP = formatHelp("jointag compare [options]", DESCRIPTION, COMPARE_FLAGS);

function say(line: string): void {
  writeStdout(line + "\n");
}

function numbers(flag: string, text: string): number[] {
  const xs = text.split(",").map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isFinite(x))) {
    throw new ArgumentError(`--${flag}: "${text}" is not a list of numbers`);
  }
  return xs;
}

/** The same seeded subset of the training sentences for every arm and seed at a fraction. */
function subset(train: Sentence[], fraction: number, seed: number): Sentence[] {
  if (fraction >= 1) return train;
  const keep = Math.max(1, Math.round(fraction * train.length));
  const picked = Array.from(new Rng(seed).permutation(train.length).subarray(0, keep)).sort((
    a,
    b,
  ) => a - b);
  return picked.map((i) => train[i]);
}

interface Shared {
  f: Flags;
  out: string;
  train: Sentence[];
  dev: Sentence[];
  test: Sentence[];
  maps: Record<string, LabelMap>;
  base: BaseModel;
}

/** The tagger one job trains: the job's tasks with their weights and labels, the model flags. */
function jobMeta(job: CompareJob, s: Shared): TaggerMeta {
  const { f, base } = s;
  return {
    tasks: job.tasks.map((t) => ({ name: t, weight: job.weights[t], labels: s.maps[t].toJSON() })),
    mainTask: job.tasks[0],
    headDropout: (f["head-dropout"] as number) ?? 0.3,
    maxLength: Math.min((f["max-length"] as number) ?? 128, base.config.maxPositionEmbeddings),
    labelAllSubwords: f["label-all-subwords"] === true,
  };
}

/** One job of the grid through the training pipeline; its test scores as a {@link JobResult}. */
async function runJob(job: CompareJob, s: Shared): Promise<JobResult> {
  const { f, base } = s;
  const meta = jobMeta(job, s);
  const train = subset(s.train, job.fraction, (f["split-seed"] as number) ?? 42);
  const { config, tokenizer, encoder } = base;
  const progress = { write: writeStdout, tty: stdoutIsTerminal() };
  const run = await runTrainingPipeline(
    {
      config,
      tokenizer,
      encoder,
      meta,
      initSeed: job.seed,
      train,
      dev: s.dev,
      test: s.test,
      fs,
      outDir: joinPath(s.out, "jobs", job.id),
    },
    trainOptionsFromFlags(f, job.seed),
    {
      resume: true,
      checkpointEvery: f["checkpoint-every"] as number | undefined,
      progress,
      log: (l) => say(`  ${l}`),
      testLabel: "  test",
    },
  );
  return jobResult(job, meta, run, s.test, train.length);
}

/**
 * A finished job's record from its pipeline run (which always has a test evaluation here): the
 * main task's test scores, the accuracy of each non-entity auxiliary task, the dev curve, timing.
 */
function jobResult(
  job: CompareJob,
  meta: TaggerMeta,
  run: PipelineResult,
  testSet: Sentence[],
  trainSentences: number,
): JobResult {
  const { train: result, test } = run;
  const ev = test!;
  const labelMaps = labelMapsOf(meta);
  const main = ev.tasks[meta.mainTask];
  const gold = testSet.map((x) => x.columns[meta.mainTask]);
  const accuracy: Record<string, number> = {};
  for (const t of job.tasks.slice(1)) {
    if (!isEntityTask(labelMaps[t])) accuracy[t] = ev.tasks[t].accuracy;
  }
  return {
    job,
    test: {
      precision: main.micro?.precision ?? 0,
      recall: main.micro?.recall ?? 0,
      f1: main.micro?.f1 ?? 0,
      perType: Object.fromEntries(
        Object.entries(main.perType ?? {}).map((
          [k, v],
        ) => [k, { precision: v.precision, recall: v.recall, f1: v.f1, support: v.support }]),
      ),
    },
    accuracy,
    devCurve: result.history.map((h) => h.devScore),
    sentenceCounts: sentenceEntityCounts(gold, ev.predictions[meta.mainTask]),
    trainSeconds: result.trainSeconds,
    tokensPerSecond: result.tokensPerSecond,
    trainSentences,
  };
}

/** The saved results of every finished job in `out`, by job id. */
async function finishedResults(out: string): Promise<JobResult[]> {
  const jobsDir = joinPath(out, "jobs");
  if (!(await fs.exists(jobsDir))) return [];
  const results: JobResult[] = [];
  for await (const e of Deno.readDir(jobsDir)) {
    const p = joinPath(jobsDir, e.name, "result.json");
    if (await fs.exists(p)) results.push(JSON.parse(await fs.readTextFile(p)));
  }
  return results.sort((a, b) => a.job.id.localeCompare(b.job.id));
}

/** Runs `compare`. */
export async function compareCommand(argv: string[]): Promise<void> {
  const { flags, positionals } = parseArgs(argv, COMPARE_FLAGS);
  if (positionals.length) {
    throw new ArgumentError(`compare: unexpected argument "${positionals[0]}"`);
  }
  const f = flags as Flags;
  const out = (f.out as string) ?? "runs/compare";
  const grid = gridFromFlags(f);
  const commandLine = `jointag compare ${argv.join(" ")}`.trim();
  const context = f.merge
    ? await mergedContext(out, commandLine)
    : await runShare(f, out, grid, commandLine);
  // One share of several: the report waits for `--merge`.
  if (context === undefined) return;
  await writeReport(f, out, context);
}

/** The job grid of --arms, --seeds, --train-fraction and --pos-weight. */
function gridFromFlags(f: Flags): CompareJob[] {
  const seedsText = (f.seeds as string) ?? "3";
  const seeds = /^\d+$/.test(seedsText)
    ? Array.from({ length: Number(seedsText) }, (_, i) => i + 1)
    : numbers("seeds", seedsText);
  return buildGrid({
    arms: ((f.arms as string) ?? "ner,ner+pos").split(",").map((a) => a.trim()),
    seeds,
    fractions: numbers("train-fraction", (f["train-fraction"] as string) ?? "1"),
    auxWeights: numbers("pos-weight", (f["pos-weight"] as string) ?? "1"),
  });
}

/** A `--merge` report's context: what the jobs' run saved in context.json, if it did. */
async function mergedContext(out: string, commandLine: string): Promise<ReportContext> {
  const contextPath = joinPath(out, "context.json");
  if (!(await fs.exists(contextPath))) {
    return { command: commandLine, data: "(merged)", model: "(merged)", device: "(merged)" };
  }
  const c = JSON.parse(await fs.readTextFile(contextPath));
  return {
    command: `${c.command} (report: ${commandLine})`,
    data: c.data,
    model: c.model,
    device: c.device,
  };
}

/**
 * Trains this process's share of the grid (skipping finished jobs); the report's context, or
 * undefined when the process ran one share of several.
 */
async function runShare(
  f: Flags,
  out: string,
  grid: CompareJob[],
  commandLine: string,
): Promise<ReportContext | undefined> {
  await validateRunFlags(f, "runs/compare");
  const { shared, context } = await prepareRun(f, out, grid, commandLine);
  // What the jobs ran on, for a later --merge (which loads no data or model itself).
  await fs.mkdirp(out);
  await fs.writeFileAtomic(joinPath(out, "context.json"), JSON.stringify(context) + "\n");
  const env = shareFromEnv(readEnv, f.jobs as number | undefined);
  const share = (f.job as string | undefined) ?? env?.part;
  if (f.job === undefined && env) say(`compare: share ${env.part} from ${env.from}`);
  const mine = selectJobs(grid, share);
  say(`compare: ${grid.length} jobs in the grid, ${mine.length} for this process`);
  await runJobs(mine, shared);
  if (share === undefined) return context;
  say(
    `compare: this share is done; run "compare --merge --out ${out}" once every share has finished`,
  );
  // This share's job folders (each a trained tagger with its result.json).
  say(`wrote ${mine.map((j) => joinPath(out, "jobs", j.id) + "/").join(", ")}`);
  return undefined;
}

/** The device, data, label maps and base model every job shares, and their labels for the report. */
async function prepareRun(
  f: Flags,
  out: string,
  grid: CompareJob[],
  commandLine: string,
): Promise<{ shared: Shared; context: ReportContext }> {
  const d = await selectDevice(f);
  const device = d.line.split("\n")[0].replace(/^device: /, "");
  say(d.line);
  const data = await loadRunData(f, say);
  const needed = [...new Set(grid.flatMap((j) => j.tasks))];
  const missing = needed.filter((t) => !data.taskCols.some(([name]) => name === t));
  if (missing.length) {
    throw new ArgumentError(
      `--arms needs tasks ${missing.join(", ")}, but --tasks gives ${
        data.taskCols.map(([t]) => t).join(", ")
      }`,
    );
  }
  const test = data.test ?? data.dev;
  if (!data.test) say("note: no --test given: the report scores the dev set");
  const shared: Shared = {
    f,
    out,
    train: data.train,
    dev: data.dev,
    test,
    maps: buildLabelMaps(needed, data.train, data.dev, say),
    base: await loadBaseModel(f, data.train, say),
  };
  const model = shared.base.label;
  return { shared, context: { command: commandLine, data: dataLabel(f, data), model, device } };
}

/** The corpus as a label for people. */
function dataLabel(f: Flags, data: RunData): string {
  return f.train === undefined
    ? `generated demo corpus (${data.train.length} train / ${data.dev.length} dev sentences, scored on dev)`
    : `${f.train} (${data.train.length} train sentences), dev ${f.dev ?? "seeded split"}, test ${
      f.test ?? (f["test-split"] ? `a seeded ${f["test-split"]} split` : "(dev)")
    }`;
}

/** Runs `mine` in order, saving each result at once; skips jobs that finished earlier. */
async function runJobs(mine: CompareJob[], shared: Shared): Promise<void> {
  for (const [i, job] of mine.entries()) {
    const resultPath = joinPath(shared.out, "jobs", job.id, "result.json");
    if (await fs.exists(resultPath)) {
      say(`[${i + 1}/${mine.length}] ${job.id}: finished earlier, skipped`);
      continue;
    }
    say(
      `[${i + 1}/${mine.length}] ${job.id}: training ${
        job.tasks.join("+")
      } (seed ${job.seed}, fraction ${job.fraction})`,
    );
    const r = await runJob(job, shared);
    await fs.writeFileAtomic(resultPath, JSON.stringify(r) + "\n");
    say(`[${i + 1}/${mine.length}] ${job.id}: test F1 ${(100 * r.test.f1).toFixed(2)}`);
  }
}

/** Summarizes every finished job in `out` and writes the report files there. */
async function writeReport(f: Flags, out: string, context: ReportContext): Promise<void> {
  const results = await finishedResults(out);
  if (results.length === 0) {
    throw new ArgumentError(`compare --merge: no finished jobs in ${out}/jobs`);
  }
  const summary = summarize(results, {
    baseline: f.baseline as string | undefined,
    resamples: (f.resamples as number) ?? 10000,
  });
  const files = buildReport(summary, context);
  for (const [name, text] of Object.entries(files)) {
    await fs.writeFileAtomic(joinPath(out, name), text);
  }
  say("");
  for (const c of summary.comparisons) say(`fraction ${c.fraction}: ${c.verdict}`);
  say(`report: ${joinPath(out, "report.md")}`);
  say(await writtenLine(out));
}
