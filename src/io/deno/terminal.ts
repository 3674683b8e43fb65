/**
 * Deno adapters for the command line: whether stdout/stderr are terminals, unbuffered writes, and
 * a file system with appends (for JSONL logs).
 * @module
 */
import { DenoFileSystem } from "./fs.ts";

const encoder = new TextEncoder();

/** Whether standard output is a terminal (progress bars redraw in place only there). */
export function stdoutIsTerminal(): boolean {
  return Deno.stdout.isTerminal();
}

/** Whether standard error is a terminal. */
export function stderrIsTerminal(): boolean {
  return Deno.stderr.isTerminal();
}

/** Writes text to standard output as is (no newline added). */
export function writeStdout(text: string): void {
  const bytes = encoder.encode(text);
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/** Writes text to standard error as is. */
export function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let off = 0;
  while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
}

/**
 * {@link DenoFileSystem} with `appendText`, kept for callers of the earlier API (every
 * FileSystem now has `appendFile`).
 */
export class DenoAppendFileSystem extends DenoFileSystem {
  /** Appends `text` to `path` (created if missing). */
  appendText(path: string, text: string): Promise<void> {
    return this.appendFile(path, text);
  }
}
