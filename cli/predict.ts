/**
 * `predict`: tag raw text or pre-split words with a trained tagger.
 * @module
 */
import {
  decodeCorpus,
  evaluationProgress,
  formatTagged,
  splitText,
  splitWords,
  type TaggedFormat,
  tagWords,
} from "../tagging.ts";
import { stderrIsTerminal, writeStderr, writeStdout } from "../deno.ts";
import { ArgumentError, type FlagSpec, formatHelp, parseArgs } from "./args.ts";
import { checkInputFile, loadTrained, readInput } from "./files.ts";
import { checkDeviceFlags } from "./validate.ts";
import { DEVICE_FLAGS, selectDevice } from "./device.ts";
import { resolveModelFlag, REVISION_FLAG } from "./model_source.ts";

/** Flags of `predict`. */
export const PREDICT_FLAGS: Record<string, FlagSpec> = {
  model: {
    type: "string",
    value: "dir",
    help: "trained tagger folder (train --out), token-classification folder or hub id",
    default: "runs/tagger",
  },
  ...REVISION_FLAG,
  text: {
    type: "string",
    value: "text",
    help: "text to tag (one sentence per line); else --input or stdin",
  },
  input: { type: "string", value: "file", help: "file with one sentence per line" },
  words: { type: "boolean", help: "input is pre-split: words separated by spaces (else raw text)" },
  format: { type: "string", value: "table|json|conll", help: "output format", default: "table" },
  ...DEVICE_FLAGS,
};

/** `predict --help` text. */
export const PREDICT_HELP = formatHelp(
  "jointag predict [options] [text…]",
  "Tags every word of the input with each task of a trained tagger (e.g. NER and POS).",
  PREDICT_FLAGS,
);

/** Runs `predict`. */
export async function predictCommand(argv: string[]): Promise<void> {
  const { flags, positionals } = parseArgs(argv, PREDICT_FLAGS);
  const format = (flags.format as string | undefined) ?? "table";
  if (!["table", "json", "conll"].includes(format)) {
    throw new ArgumentError(`--format must be table, json or conll, got "${format}"`);
  }
  checkDeviceFlags(flags);
  if (flags.input !== undefined) await checkInputFile("--input", flags.input as string);
  let text: string;
  if (flags.text !== undefined) text = flags.text as string;
  else if (positionals.length) text = positionals.join(" ");
  else if (flags.input !== undefined) {
    const input = flags.input as string;
    text = decodeCorpus(await readInput(input, "--input"), input).text;
  } else text = await new Response(Deno.stdin.readable).text();
  const sentences = flags.words ? splitWords(text) : splitText(text);
  if (sentences.length === 0) {
    throw new ArgumentError(
      flags.input !== undefined
        ? `--input ${flags.input}: the file is empty (no text to tag)`
        : "predict: no input text",
    );
  }
  await selectDevice(flags);
  const { dir } = await resolveModelFlag(
    (flags.model as string | undefined) ?? "runs/tagger",
    flags.revision as string | undefined,
  );
  const tagger = await loadTrained(dir);
  const tagged = await tagWords(tagger, sentences, {
    onBatch: evaluationProgress("tagging", { write: writeStderr, tty: stderrIsTerminal() }),
  });
  writeStdout(formatTagged(tagged, format as TaggedFormat, tagger.meta.tasks.map((t) => t.name)));
  tagger.model.dispose();
}
