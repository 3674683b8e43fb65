/**
 * A small command-line flag parser: `--name value`, `--name=value`, boolean `--flag`, and
 * positionals; unknown flags and missing or malformed values are errors that name the flag.
 * @module
 */

/** One flag of a command. */
export interface FlagSpec {
  /** Value kind (boolean flags take no value). */
  type: "string" | "number" | "integer" | "boolean";
  /** Help text. */
  help: string;
  /** Default shown in the help (and applied by the caller). */
  default?: string | number | boolean;
  /** Placeholder in the help (default from the type). */
  value?: string;
}

/** A command-line problem (printed without a stack trace). */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentError";
  }
}

/** Parsed flags and positionals. */
export interface Parsed {
  flags: Record<string, string | number | boolean>;
  positionals: string[];
}

/** Parses `argv` against `specs`. @throws ArgumentError */
export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): Parsed {
  const flags: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--") || a === "--") {
      if (a === "--") positionals.push(...argv.slice(i + 1)), (i = argv.length);
      else positionals.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) {
      throw new ArgumentError(`unknown option --${name} (see --help)`);
    }
    if (spec.type === "boolean") {
      if (eq >= 0) {
        const v = a.slice(eq + 1);
        if (v !== "true" && v !== "false") {
          throw new ArgumentError(`--${name} takes no value or true/false, got "${v}"`);
        }
        flags[name] = v === "true";
      } else flags[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new ArgumentError(`--${name} needs a value`);
      raw = argv[++i];
    }
    if (spec.type === "string") flags[name] = raw;
    else {
      const n = Number(raw);
      if (
        raw.trim() === "" || !Number.isFinite(n) ||
        (spec.type === "integer" && !Number.isInteger(n))
      ) {
        throw new ArgumentError(
          `--${name} needs ${spec.type === "integer" ? "an integer" : "a number"}, got "${raw}"`,
        );
      }
      flags[name] = n;
    }
  }
  return { flags, positionals };
}

/** Help text: usage, description and the flags. */
export function formatHelp(
  usage: string,
  description: string,
  specs: Record<string, FlagSpec>,
): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `--${name}${s.type === "boolean" ? "" : ` <${s.value ?? s.type}>`}`;
    const def = s.default !== undefined ? ` (default: ${s.default})` : "";
    return [left, s.help + def];
  });
  const w = Math.max(...rows.map(([l]) => l.length));
  return `usage: ${usage}\n\n${description}\n\noptions:\n${
    rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`).join("\n")
  }\n  ${"--help".padEnd(w)}  show this help\n`;
}

/** How a corpus file is read: the flags shared by `train`, `evaluate` and `compare`. */
export const CORPUS_FLAGS: Record<string, FlagSpec> = {
  format: {
    type: "string",
    value: "csv|conll|conllu",
    help: "corpus format (default: from the file extension)",
  },
  encoding: {
    type: "string",
    value: "name",
    help: "auto (BOM, UTF-16, UTF-8, else windows-1252), utf-8, utf-16le, utf-16be, " +
      "windows-1252 / cp1252 / latin1",
    default: "auto",
  },
  columns: {
    type: "string",
    value: "a,b,…",
    help: "CoNLL column names in file order, _ to skip one (default: from the field count: " +
      "word,ner / word,pos,ner / word,pos,chunk,ner / UniversalNER id,word,ner,…)",
  },
};
