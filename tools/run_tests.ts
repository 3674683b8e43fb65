/**
 * `deno task test` (= `npm test`): runs `deno test` on test/ (or the paths given) with the
 * suite's permissions, then prints one line naming each optional component that was missing, how
 * many tests it cost, and the command that installs it (test/helpers/optional.ts records them).
 * Exits with `deno test`'s status.
 *
 *   deno task test                              # the whole suite
 *   deno task test test/backend/gemm_test.ts    # some files
 * @module
 */
import { SKIP_LOG_ENV, skipSummary } from "../test/helpers/optional.ts";

/** Permissions of the suite (network only to its own local servers). */
export const TEST_FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-run",
  "--allow-sys",
  "--allow-net=127.0.0.1,localhost",
];

if (import.meta.main) {
  const log = await Deno.makeTempFile({ prefix: "jointag-skips-" });
  const paths = Deno.args.length ? Deno.args : ["test/"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", ...TEST_FLAGS, ...paths],
    env: { [SKIP_LOG_ENV]: log },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const { code } = await child.status;
  const summary = skipSummary(await Deno.readTextFile(log));
  await Deno.remove(log);
  if (summary) console.log(`\n${summary}`);
  Deno.exit(code);
}
