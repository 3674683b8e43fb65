/**
 * `deno task build:npm`: the npm package in dist/npm/. TypeScript (npm `typescript`, a pinned dev
 * dependency) compiles the entry points and everything they import, file for file, to ES modules
 * with `.d.ts` beside each (relative `.ts` imports rewritten to `.js`; no type check here, `deno
 * check` does that). A package.json maps `jointag`, `jointag/bert`, `jointag/tagging` and
 * `jointag/deno` to them with their types, and `bin` runs the CLI (bin/jointag.mjs, from
 * cli/npm_bin.mjs) with the Deno binary of the `deno` npm package.
 *
 * Why not `deno bundle --declaration`: with several entry points it writes each entry's
 * declarations concatenated, with duplicate identifiers and imports of files it did not emit.
 * File-for-file output also keeps one copy of the library's state (the active backend) across
 * the entry points, and the CPU worker module at a path the pool can start.
 *
 *   deno task build:npm [out-dir]     # default dist/npm; then `npm pack dist/npm`
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };
import packageJson from "../package.json" with { type: "json" };

const ROOT = new URL("../", import.meta.url);

/** Entry points: subpath → source, relative to the root. */
export const NPM_ENTRIES: Record<string, string> = {
  ".": "mod.ts",
  "./bert": "bert.ts",
  "./tagging": "tagging.ts",
  "./deno": "deno.ts",
};

/**
 * Compiled too, though no entry point imports them: the CLI and the workers the pools start by
 * URL (Deno's, and the Web-standard one a page's `createCpuWorkerPool` can name).
 */
const EXTRA_SOURCES = ["cli/main.ts", "src/io/deno/cpu_worker.ts", "src/io/web/cpu_worker.ts"];

/** Raised when the compiler fails or the output is incomplete. */
export class NpmBuildError extends Error {
  /** @param detail what went wrong */
  constructor(detail: string) {
    super(`build:npm: ${detail}`);
    this.name = "NpmBuildError";
  }
}

/** The package.json of the build. */
export function npmPackageJson(): Record<string, unknown> {
  const exports: Record<string, { types: string; default: string }> = {};
  for (const [sub, src] of Object.entries(NPM_ENTRIES)) {
    const base = "./" + src.replace(/\.ts$/, "");
    exports[sub] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  return {
    name: packageJson.name,
    version: denoJson.version,
    description: packageJson.description,
    license: denoJson.license,
    type: "module",
    exports,
    types: "./mod.d.ts",
    bin: { jointag: "bin/jointag.mjs" },
    engines: { node: ">=20" },
    dependencies: { deno: packageJson.devDependencies.deno },
  };
}

/** Compiles the sources into `outDir` with tsc. */
async function compile(outDir: string): Promise<void> {
  const tsc = new URL("node_modules/typescript/bin/tsc", ROOT).pathname;
  const args = [
    tsc,
    ...["--outDir", outDir, "--rootDir", ".", "--declaration", "--noCheck", "--skipLibCheck"],
    ...["--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler"],
    ...["--rewriteRelativeImportExtensions", "--resolveJsonModule", "--removeComments", "false"],
    ...Object.values(NPM_ENTRIES),
    ...EXTRA_SOURCES,
  ];
  const r = await new Deno.Command("node", { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .output();
  if (!r.success) {
    const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
    throw new NpmBuildError(`tsc failed:\n${out}`);
  }
}

/** Files in `dir` (recursively) whose text matches `re`, relative to `dir`. */
async function grep(dir: string, re: RegExp, ext: string): Promise<string[]> {
  const hits: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) hits.push(...(await grep(p, re, ext)).map((h) => `${e.name}/${h}`));
    else if (e.name.endsWith(ext) && re.test(await Deno.readTextFile(p))) hits.push(e.name);
  }
  return hits;
}

/** Builds the package into `outDir` (emptied first); returns the package.json written. */
export async function buildNpm(outDir: string): Promise<Record<string, unknown>> {
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await compile(outDir);
  // A relative .ts import left in the output would fail at run time in Node.
  const stale = await grep(outDir, /(?:from|import)\s*\(?\s*["']\.{1,2}\/[^"']*\.ts["']/, ".js");
  if (stale.length) throw new NpmBuildError(`.ts imports left in ${stale.join(", ")}`);
  const pkg = npmPackageJson();
  await Deno.writeTextFile(`${outDir}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
  await Deno.mkdir(`${outDir}/bin`);
  await Deno.copyFile(new URL("cli/npm_bin.mjs", ROOT), `${outDir}/bin/jointag.mjs`);
  await Deno.chmod(`${outDir}/bin/jointag.mjs`, 0o755);
  for (const f of ["README.md", "LICENSE"]) await Deno.copyFile(new URL(f, ROOT), `${outDir}/${f}`);
  return pkg;
}

if (import.meta.main) {
  const outDir = Deno.args[0] ?? new URL("dist/npm", ROOT).pathname;
  await buildNpm(outDir);
  console.log(`wrote ${outDir} (npm pack ${outDir} makes the tarball)`);
}
