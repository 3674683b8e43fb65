#!/usr/bin/env node
/**
 * The `jointag` command of the npm package (`npx jointag train …`). The CLI is a Deno program
 * (files, FFI to BLAS, worker threads, WebGPU), so this launcher runs the package's compiled
 * cli/main.js with the Deno binary of the `deno` npm package, a dependency of the build
 * (tools/build_npm.ts copies this file to bin/jointag.mjs). Arguments, stdio and the exit status
 * pass through.
 * @module
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const main = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const r = spawnSync(process.execPath, [
  require.resolve("deno/bin.cjs"),
  "run",
  "--allow-all",
  "--unstable-webgpu",
  "--no-config",
  main,
  ...process.argv.slice(2),
], { stdio: "inherit" });
if (r.error) throw r.error;
process.exit(r.status ?? 1);
