/**
 * The npm build (tools/build_npm.ts): every `exports` entry has its JavaScript and types, Node
 * imports the build and runs two training steps on the CPU with the very losses Deno gets from
 * the sources, and the package's `jointag` command runs the CLI. Ignored (and named in the skip
 * summary) where no Node.js 20+ is on PATH.
 * @module
 */
import assert from "node:assert/strict";
import * as core from "../../mod.ts";
import * as tagging from "../../tagging.ts";
import { buildNpm } from "../../tools/build_npm.ts";
import { without } from "../helpers/optional.ts";
import { twoSteps } from "./two_steps.mjs";

const ROOT = new URL("../../", import.meta.url);

/** Node's major version, or 0 when there is no `node`. */
async function nodeMajor(): Promise<number> {
  try {
    const r = await new Deno.Command("node", { args: ["--version"], stdout: "piped" }).output();
    return r.success ? Number(/^v(\d+)/.exec(new TextDecoder().decode(r.stdout))?.[1] ?? 0) : 0;
  } catch {
    return 0;
  }
}

const major = await nodeMajor();

/** Runs node with `args` from the repository root; returns stdout (throws with stderr on failure). */
async function node(...args: string[]): Promise<string> {
  const r = await new Deno.Command("node", { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .output();
  const err = new TextDecoder().decode(r.stderr);
  assert.ok(r.success, `node ${args.join(" ")} failed:\n${err}`);
  return new TextDecoder().decode(r.stdout);
}

Deno.test({
  name: "npm build: exports resolve, Node trains two steps with Deno's losses, bin runs the CLI",
  ignore: without("node", major >= 20, major ? `found Node ${major}` : "no node on PATH"),
  async fn() {
    // Inside the repository (dist/ is ignored) so the bin finds the `deno` npm package as an
    // installed package would find its dependency.
    await Deno.mkdir(new URL("dist/", ROOT), { recursive: true });
    const out = await Deno.makeTempDir({ dir: new URL("dist/", ROOT).pathname, prefix: "npm-" });
    try {
      const pkg = await buildNpm(out) as {
        version: string;
        exports: Record<string, Record<string, string>>;
      };
      for (const [sub, files] of Object.entries(pkg.exports)) {
        for (const f of Object.values(files)) {
          assert.ok((await Deno.stat(`${out}/${f}`)).isFile, `${sub}: ${f}`);
        }
      }
      const fromNode = JSON.parse(await node("test/npm/two_steps.mjs", out)).losses;
      const fromDeno = await twoSteps(core, tagging);
      assert.equal(fromDeno.length, 2);
      assert.deepEqual(fromNode, fromDeno);
      const version = await node(`${out}/bin/jointag.mjs`, "--version");
      assert.equal(version.trim(), `jointag ${pkg.version}`);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
