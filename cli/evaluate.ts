/**
 * `evaluate`: score a trained tagger on a gold corpus and write its predictions in CoNLL columns.
 * @module
 */
import { joinPath } from "../bert.ts";
import {
  encodeSentences,
  evaluateTagger,
  evaluationProgress,
  formatConllEvaluation,
  formatEntityTable,
  type Sentence,
  summarizeEvaluation,
} from "../tagging.ts";
import { stderrIsTerminal, writeStderr, writeStdout } from "../deno.ts";
import { ArgumentError, CORPUS_FLAGS, type FlagSpec, formatHelp, parseArgs } from "./args.ts";
import { fs, loadTrained, withPath } from "./files.ts";
import {
  defaultTasks,
  formatOf,
  loadCorpusFile,
  loadJoinFile,
  normalizeSchemes,
  parseColumns,
  parseJoinColumns,
  parseTasks,
} from "./data.ts";
import { validateEvaluateFlags } from "./validate.ts";
import { DEVICE_FLAGS, selectDevice } from "./device.ts";
import { resolveModelFlag, REVISION_FLAG } from "./model_source.ts";

/** Flags of `evaluate`. */
export const EVALUATE_FLAGS: Record<string, FlagSpec> = {
  model: {
    type: "string",
    value: "dir",
    help: "trained tagger folder (train --out), token-classification folder or hub id",
    default: "runs/tagger",
  },
  ...REVISION_FLAG,
  data: { type: "string", value: "file", help: "gold corpus to score (required)" },
  ...CORPUS_FLAGS,
  tasks: {
    type: "string",
    value: "name=column,…",
    help: "task columns (default: the tagger's tasks, csv ner=Tag,pos=POS)",
  },
  "data-join": {
    type: "string",
    value: "file",
    help: "labels of --data to join by sentence id (e.g. NER for a CoNLL-U file), as train's",
  },
  "join-task": {
    type: "string",
    value: "name",
    help: "task read from --data-join",
    default: "ner",
  },
  "join-columns": {
    type: "string",
    value: "word=N,ner=M",
    help: "fields of the word and the label in --data-join (default: word label, or " +
      "UniversalNER id word label …)",
  },
  predictions: {
    type: "string",
    value: "file",
    help: "where to write word/gold/predicted columns (default: <model>/predictions.conll)",
  },
  ...DEVICE_FLAGS,
};

/** `evaluate --help` text. */
export const EVALUATE_HELP = formatHelp(
  "jointag evaluate --data <file> [options]",
  "Scores a trained tagger: entity precision/recall/F1 (micro and per type) and token accuracy,\nand writes the predictions as CoNLL columns (word, then gold and predicted per task).",
  EVALUATE_FLAGS,
);

/** Runs `evaluate`. */
export async function evaluateCommand(argv: string[]): Promise<void> {
  const { flags, positionals } = parseArgs(argv, EVALUATE_FLAGS);
  const data = (flags.data as string | undefined) ?? positionals[0];
  if (data === undefined) throw new ArgumentError("evaluate: --data <file> is required");
  await validateEvaluateFlags(flags, data);
  const { dir: modelDir } = await resolveModelFlag(
    (flags.model as string | undefined) ?? "runs/tagger",
    flags.revision as string | undefined,
  );
  const dev = await selectDevice(flags);
  writeStdout(dev.line + "\n");
  const tagger = await loadTrained(modelDir);
  const say = (line: string) => writeStdout(`data: ${line}\n`);
  const sentences = await readGold(flags, data, tagger.meta.tasks.map((t) => t.name), say);
  const main = tagger.meta.mainTask;
  const taskNames = tagger.meta.tasks.map((t) => t.name).filter((t) =>
    sentences[0].columns[t] !== undefined
  );
  if (!taskNames.includes(main)) {
    throw new ArgumentError(
      `--data ${data}: no column for the tagger's main task ${main} (set --tasks ${main}=column)`,
    );
  }
  for (const note of normalizeSchemes([sentences], taskNames)) say(note);
  const labelMaps = Object.fromEntries(taskNames.map((t) => [t, tagger.labelMaps[t]]));
  const encoded = encodeSentences(sentences, tagger.tokenizer, labelMaps, {
    maxLength: tagger.meta.maxLength,
  });
  const ev = await evaluateTagger(tagger.model, encoded, labelMaps, main, {
    onBatch: evaluationProgress(data, { write: writeStderr, tty: stderrIsTerminal() }),
  });
  const order = [...taskNames.filter((t) => t !== main), main];
  const predPath = (flags.predictions as string | undefined) ??
    joinPath(modelDir, "predictions.conll");
  await withPath(
    "--predictions",
    predPath,
    () => fs.writeFileAtomic(predPath, formatConllEvaluation(sentences, ev.predictions, order)),
  );
  writeStdout(
    `${data}: ${ev.sentences} sentences, ${ev.words} words\n${summarizeEvaluation(ev, main)}\n`,
  );
  writeStdout(formatEntityTable(ev.tasks[main]) + "\n");
  writeStdout(
    `wrote ${predPath} (tab-separated: word ${
      order.map((t) => `gold-${t} pred-${t}`).join(" ")
    }; read it back with --columns word,${order.map((t) => `${t},_`).join(",")})\n`,
  );
  tagger.model.dispose();
}

/**
 * The gold corpus of --data with the tagger's tasks (columns: --tasks, else the format's default
 * columns such as CSV Tag/POS or CoNLL-U UPOS, else the task names), and --data-join's labels
 * joined by sentence id.
 */
async function readGold(
  flags: Record<string, unknown>,
  data: string,
  taskNames: string[],
  say: (line: string) => void,
): Promise<Sentence[]> {
  const defaults = Object.fromEntries(
    defaultTasks(formatOf(data, flags.format as string | undefined)),
  );
  const joinTask = (flags["join-task"] as string | undefined) ?? "ner";
  const join = flags["data-join"] as string | undefined;
  let tasks = flags.tasks !== undefined
    ? parseTasks(flags.tasks as string)
    : taskNames.map((t): [string, string] => [t, defaults[t] ?? t]);
  if (join !== undefined) tasks = tasks.filter(([t]) => t !== joinTask);
  const sentences = await loadCorpusFile("--data", data, {
    format: flags.format as string | undefined,
    tasks,
    optionalTasks: flags.tasks === undefined,
    encoding: flags.encoding as string | undefined,
    columns: flags.columns !== undefined ? parseColumns(flags.columns as string) : undefined,
    onNote: say,
  });
  if (join === undefined) return sentences;
  const joined = await loadJoinFile("--data-join", join, sentences, joinTask, {
    encoding: flags.encoding as string | undefined,
    joinColumns: flags["join-columns"] !== undefined
      ? parseJoinColumns(flags["join-columns"] as string, joinTask)
      : undefined,
  });
  say(`${join}: ${joinTask} joined onto ${joined.length} sentences by # sent_id`);
  return joined;
}
