/**
 * RFC 4180 record splitting with line tracking.
 *
 * Quoted fields may contain the delimiter, doubled quotes and line breaks; CRLF and LF both end a
 * record. A quote inside an unquoted field is kept literally (as Python's csv module does), but
 * text after a closing quote or an unterminated quote is an error naming the line.
 * @module
 */
import { CorpusFormatError, TaggingArgumentError } from "../errors.ts";
import type { ProgressCallback } from "./sentence.ts";

/** Options for {@link forEachCsvRecord}. */
export interface CsvRecordOptions {
  /** Single-character field delimiter; default `","`. */
  delimiter?: string;
  /** File name for messages; default `"<input>"`. */
  file?: string;
  /** Progress in characters of `text`. */
  onProgress?: ProgressCallback;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const PROGRESS_EVERY = 1 << 15;

/**
 * Calls `visit(fields, line)` for each record of `text`; `line` is the 1-based line on which the
 * record starts. Nothing is yielded for the empty remainder after a final line break.
 */
export function forEachCsvRecord(
  text: string,
  visit: (fields: string[], line: number) => void,
  options: CsvRecordOptions = {},
): void {
  const delimiter = options.delimiter ?? ",";
  const file = options.file ?? "<input>";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TaggingArgumentError(
      "forEachCsvRecord",
      `delimiter must be one character other than quote/CR/LF, got ${JSON.stringify(delimiter)}`,
    );
  }
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let pos = 0;
  let line = 1;
  let records = 0;
  // Position of the next quote at or after `pos`; refreshed lazily so the scan stays linear.
  let nextQuote = text.indexOf('"');
  if (nextQuote < 0) nextQuote = n;
  while (pos < n) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = n;
    if (nextQuote < pos) {
      nextQuote = text.indexOf('"', pos);
      if (nextQuote < 0) nextQuote = n;
    }
    if (nextQuote >= nl) {
      // Fast path: no quote on this line, so a plain split is exact.
      const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      visit(text.slice(pos, end).split(delimiter), line);
      pos = nl + 1;
      line++;
    } else {
      const startLine = line;
      const fields: string[] = [];
      let i = pos;
      for (;;) {
        if (i < n && text.charCodeAt(i) === QUOTE) {
          const openLine = line;
          let value = "";
          i++;
          for (;;) {
            const q = text.indexOf('"', i);
            if (q < 0) {
              throw new CorpusFormatError(file, openLine, undefined, "unterminated quoted field");
            }
            line += countLf(text, i, q);
            value += text.slice(i, q);
            if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
              value += '"';
              i = q + 2;
            } else {
              i = q + 1;
              break;
            }
          }
          fields.push(value);
          const c = i < n ? text.charCodeAt(i) : -1;
          if (c === delim) {
            i++;
            continue;
          }
          if (c === -1) break;
          if (c === LF) {
            i++;
            break;
          }
          if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) {
            i += 2;
            break;
          }
          throw new CorpusFormatError(
            file,
            line,
            undefined,
            `unexpected ${JSON.stringify(text[i])} after closing quote of field ${fields.length}`,
          );
        }
        // Unquoted field: runs to the delimiter or end of line.
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === delim || c === LF) break;
          i++;
        }
        const end = i > start && (i === n || text.charCodeAt(i) === LF) &&
            text.charCodeAt(i - 1) === CR
          ? i - 1
          : i;
        fields.push(text.slice(start, end));
        if (i < n && text.charCodeAt(i) === delim) {
          i++;
          continue;
        }
        if (i < n) i++; // the LF
        break;
      }
      visit(fields, startLine);
      pos = i;
      line++;
    }
    records++;
    if (options.onProgress !== undefined && records % PROGRESS_EVERY === 0) {
      options.onProgress(pos, n);
    }
  }
  options.onProgress?.(n, n);
}

function countLf(text: string, from: number, to: number): number {
  let count = 0;
  let i = text.indexOf("\n", from);
  while (i >= 0 && i < to) {
    count++;
    i = text.indexOf("\n", i + 1);
  }
  return count;
}
