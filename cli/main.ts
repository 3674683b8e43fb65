/**
 * jointag command line: `train`, `evaluate`, `predict` (each with --help). Errors about the input
 * (files, lines, fields, options) are printed as one message, without a stack trace; set
 * JOINTAG_DEBUG=1 to see stacks.
 *
 *   deno run -A cli/main.ts train            # the built-in demo
 * @module
 */
import { writeStderr, writeStdout } from "../deno.ts";
import { readEnv } from "../src/io/deno/env.ts";
import denoJson from "../deno.json" with { type: "json" };
import { ArgumentError } from "./args.ts";
import { COMPARE_HELP, compareCommand } from "./compare.ts";
import { EVALUATE_HELP, evaluateCommand } from "./evaluate.ts";
import { PREDICT_HELP, predictCommand } from "./predict.ts";
import { TRAIN_HELP, trainCommand } from "./train.ts";

const COMMANDS: Record<string, { help: string; run: (argv: string[]) => Promise<void> }> = {
  train: { help: TRAIN_HELP, run: trainCommand },
  evaluate: { help: EVALUATE_HELP, run: evaluateCommand },
  predict: { help: PREDICT_HELP, run: predictCommand },
  compare: { help: COMPARE_HELP, run: compareCommand },
};

const USAGE = `usage: jointag <command> [options]

commands:
  train      fine-tune a multi-task (NER + POS) BERT tagger; no options = the built-in demo
  evaluate   score a trained tagger on a gold corpus, write CoNLL predictions
  predict    tag raw text or pre-split words
  compare    does training POS too improve NER? arms × seeds, significance test, report

Run "jointag <command> --help" for the options of a command; "jointag --version" prints the version.
Exit status: 0 done, 1 failed while running, 2 wrong usage (unknown command or option, bad value).
`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    writeStdout(`jointag ${denoJson.version}\n`);
    return 0;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    writeStdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    writeStderr(`error: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    writeStdout(cmd.help);
    return 0;
  }
  try {
    await cmd.run(rest);
    return 0;
  } catch (e) {
    // Like argparse and clap: wrong usage exits 2, a failure while running 1.
    const code = e instanceof ArgumentError ? 2 : 1;
    const debug = readEnv("JOINTAG_DEBUG") === "1";
    if (e instanceof Error && !debug && !(e instanceof TypeError || e instanceof ReferenceError)) {
      writeStderr(`\nerror: ${e.message}\n`);
    } else writeStderr(`\nerror: ${e instanceof Error ? e.stack : String(e)}\n`);
    return code;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
