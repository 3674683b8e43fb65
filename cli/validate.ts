/**
 * Every flag of a command checked before anything is read or written: numbers in range, names
 * among the allowed ones, option lists that parse, flags that need another flag, and the paths
 * (inputs exist and are files, outputs are not in the way). A bad flag then costs no data loading,
 * no model building and leaves no folder behind.
 * @module
 */
import { ArgumentError } from "./args.ts";
import { checkInputFile, checkInputFolder, checkOutputFile, checkOutputFolder } from "./files.ts";
import { formatOf, parseColumns, parseEncoding, parseJoinColumns, parseTasks } from "./data.ts";

/** Parsed flags. */
type Flags = Record<string, string | number | boolean | undefined>;

/** A numeric flag's allowed range: `[min, max]`, either end open when `*Open` is set. */
interface Range {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  hint?: string;
}

const RANGES: Record<string, Range> = {
  epochs: { min: 1 },
  "batch-size": { min: 1 },
  lr: { min: 0, minOpen: true },
  "weight-decay": { min: 0 },
  warmup: { min: 0, max: 1, maxOpen: true },
  patience: { min: 1 },
  "max-length": { min: 8, hint: "sub-words, [CLS] and [SEP] included" },
  "head-dropout": { min: 0, max: 1, maxOpen: true },
  "encoder-dropout": { min: 0, max: 1, maxOpen: true },
  split: { min: 0, max: 1, maxOpen: true },
  "test-split": { min: 0, max: 1, maxOpen: true },
  "train-limit": { min: 1 },
  "demo-sentences": { min: 20 },
  "checkpoint-every": { min: 1 },
  "stop-after": { min: 1 },
  resamples: { min: 1 },
};

function describe(r: Range): string {
  const lo = r.min === undefined ? "" : `${r.minOpen ? ">" : ">="} ${r.min}`;
  const hi = r.max === undefined ? "" : `${r.maxOpen ? "<" : "<="} ${r.max}`;
  return [lo, hi].filter(Boolean).join(" and ");
}

/** Checks the numeric flags that are set against {@link RANGES}. @throws ArgumentError */
export function checkNumbers(f: Flags): void {
  for (const [name, r] of Object.entries(RANGES)) {
    const v = f[name];
    if (typeof v !== "number") continue;
    const low = r.min !== undefined && (r.minOpen ? v <= r.min : v < r.min);
    const high = r.max !== undefined && (r.maxOpen ? v >= r.max : v > r.max);
    if (low || high) {
      throw new ArgumentError(
        `--${name} must be ${describe(r)}${r.hint ? ` (${r.hint})` : ""}, got ${v}`,
      );
    }
  }
}

/** `--device` and `--precision`. @throws ArgumentError */
export function checkDeviceFlags(f: Flags): void {
  const kind = (f.device as string | undefined) ?? "auto";
  const precision = (f.precision as string | undefined) ?? "f32";
  if (kind !== "auto" && kind !== "webgpu" && kind !== "cpu") {
    throw new ArgumentError(`--device must be auto, webgpu or cpu, got "${kind}"`);
  }
  if (precision !== "f32" && precision !== "f16") {
    throw new ArgumentError(`--precision must be f32 or f16, got "${precision}"`);
  }
  if (precision === "f16" && kind === "cpu") {
    throw new ArgumentError("--precision f16 is a WebGPU option; the CPU backend computes in f32");
  }
}

/** The corpus-reading flags: format, encoding, columns, tasks, join options. */
function checkCorpusFlags(f: Flags, dataFlag: string): void {
  if (f.format !== undefined) formatOf("", f.format as string);
  parseEncoding(f.encoding as string | undefined);
  if (f.columns !== undefined) parseColumns(f.columns as string);
  if (f.tasks !== undefined) parseTasks(f.tasks as string);
  const joinTask = (f["join-task"] as string | undefined) ?? "ner";
  if (!/^[A-Za-z0-9_-]+$/.test(joinTask)) {
    throw new ArgumentError(`--join-task: "${joinTask}" is not a task name`);
  }
  if (f["join-columns"] !== undefined) parseJoinColumns(f["join-columns"] as string, joinTask);
  const joins = Object.keys(f).filter((k) => k.endsWith("-join") && f[k] !== undefined);
  if (f["join-columns"] !== undefined && joins.length === 0) {
    throw new ArgumentError(`--join-columns needs a label file to join (${dataFlag}-join)`);
  }
}

/** Flags that name an input file, each with the flag it needs. */
async function checkInputs(f: Flags, files: [string, string | null][]): Promise<void> {
  for (const [flag, needs] of files) {
    if (f[flag] === undefined) continue;
    if (needs !== null && f[needs] === undefined) {
      throw new ArgumentError(`--${flag} needs --${needs}`);
    }
    await checkInputFile(`--${flag}`, f[flag] as string);
  }
}

/** `train` and `compare`: numbers, names, lists, dependencies, paths. @throws ArgumentError */
export async function validateRunFlags(f: Flags, defaultOut: string): Promise<void> {
  checkNumbers(f);
  checkDeviceFlags(f);
  checkCorpusFlags(f, "--train");
  if (f.train === undefined) {
    const needTrain = ["dev", "test", "test-split", "format", "encoding", "columns", "train-join"]
      .filter((k) => f[k] !== undefined);
    if (needTrain.length) {
      throw new ArgumentError(
        `${
          needTrain.map((k) => `--${k}`).join(", ")
        } need(s) --train (the demo corpus is generated)`,
      );
    }
    if (f.tasks !== undefined) {
      const bad = parseTasks(f.tasks as string).filter(([t, c]) =>
        !["ner", "pos"].includes(c) || !["ner", "pos"].includes(t)
      );
      if (bad.length) {
        throw new ArgumentError(
          `--tasks ${bad.map(([t, c]) => `${t}=${c}`).join(",")}: the demo corpus has the ` +
            `columns ner and pos only (give --train for other columns)`,
        );
      }
    }
  }
  if (f["test-split"] !== undefined && f.test !== undefined) {
    throw new ArgumentError("give --test or --test-split, not both");
  }
  const held = ((f["test-split"] as number) ?? 0) +
    (f.dev === undefined ? (f.split as number) ?? 0.1 : 0);
  if (held >= 1) {
    throw new ArgumentError(
      `--test-split and --split hold out ${held} of --train: nothing is left to train on`,
    );
  }
  if (f.split === 0 && f.dev === undefined) {
    throw new ArgumentError("--split 0 leaves no dev sentences: give --dev or a --split above 0");
  }
  await checkInputs(f, [
    ["train", null],
    ["dev", "train"],
    ["test", "train"],
    ["train-join", "train"],
    ["dev-join", "dev"],
    ["test-join", "test"],
  ]);
  // A path-like --model must be a folder; a hub id (org/name) is resolved later.
  const m = f.model as string | undefined;
  if (m !== undefined && /^[./~]/.test(m)) await checkInputFolder("--model", m);
  await checkOutputFolder("--out", (f.out as string | undefined) ?? defaultOut);
  if (f["dump-init"] !== undefined) {
    await checkOutputFolder("--dump-init", f["dump-init"] as string);
  }
  if (f["dump-batches"] !== undefined) {
    await checkOutputFile("--dump-batches", f["dump-batches"] as string);
  }
}

/** `evaluate`: device, corpus flags, the data and join files, the output (the model: later). */
export async function validateEvaluateFlags(f: Flags, data: string): Promise<void> {
  checkDeviceFlags(f);
  checkCorpusFlags(f, "--data");
  await checkInputFile("--data", data);
  await checkInputs(f, [["data-join", null]]);
  if (f.predictions !== undefined) await checkOutputFile("--predictions", f.predictions as string);
}
