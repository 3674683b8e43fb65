/**
 * Line iteration shared by the line-oriented readers.
 *
 * Lines end at LF only (a trailing CR is dropped). `String.prototype.split(/\r?\n/)` would also be
 * fine, but deliberately NOT any Unicode-aware splitter: cp1252 byte 0x85 decodes to U+2026 and
 * Latin-1 readers may yield U+0085 (NEL), which must stay inside its token.
 * @module
 */
import type { ProgressCallback } from "./sentence.ts";

/** How many lines pass between two progress callbacks. */
const PROGRESS_EVERY = 1 << 15;

/**
 * Calls `visit(line, lineNumber)` for every line of `text` (1-based numbers). A final empty line
 * after a trailing newline is not visited.
 */
export function forEachLine(
  text: string,
  visit: (line: string, lineNumber: number) => void,
  onProgress?: ProgressCallback,
): void {
  const n = text.length;
  let pos = 0;
  let lineNumber = 1;
  while (pos < n) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = n;
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    visit(text.slice(pos, end), lineNumber);
    pos = nl + 1;
    if (onProgress !== undefined && lineNumber % PROGRESS_EVERY === 0) onProgress(pos, n);
    lineNumber++;
  }
  onProgress?.(n, n);
}

/** Splits a CoNLL token line on runs of spaces/tabs (not on other Unicode spaces inside words). */
export function splitFields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && isBlank(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isBlank(line.charCodeAt(i))) i++;
    out.push(line.slice(start, i));
  }
  return out;
}

/** True for a line holding only spaces/tabs (or nothing): a sentence separator in CoNLL. */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isBlank(line.charCodeAt(i))) return false;
  return true;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
