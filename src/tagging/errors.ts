/**
 * Error classes for the data side of the tagging pipeline.
 *
 * Every corpus error carries the file name, the 1-based line and (when one applies) the field, so
 * a user can jump straight to the offending input; the message repeats them in `file:line` form.
 * @module
 */

/** Formats `file:line` plus an optional field name, the common prefix of corpus error messages. */
function where(file: string, line: number, field?: string): string {
  return field === undefined ? `${file}:${line}` : `${file}:${line}: field "${field}"`;
}

/** Base class for every problem found in a corpus file; `file`, `line` and `field` locate it. */
export class CorpusError extends Error {
  /** File name as given to the reader (used only for messages). */
  readonly file: string;
  /** 1-based line number of the problem. */
  readonly line: number;
  /** Column / field name involved, when one applies. */
  readonly field?: string;

  /** Builds the message `file:line: field "x": detail`. */
  constructor(file: string, line: number, field: string | undefined, detail: string) {
    super(`${where(file, line, field)}: ${detail}`);
    this.name = "CorpusError";
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

/** A row/line whose number of fields differs from the header or the configured column list. */
export class RaggedRowError extends CorpusError {
  /** Number of fields the header / column configuration requires. */
  readonly expected: number;
  /** Number of fields found on the line. */
  readonly actual: number;

  /** `expected` and `actual` are field counts. */
  constructor(file: string, line: number, expected: number, actual: number) {
    super(file, line, undefined, `expected ${expected} fields, found ${actual}`);
    this.name = "RaggedRowError";
    this.expected = expected;
    this.actual = actual;
  }
}

/** A required column is absent from the header (or from the configured column list). */
export class MissingColumnError extends CorpusError {
  /** Column names that were available. */
  readonly available: readonly string[];

  /** `column` is the missing name; `available` lists what the header does contain. */
  constructor(file: string, line: number, column: string, available: readonly string[]) {
    super(
      file,
      line,
      column,
      `missing column; available: ${available.map((c) => JSON.stringify(c)).join(", ")}`,
    );
    this.name = "MissingColumnError";
    this.available = available;
  }
}

/** A sentence block that contains no tokens (e.g. CoNLL-U comments followed by a blank line). */
export class EmptySentenceError extends CorpusError {
  /** `line` is where the empty sentence starts. */
  constructor(file: string, line: number, detail = "sentence has no tokens") {
    super(file, line, undefined, detail);
    this.name = "EmptySentenceError";
  }
}

/** Bytes that cannot be decoded with the requested encoding. */
export class DecodeError extends CorpusError {
  /** Byte offset of the first undecodable byte. */
  readonly byteOffset: number;
  /** Encoding that failed. */
  readonly encoding: string;

  /** `line` is the 1-based line containing `byteOffset`. */
  constructor(file: string, line: number, byteOffset: number, encoding: string) {
    super(file, line, undefined, `invalid ${encoding} byte sequence at byte offset ${byteOffset}`);
    this.name = "DecodeError";
    this.byteOffset = byteOffset;
    this.encoding = encoding;
  }
}

/** Any other malformed content: bad token ids, unterminated quotes, duplicate sentence ids, ... */
export class CorpusFormatError extends CorpusError {
  /** See {@link CorpusError}. */
  constructor(file: string, line: number, field: string | undefined, detail: string) {
    super(file, line, field, detail);
    this.name = "CorpusFormatError";
  }
}

/** A label met at evaluation/test time that the training label map does not contain. */
export class UnknownLabelError extends CorpusError {
  /** The unseen label. */
  readonly label: string;

  /** `field` is the column (task) name whose label map was consulted. */
  constructor(label: string, file: string, line: number, field: string) {
    super(file, line, field, `label ${JSON.stringify(label)} is not in the training label map`);
    this.name = "UnknownLabelError";
    this.label = label;
  }
}

/** A label map JSON document that does not have the expected shape. */
export class LabelMapFormatError extends Error {
  /** `source` names where the JSON came from (file name or "<json>"). */
  constructor(source: string, detail: string) {
    super(`${source}: invalid label map: ${detail}`);
    this.name = "LabelMapFormatError";
  }
}

/** A label that does not fit the tag scheme an operation needs (e.g. `X-PER` when converting). */
export class TagSchemeError extends Error {
  /** `op` names the operation, `index` the position of `label` in its sequence. */
  constructor(op: string, label: string, index: number, detail: string) {
    super(`${op}: label ${JSON.stringify(label)} at position ${index}: ${detail}`);
    this.name = "TagSchemeError";
  }
}

/** Inconsistent sub-word encodings, windows or predictions handed to alignment/windowing/batching. */
export class AlignmentError extends Error {
  /** `op` names the function; `detail` gives the offending indices / lengths. */
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
    this.name = "AlignmentError";
  }
}

/** Invalid arguments (sizes, fractions, lengths) given to a data-side function. */
export class TaggingArgumentError extends Error {
  /** `op` names the function; `detail` the bad argument and its value. */
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
    this.name = "TaggingArgumentError";
  }
}
