/**
 * Joins an annotation column from one corpus onto another by sentence id — e.g. NER tags from an
 * IOB2 file (`readConll(..., { comments: true, columns: ["word", "ner"] })`) onto CoNLL-U
 * sentences, both keyed on `# sent_id`.
 * @module
 */
import { CorpusFormatError, MissingColumnError } from "../errors.ts";
import { type Sentence, tokenLine } from "./sentence.ts";

/** Options for {@link joinColumn}. */
export interface JoinColumnOptions {
  /** Column to take from the `extra` sentences; default `"ner"`. */
  from?: string;
  /** Name of the new column in the result; default: same as `from`. */
  to?: string;
  /** What to do with a base sentence whose id is absent from `extra`; default `"error"`. */
  onMissing?: "error" | "drop";
}

/**
 * Returns copies of `base` with column `to` taken from the `extra` sentence of the same id. Words
 * must match token by token, so a tokenisation difference is reported instead of mis-aligned.
 *
 * @throws CorpusFormatError for a sentence without id, duplicate ids in `extra`, a missing
 *   partner (with `onMissing: "error"`), or differing words.
 */
export function joinColumn(
  base: readonly Sentence[],
  extra: readonly Sentence[],
  options: JoinColumnOptions = {},
): Sentence[] {
  const from = options.from ?? "ner";
  const to = options.to ?? from;
  const byId = new Map<string, Sentence>();
  for (const s of extra) {
    if (s.id === undefined) {
      throw new CorpusFormatError(s.source.file, s.source.line, "sent_id", "sentence has no id");
    }
    if (byId.has(s.id)) {
      const first = byId.get(s.id)!.source;
      throw new CorpusFormatError(
        s.source.file,
        s.source.line,
        "sent_id",
        `duplicate sentence id ${JSON.stringify(s.id)} (first at ${first.file}:${first.line})`,
      );
    }
    if (s.columns[from] === undefined) {
      throw new MissingColumnError(s.source.file, s.source.line, from, Object.keys(s.columns));
    }
    byId.set(s.id, s);
  }
  const out: Sentence[] = [];
  for (const s of base) {
    if (s.id === undefined) {
      throw new CorpusFormatError(s.source.file, s.source.line, "sent_id", "sentence has no id");
    }
    const other = byId.get(s.id);
    if (other === undefined) {
      if (options.onMissing === "drop") continue;
      throw new CorpusFormatError(
        s.source.file,
        s.source.line,
        "sent_id",
        `no sentence ${JSON.stringify(s.id)} in the joined file`,
      );
    }
    if (other.words.length !== s.words.length) {
      throw new CorpusFormatError(
        s.source.file,
        s.source.line,
        "FORM",
        `sentence ${s.id} has ${s.words.length} words but ${other.source.file}:${other.source.line} has ${other.words.length}`,
      );
    }
    for (let i = 0; i < s.words.length; i++) {
      if (s.words[i] !== other.words[i]) {
        throw new CorpusFormatError(
          s.source.file,
          tokenLine(s, i),
          "FORM",
          `word ${JSON.stringify(s.words[i])} differs from ${
            JSON.stringify(other.words[i])
          } at ${other.source.file}:${tokenLine(other, i)}`,
        );
      }
    }
    out.push({
      ...s,
      columns: { ...s.columns, [to]: other.columns[from].slice() },
    });
  }
  return out;
}
