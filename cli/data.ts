/**
 * Reading corpora for the CLI: format from `--format` or the file extension, task columns from
 * `--tasks name=column,…`, IOB1/BIOES entity columns converted to IOB2, optional `--train-limit`.
 * @module
 */
import { CONLL2003_COLUMNS, readConll } from "../src/tagging/conll_reader.ts";
import { CONLLU_FIELDS, type ConlluField, readConllu } from "../src/tagging/conllu_reader.ts";
import { readCsvCorpus } from "../src/tagging/csv_reader.ts";
import type { Sentence, TextEncodingName } from "../src/tagging/sentence.ts";
import { convertScheme, detectScheme } from "../src/tagging/tag_scheme.ts";
import { joinColumn } from "../src/tagging/column_join.ts";
import { ArgumentError } from "./args.ts";

/** Corpus formats. */
export type CorpusFormat = "csv" | "conll" | "conllu";

/** Task name → column (CSV header, CoNLL column name, or CoNLL-U field). */
export type TaskColumns = [string, string][];

/** Default task columns of each format. */
export function defaultTasks(format: CorpusFormat): TaskColumns {
  if (format === "csv") return [["ner", "Tag"], ["pos", "POS"]];
  if (format === "conllu") return [["pos", "UPOS"]];
  return [["ner", "ner"], ["pos", "pos"]];
}

/** Parses `ner=Tag,pos=POS`. @throws ArgumentError */
export function parseTasks(spec: string): TaskColumns {
  const out: TaskColumns = [];
  for (const part of spec.split(",")) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*(?:=\s*(\S+)\s*)?$/.exec(part);
    if (!m) throw new ArgumentError(`--tasks: "${part}" is not name=column`);
    if (out.some(([n]) => n === m[1])) throw new ArgumentError(`--tasks: task ${m[1]} given twice`);
    out.push([m[1], m[2] ?? m[1]]);
  }
  return out;
}

/** Format from a file name. */
export function formatOf(file: string, given?: string): CorpusFormat {
  if (given !== undefined) {
    if (given !== "csv" && given !== "conll" && given !== "conllu") {
      throw new ArgumentError(`--format must be csv, conll or conllu, got "${given}"`);
    }
    return given;
  }
  if (/\.csv$/i.test(file)) return "csv";
  if (/\.conllu$/i.test(file)) return "conllu";
  return "conll";
}

/** Options of {@link readCorpusFile}. */
export interface ReadCorpusOptions {
  format?: string;
  tasks: TaskColumns;
  encoding?: string;
  /** CoNLL column names in file order (default word,pos,chunk,ner). */
  columns?: readonly string[];
  limit?: number;
}

const ENCODINGS = ["auto", "utf-8", "windows-1252", "cp1252", "latin1", "iso-8859-1"];

/** Parses one corpus from bytes; sentences get one column per task, named after the task. */
export function parseCorpus(bytes: Uint8Array, file: string, o: ReadCorpusOptions): Sentence[] {
  const format = formatOf(file, o.format);
  const encoding = (o.encoding ?? "auto").toLowerCase();
  if (!ENCODINGS.includes(encoding)) {
    throw new ArgumentError(
      `--encoding must be one of ${ENCODINGS.join(", ")}, got "${o.encoding}"`,
    );
  }
  const enc = encoding as TextEncodingName;
  let sentences: Sentence[];
  if (format === "csv") {
    sentences = readCsvCorpus(bytes, { file, encoding: enc, columns: Object.fromEntries(o.tasks) });
  } else if (format === "conllu") {
    for (const [, f] of o.tasks) {
      if (!(CONLLU_FIELDS as readonly string[]).includes(f)) {
        throw new ArgumentError(
          `--tasks: "${f}" is not a CoNLL-U field (${CONLLU_FIELDS.join(", ")})`,
        );
      }
    }
    sentences = readConllu(bytes, {
      file,
      encoding: enc,
      fields: Object.fromEntries(o.tasks) as Record<string, ConlluField>,
    });
  } else {
    const names = o.columns ?? CONLL2003_COLUMNS;
    for (const [, c] of o.tasks) {
      if (!names.includes(c)) {
        throw new ArgumentError(
          `--tasks: column "${c}" is not among the CoNLL columns ${
            names.join(",")
          } (set them with --columns)`,
        );
      }
    }
    sentences = readConll(bytes, { file, encoding: enc, columns: names }).map((s) => ({
      ...s,
      columns: Object.fromEntries(o.tasks.map(([t, c]) => [t, s.columns[c]])),
    }));
  }
  if (o.limit !== undefined) sentences = sentences.slice(0, o.limit);
  return sentences;
}

/**
 * Converts entity columns in IOB1 or BIOES to IOB2 in place; returns a note per converted task.
 */
export function normalizeSchemes(sets: Sentence[][], tasks: readonly string[]): string[] {
  const notes: string[] = [];
  for (const t of tasks) {
    const all = sets.flat();
    const scheme = detectScheme(all.map((s) => s.columns[t]));
    if (scheme === "IOB1" || scheme === "BIOES") {
      for (const s of all) s.columns[t] = convertScheme(s.columns[t], "IOB2");
      notes.push(`${t}: ${scheme} labels converted to IOB2`);
    }
  }
  return notes;
}

/**
 * Adds task `task` to `base` from a second file of `word label` lines (IOB2, CoNLL style) whose
 * sentences carry the same `# sent_id` comments (e.g. NER for a CoNLL-U treebank).
 * @throws CorpusFormatError naming the file and line for a missing partner or differing words.
 */
export function joinLabelFile(
  base: readonly Sentence[],
  bytes: Uint8Array,
  file: string,
  task: string,
  encoding?: string,
): Sentence[] {
  const extra = readConll(bytes, {
    file,
    comments: true,
    columns: ["word", task],
    encoding: (encoding ?? "auto").toLowerCase() as TextEncodingName,
  });
  return joinColumn(base, extra, { from: task, to: task });
}
