/**
 * Reading corpora for the CLI: format from `--format` or the file extension, the encoding
 * detected (or `--encoding`) and reported, the CoNLL column layout detected from the field count
 * (or `--columns`), task columns from `--tasks name=column,…`, label files joined by sentence id
 * (`--join-columns`), entity columns converted to IOB2 by majority scheme. Every error names the
 * flag, file, line and field, and says which flag fixes it.
 * @module
 */
import {
  CONLLU_FIELDS,
  type ConlluField,
  convertScheme,
  CorpusError,
  CorpusFormatError,
  decodeCorpus,
  type DecodedText,
  detectSchemeByMajority,
  ENCODING_NAMES,
  joinColumn,
  RaggedRowError,
  readConll,
  readConllu,
  readCsvCorpus,
  type Sentence,
  type TextEncodingName,
  tokenLine,
} from "../tagging.ts";
import { forEachLine, isBlankLine, splitFields } from "../src/tagging/data/lines.ts";
import { shortList } from "../src/core/short_list.ts";
import { ArgumentError } from "./args.ts";
import { readInput } from "./files.ts";

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
export function parseTasks(spec: string, flag = "--tasks"): TaskColumns {
  const out: TaskColumns = [];
  for (const part of spec.split(",")) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*(?:=\s*(\S+)\s*)?$/.exec(part);
    if (!m) throw new ArgumentError(`${flag}: "${part}" is not name=column`);
    if (out.some(([n]) => n === m[1])) throw new ArgumentError(`${flag}: ${m[1]} given twice`);
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

/** `--encoding` checked and lower-cased. @throws ArgumentError */
export function parseEncoding(given: string | undefined): TextEncodingName {
  const e = (given ?? "auto").toLowerCase().replace(/^utf8$/, "utf-8");
  if (!(ENCODING_NAMES as readonly string[]).includes(e)) {
    throw new ArgumentError(
      `--encoding must be one of ${ENCODING_NAMES.join(", ")}, got "${given}"`,
    );
  }
  return e as TextEncodingName;
}

/** `--columns word,pos,ner` checked: non-empty names, one of them `word`. @throws ArgumentError */
export function parseColumns(spec: string): string[] {
  const names = spec.split(",").map((c) => c.trim());
  if (names.some((c) => c === "" || /\s/.test(c))) {
    throw new ArgumentError(`--columns: "${spec}" is not a list of column names like word,pos,ner`);
  }
  if (!names.includes("word")) {
    throw new ArgumentError(`--columns ${spec}: one column must be "word"`);
  }
  return names;
}

/** Which fields (1-based) of a label file hold the word and the label. */
export interface JoinColumns {
  word: number;
  label: number;
}

/** `--join-columns word=2,ner=3` (the label key may be the task name or `label`). */
export function parseJoinColumns(spec: string, task: string): JoinColumns {
  const out: Partial<JoinColumns> = {};
  for (const [k, v] of parseTasks(spec, "--join-columns")) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
      throw new ArgumentError(`--join-columns: ${k}=${v} needs a field number from 1`);
    }
    if (k === "word") out.word = n;
    else if (k === task || k === "label") out.label = n;
    else throw new ArgumentError(`--join-columns: "${k}" is neither word nor ${task} (or label)`);
  }
  if (out.word === undefined || out.label === undefined || out.word === out.label) {
    throw new ArgumentError(`--join-columns must give two fields, e.g. word=2,${task}=3`);
  }
  return out as JoinColumns;
}

/** A CoNLL column layout: names in file order, and whether `#` lines are comments. */
export interface ConllLayout {
  columns: string[];
  comments: boolean;
  /** How the layout was found, for the data line. */
  how: string;
}

/** The first token line: not blank, not `-DOCSTART-`, not a `#` comment. */
function firstTokenLine(text: string): { line: string; number: number } | null {
  let found: { line: string; number: number } | null = null;
  forEachLine(text, (line, number) => {
    if (found || isBlankLine(line) || line.startsWith("#")) return;
    if (splitFields(line)[0] === "-DOCSTART-") return;
    found = { line, number };
  });
  return found;
}

/** Fields of a token line: tab-separated when it has tabs (words may hold spaces), else blanks. */
function fieldsOf(line: string): string[] {
  return line.includes("\t") ? line.split("\t") : splitFields(line);
}

const LAYOUT_HELP =
  "name the columns with --columns (e.g. --columns word,pos,ner; _ for a column " +
  "to skip; an evaluate predictions file is --columns word,pos,_,ner,_)";

/**
 * The column layout of a CoNLL file from the field count of its first token line: 2 word,ner;
 * 3 word,pos,ner (CoNLL-2002); 4 word,pos,chunk,ner (CoNLL-2003); an integer first field then word
 * and tag (UniversalNER `.iob2`: id, word, tag, and any further columns skipped).
 * @throws CorpusFormatError naming the line and `--columns` for any other count.
 */
export function detectConllLayout(text: string, file: string): ConllLayout {
  const first = firstTokenLine(text);
  if (first === null) return { columns: ["word", "pos", "chunk", "ner"], comments: false, how: "" };
  const tabbed = fieldsOf(first.line);
  const n = tabbed.length;
  const how = `${n} fields at line ${first.number}`;
  if (n >= 3 && /^[1-9][0-9]*$/.test(tabbed[0])) {
    const rest = Array.from({ length: n - 3 }, () => "_");
    return { columns: ["id", "word", "ner", ...rest], comments: true, how: `${how}, UniversalNER` };
  }
  const known: Record<number, string[]> = {
    2: ["word", "ner"],
    3: ["word", "pos", "ner"],
    4: ["word", "pos", "chunk", "ner"],
  };
  if (known[n]) return { columns: known[n], comments: false, how };
  throw new CorpusFormatError(
    file,
    first.number,
    undefined,
    `${n} fields, and no known layout has ${n} (2 word,ner; 3 word,pos,ner; 4 word,pos,chunk,ner; ` +
      `UniversalNER id,word,ner,…): ${LAYOUT_HELP}`,
  );
}

/** Options of {@link parseCorpus}. */
export interface ReadCorpusOptions {
  format?: string;
  tasks: TaskColumns;
  encoding?: string;
  /** CoNLL column names in file order (default: detected from the field count). */
  columns?: readonly string[];
  limit?: number;
  /** Drop tasks whose column the (detected) CoNLL layout lacks instead of failing (default tasks). */
  optionalTasks?: boolean;
  /** Receives one line about the file: encoding, layout, sentences. */
  onNote?: (line: string) => void;
}

function encodingNote(d: DecodedText): string {
  const name = { "utf-8": "UTF-8", "windows-1252": "windows-1252", "utf-16le": "UTF-16 LE" }[
    d.encoding as string
  ] ?? "UTF-16 BE";
  return d.bom ? `${name} (BOM)` : name;
}

/** The file has no sentence: an error naming it (and why, for an empty or header-only file). */
function noSentences(file: string, text: string, format: CorpusFormat): CorpusFormatError {
  const lines = text.split("\n").filter((l) => l.trim() !== "").length;
  const what = lines === 0
    ? "the file is empty"
    : format === "csv" && lines === 1
    ? "the file has only a header line, no rows"
    : "no sentences (only blank, -DOCSTART- or comment lines)";
  return new CorpusFormatError(file, Math.max(1, lines), undefined, what);
}

/**
 * A ragged row, naming the first missing field (or the first extra one by number) and the
 * layout it was held against; for CoNLL also the flag that changes the layout.
 */
function raggedRow(e: RaggedRowError, names: readonly string[], hint: string): CorpusError {
  const field = e.actual < e.expected ? names[e.actual] : `${e.expected + 1}`;
  return new CorpusFormatError(
    e.file,
    e.line,
    field,
    `expected ${e.expected} fields (${names.join(",")}), found ${e.actual}${hint}`,
  );
}

/** Parses one corpus from bytes; sentences get one column per task, named after the task. */
export function parseCorpus(bytes: Uint8Array, file: string, o: ReadCorpusOptions): Sentence[] {
  const format = formatOf(file, o.format);
  const decoded = decodeCorpus(bytes, file, parseEncoding(o.encoding));
  const { text } = decoded;
  const parsed = format === "csv"
    ? { sentences: csvSentences(text, file, o), layout: "" }
    : format === "conllu"
    ? { sentences: conlluSentences(text, file, o), layout: "" }
    : conllSentences(text, file, o);
  let { sentences } = parsed;
  if (sentences.length === 0) throw noSentences(file, text, format);
  if (o.limit !== undefined) sentences = sentences.slice(0, o.limit);
  o.onNote?.(`${file}: ${encodingNote(decoded)}${parsed.layout}, ${sentences.length} sentences`);
  return sentences;
}

/** A CSV corpus (columns named by its header); a ragged row is held against the header. */
function csvSentences(text: string, file: string, o: ReadCorpusOptions): Sentence[] {
  try {
    return readCsvCorpus(text, { file, columns: Object.fromEntries(o.tasks) });
  } catch (e) {
    if (!(e instanceof RaggedRowError)) throw e;
    throw raggedRow(e, text.slice(0, text.indexOf("\n")).trim().split(","), "");
  }
}

/** A CoNLL-U corpus; every task must name one of its ten fields. */
function conlluSentences(text: string, file: string, o: ReadCorpusOptions): Sentence[] {
  for (const [, f] of o.tasks) {
    if (!(CONLLU_FIELDS as readonly string[]).includes(f)) {
      throw new ArgumentError(
        `--tasks: "${f}" is not a CoNLL-U field (${CONLLU_FIELDS.join(", ")})`,
      );
    }
  }
  try {
    return readConllu(text, {
      file,
      fields: Object.fromEntries(o.tasks) as Record<string, ConlluField>,
    });
  } catch (e) {
    throw e instanceof RaggedRowError ? raggedRow(e, CONLLU_FIELDS, " (tab-separated)") : e;
  }
}

/**
 * A CoNLL corpus in the layout of --columns, else the detected one (then also the note that says
 * so, else ""); each sentence keeps only the task columns, renamed to the tasks.
 */
function conllSentences(
  text: string,
  file: string,
  o: ReadCorpusOptions,
): { sentences: Sentence[]; layout: string } {
  const found = o.columns ? undefined : detectConllLayout(text, file);
  const names = o.columns ?? found!.columns;
  const layout = found?.how
    ? `, columns ${names.join(",")} (${found.how}; --columns to change)`
    : "";
  const tasks = conllTasks(o, names, file);
  let sentences: Sentence[];
  try {
    sentences = readConll(text, { file, columns: names, comments: found?.comments });
  } catch (e) {
    if (!(e instanceof RaggedRowError)) throw e;
    const from = o.columns !== undefined ? " from --columns" : "";
    throw raggedRow(e, names, `${from}: ${LAYOUT_HELP}`);
  }
  return {
    sentences: sentences.map((s) => ({
      ...s,
      columns: Object.fromEntries(tasks.map(([t, c]) => [t, s.columns[c]])),
    })),
    layout,
  };
}

/**
 * The tasks to read from CoNLL columns `names`: all of --tasks, or with `optionalTasks` those
 * whose column is there (at least one); throws on a task column that is missing or skipped (`_`).
 */
function conllTasks(o: ReadCorpusOptions, names: readonly string[], file: string): TaskColumns {
  const tasks = o.optionalTasks ? o.tasks.filter(([, c]) => names.includes(c)) : o.tasks;
  if (tasks.length === 0 && o.tasks.length > 0) {
    throw new ArgumentError(
      `--tasks: none of the columns ${o.tasks.map(([, c]) => c).join(",")} is among ` +
        `the columns ${names.join(",")} of ${file} (set them with --columns or --tasks)`,
    );
  }
  for (const [, c] of tasks) {
    if (!names.includes(c) || c === "_") {
      throw new ArgumentError(
        `--tasks: column "${c}" is not among the CoNLL columns ${names.join(",")} of ${file} ` +
          `(set them with --columns, or the tasks with --tasks)`,
      );
    }
  }
  return tasks;
}

/** Reads the corpus of `flag` (e.g. --train); errors name the flag, file, line and field. */
export async function loadCorpusFile(
  flag: string,
  path: string,
  o: ReadCorpusOptions,
): Promise<Sentence[]> {
  const bytes = await readInput(path, flag);
  try {
    return parseCorpus(bytes, path, o);
  } catch (e) {
    if (e instanceof CorpusError) e.message = `${flag} ${e.message}`;
    throw e;
  }
}

/** Options of {@link loadJoinFile}. */
export interface JoinFileOptions {
  encoding?: string;
  joinColumns?: JoinColumns;
}

/** Joins the label file of `flag` onto `base`; errors name the flag, file, line and field. */
export async function loadJoinFile(
  flag: string,
  path: string,
  base: readonly Sentence[],
  task: string,
  o: JoinFileOptions = {},
): Promise<Sentence[]> {
  const bytes = await readInput(path, flag);
  try {
    return joinLabelFile(base, bytes, path, task, o.encoding, o.joinColumns);
  } catch (e) {
    if (e instanceof CorpusError) e.message = `${flag} ${e.message}`;
    throw e;
  }
}

/**
 * Converts entity columns to IOB2 in place. The scheme is the one most entities follow; labels
 * that do not fit it are counted and named (file:line label) and read as conlleval does.
 * Returns a note per task that was converted or had such labels.
 */
export function normalizeSchemes(sets: Sentence[][], tasks: readonly string[]): string[] {
  const notes: string[] = [];
  for (const t of tasks) {
    const all = sets.flat();
    const vote = detectSchemeByMajority(all.map((s) => s.columns[t]));
    if (vote === null || (vote.scheme === "IOB2" && vote.strays.length === 0)) continue;
    const strays = vote.strays.map(([s, i]) =>
      `${all[s].source.file}:${tokenLine(all[s], i)} ${all[s].columns[t][i]}`
    );
    for (const s of all) s.columns[t] = convertScheme(s.columns[t], "IOB2");
    const converted = vote.scheme === "IOB2" ? "" : `: ${vote.scheme} labels converted to IOB2`;
    notes.push(
      `${t}${converted}${converted ? "" : ": IOB2"}${
        strays.length
          ? ` (the scheme of most of its ${vote.entities} entities); ${strays.length} label(s) ` +
            `do not fit it, read as entity starts the way conlleval does: ${shortList(strays, 3)}`
          : ""
      }`,
    );
  }
  return notes;
}

/** The word and label fields of a label file: `--join-columns`, else from its first token line. */
function joinLayout(text: string, file: string, task: string, given?: JoinColumns): JoinColumns {
  if (given) return given;
  const first = firstTokenLine(text);
  if (first === null) return { word: 1, label: 2 };
  const fields = fieldsOf(first.line);
  if (fields.length === 2) return { word: 1, label: 2 };
  if (fields.length >= 3 && /^[1-9][0-9]*$/.test(fields[0])) return { word: 2, label: 3 };
  throw new CorpusFormatError(
    file,
    first.number,
    undefined,
    `${fields.length} fields; a label file is word ${task} (2 fields) or UniversalNER ` +
      `(id word ${task} …): name the fields with --join-columns word=N,${task}=M`,
  );
}

/**
 * Adds task `task` to `base` from a second file of token lines (IOB2, CoNLL style: `word label`,
 * or UniversalNER `.iob2` with an index and extra columns; `joinColumns` picks other fields)
 * whose sentences carry the same `# sent_id` comments (e.g. NER for a CoNLL-U treebank).
 * @throws CorpusFormatError naming the file and line for a missing partner or differing words.
 */
export function joinLabelFile(
  base: readonly Sentence[],
  bytes: Uint8Array,
  file: string,
  task: string,
  encoding?: string,
  joinColumns?: JoinColumns,
): Sentence[] {
  const { text } = decodeCorpus(bytes, file, parseEncoding(encoding));
  const at = joinLayout(text, file, task, joinColumns);
  const first = firstTokenLine(text);
  const count = first ? fieldsOf(first.line).length : Math.max(at.word, at.label);
  const names = Array.from({ length: count }, (_, i) => `${i + 1}`);
  if (Math.max(at.word, at.label) > count) {
    throw new ArgumentError(
      `--join-columns: ${file} has ${count} fields, not ${Math.max(at.word, at.label)}`,
    );
  }
  names[at.word - 1] = "word";
  names[at.label - 1] = task;
  let extra: Sentence[];
  try {
    extra = readConll(text, { file, comments: true, columns: names });
  } catch (e) {
    if (!(e instanceof RaggedRowError)) throw e;
    throw new CorpusFormatError(
      e.file,
      e.line,
      e.actual < e.expected ? names[e.actual] : `${e.expected + 1}`,
      `expected ${e.expected} fields like the first token line, found ${e.actual} ` +
        `(--join-columns word=N,${task}=M picks the fields)`,
    );
  }
  if (extra.length === 0) throw noSentences(file, text, "conll");
  return joinColumn(base, extra, { from: task, to: task });
}
