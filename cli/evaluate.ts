/**
 * `evaluate`: score a trained tagger on a gold corpus and write its predictions in CoNLL columns.
 * @module
 */
import { joinPath } from "../src/bert/file_system.ts";
import { stderrIsTerminal, writeStderr, writeStdout } from "../src/io/deno/terminal.ts";
import { evaluationProgress } from "../src/tagging/progress.ts";
import { encodeSentences } from "../src/tagging/encode_corpus.ts";
import {
  evaluateTagger,
  formatConllEvaluation,
  formatEntityTable,
  summarizeEvaluation,
} from "../src/tagging/evaluate.ts";
import { ArgumentError, CORPUS_FLAGS, type FlagSpec, formatHelp, parseArgs } from "./args.ts";
import { fs, loadTrained, readInput } from "./common.ts";
import { normalizeSchemes, parseCorpus, parseTasks } from "./data.ts";
import { DEVICE_FLAGS, selectDevice } from "./device.ts";

/** Flags of `evaluate`. */
export const EVALUATE_FLAGS: Record<string, FlagSpec> = {
  model: {
    type: "string",
    value: "dir",
    help: "trained tagger folder (train --out)",
    default: "runs/tagger",
  },
  data: { type: "string", value: "file", help: "gold corpus to score (required)" },
  ...CORPUS_FLAGS,
  tasks: {
    type: "string",
    value: "name=column,…",
    help: "task columns (default: the tagger's tasks, csv ner=Tag,pos=POS)",
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
  const dev = await selectDevice(flags);
  writeStdout(dev.line + "\n");
  const modelDir = (flags.model as string | undefined) ?? "runs/tagger";
  const tagger = await loadTrained(modelDir);
  const taskNames = tagger.meta.tasks.map((t) => t.name);
  const isCsv = /\.csv$/i.test(data) || flags.format === "csv";
  const tasks = flags.tasks !== undefined ? parseTasks(flags.tasks as string) : taskNames.map((
    t,
  ): [string, string] => [
    t,
    isCsv ? ({ ner: "Tag", pos: "POS" } as Record<string, string>)[t] ?? t : t,
  ]);
  const sentences = parseCorpus(await readInput(data, "--data"), data, {
    format: flags.format as string | undefined,
    tasks,
    encoding: flags.encoding as string | undefined,
    columns: flags.columns !== undefined ? (flags.columns as string).split(",") : undefined,
  });
  for (const t of taskNames) {
    if (!tasks.some(([n]) => n === t)) {
      throw new ArgumentError(`--tasks must name the tagger's task ${t}`);
    }
  }
  normalizeSchemes([sentences], taskNames);
  const encoded = encodeSentences(sentences, tagger.tokenizer, tagger.labelMaps, {
    maxLength: tagger.meta.maxLength,
  });
  const ev = await evaluateTagger(tagger.model, encoded, tagger.labelMaps, tagger.meta.mainTask, {
    onBatch: evaluationProgress(data, { write: writeStderr, tty: stderrIsTerminal() }),
  });
  const main = tagger.meta.mainTask;
  const order = [...taskNames.filter((t) => t !== main), main];
  const predPath = (flags.predictions as string | undefined) ??
    joinPath(modelDir, "predictions.conll");
  await fs.writeFileAtomic(predPath, formatConllEvaluation(sentences, ev.predictions, order));
  writeStdout(
    `${data}: ${ev.sentences} sentences, ${ev.words} words\n${summarizeEvaluation(ev, main)}\n`,
  );
  writeStdout(formatEntityTable(ev.tasks[main]) + "\n");
  writeStdout(
    `predictions (word ${order.map((t) => `gold-${t} pred-${t}`).join(" ")}): ${predPath}\n`,
  );
  tagger.model.dispose();
}
