/**
 * Bidirectional label ↔ id map for one annotation column (task).
 * @module
 */
import {
  LabelMapFormatError,
  MissingColumnError,
  TaggingArgumentError,
  UnknownLabelError,
} from "../errors.ts";
import { type Sentence, tokenLine } from "./sentence.ts";

/** JSON form of a {@link LabelMap}. */
export interface LabelMapJson {
  /** Column (task) name, e.g. `"ner"`. */
  column: string;
  /** Labels in id order. */
  labels: string[];
}

/** Location used in {@link UnknownLabelError} messages. */
export interface LabelSite {
  /** File name. */
  file: string;
  /** 1-based line. */
  line: number;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Maps the labels of one column to dense ids `0..size-1` and back. */
export class LabelMap {
  /** Column (task) name this map belongs to; named in error messages. */
  readonly column: string;
  /** Labels in id order. */
  readonly labels: readonly string[];
  readonly #ids: Map<string, number>;

  /**
   * Uses `labels` in the given order.
   * @throws TaggingArgumentError on duplicate or empty labels.
   */
  constructor(labels: readonly string[], column = "label") {
    this.column = column;
    this.labels = Object.freeze(labels.slice());
    this.#ids = new Map();
    labels.forEach((l, i) => {
      if (typeof l !== "string" || l === "") {
        throw new TaggingArgumentError("LabelMap", `label ${i} of "${column}" is empty`);
      }
      if (this.#ids.has(l)) {
        throw new TaggingArgumentError(
          "LabelMap",
          `duplicate label ${JSON.stringify(l)} in "${column}"`,
        );
      }
      this.#ids.set(l, i);
    });
  }

  /**
   * Collects every label of `column` in `sentences` (the training set) and orders them
   * deterministically: `"O"` first when present (so id 0 is "outside" for NER), then the rest by
   * UTF-16 code units — independent of corpus order.
   * @throws MissingColumnError when a sentence lacks `column`.
   */
  static fromSentences(sentences: readonly Sentence[], column: string): LabelMap {
    const seen = new Set<string>();
    for (const s of sentences) {
      const values = s.columns[column];
      if (values === undefined) {
        throw new MissingColumnError(s.source.file, s.source.line, column, Object.keys(s.columns));
      }
      for (const v of values) seen.add(v);
    }
    const rest = [...seen].filter((l) => l !== "O").sort(byCodeUnits);
    return new LabelMap(seen.has("O") ? ["O", ...rest] : rest, column);
  }

  /**
   * Rebuilds a map from {@link LabelMap.toJSON} output (already parsed, or as a JSON string).
   * @throws LabelMapFormatError when the document has the wrong shape.
   */
  static fromJSON(json: unknown, source = "<json>"): LabelMap {
    let doc = json;
    if (typeof doc === "string") {
      try {
        doc = JSON.parse(doc);
      } catch (e) {
        throw new LabelMapFormatError(source, `not JSON (${(e as Error).message})`);
      }
    }
    if (typeof doc !== "object" || doc === null) {
      throw new LabelMapFormatError(source, "expected an object");
    }
    const { column, labels } = doc as Record<string, unknown>;
    if (typeof column !== "string") {
      throw new LabelMapFormatError(source, `"column" must be a string`);
    }
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === "string" && l !== "")) {
      throw new LabelMapFormatError(source, `"labels" must be an array of non-empty strings`);
    }
    if (new Set(labels).size !== labels.length) {
      throw new LabelMapFormatError(source, `"labels" contains duplicates`);
    }
    return new LabelMap(labels as string[], column);
  }

  /** Plain JSON form; `JSON.stringify(map)` uses it. */
  toJSON(): LabelMapJson {
    return { column: this.column, labels: this.labels.slice() };
  }

  /** Number of labels. */
  get size(): number {
    return this.labels.length;
  }

  /** True when `label` is in the map. */
  has(label: string): boolean {
    return this.#ids.has(label);
  }

  /**
   * Id of `label`.
   * @throws UnknownLabelError naming `site` (default `<unknown>:0`) and the column.
   */
  id(label: string, site?: LabelSite): number {
    const id = this.#ids.get(label);
    if (id === undefined) {
      throw new UnknownLabelError(label, site?.file ?? "<unknown>", site?.line ?? 0, this.column);
    }
    return id;
  }

  /**
   * Label of `id`.
   * @throws TaggingArgumentError when `id` is not in `0..size-1`.
   */
  label(id: number): string {
    const l = this.labels[id];
    if (l === undefined || !Number.isInteger(id)) {
      throw new TaggingArgumentError(
        "LabelMap.label",
        `id ${id} out of range for "${this.column}" (${this.size} labels)`,
      );
    }
    return l;
  }

  /**
   * Ids of the sentence's labels in this map's column.
   * @throws MissingColumnError when the sentence lacks the column.
   * @throws UnknownLabelError naming the token's file and line for an unseen label.
   */
  encode(sentence: Sentence): Int32Array {
    const values = sentence.columns[this.column];
    if (values === undefined) {
      throw new MissingColumnError(
        sentence.source.file,
        sentence.source.line,
        this.column,
        Object.keys(sentence.columns),
      );
    }
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const id = this.#ids.get(values[i]);
      out[i] = id ??
        this.id(values[i], { file: sentence.source.file, line: tokenLine(sentence, i) });
    }
    return out;
  }

  /** Labels of `ids` (each checked as in {@link LabelMap.label}). */
  decode(ids: ArrayLike<number>): string[] {
    const out = new Array<string>(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.label(ids[i]);
    return out;
  }
}
