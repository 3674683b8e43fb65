/**
 * Runs the project's CLI (cli/main.ts) in a child Deno process, as a user would, for the CLI tests.
 * @module
 */

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `jointag <args…>` with every permission and returns its exit code and output. */
export async function cli(...args: string[]): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
