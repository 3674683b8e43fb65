/**
 * `deno task build:web`: bundles the library (mod.ts → jointag.js), the browser page
 * (examples/browser/app.ts → app.js) and the CPU worker the page starts beside it
 * (src/io/web/cpu_worker.ts → cpu_worker.js: kernels and the WebAssembly GEMM, no BLAS) with
 * `deno bundle --platform browser` — the WGSL shaders are string modules
 * (src/generated/shaders.ts) and so end up inlined — copies index.html and style.css next to
 * them, and fails when a bundle mentions a Deno API (library code must stay runtime-free).
 *
 *   deno run --allow-read --allow-write --allow-run --allow-env tools/build_web.ts [out-dir]
 *
 * Default out-dir: dist/web.
 * @module
 */

/** Raised when bundling fails or a bundle uses a Deno API. */
export class WebBuildError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = "WebBuildError";
  }
}

const ROOT = new URL("../", import.meta.url);
const PAGE_FILES = ["index.html", "style.css"];
/**
 * Entry (relative to the repository root) → bundle name, and whether it must carry the WGSL
 * shaders (the worker computes on the CPU only).
 */
const BUNDLES: [string, string, boolean][] = [
  ["mod.ts", "jointag.js", true],
  ["examples/browser/app.ts", "app.js", true],
  ["src/io/web/cpu_worker.ts", "cpu_worker.js", false],
];

/** Where a bundle touches Deno: `Deno.` member access or the global by name. */
export function findDenoApi(js: string): string[] {
  const hits: string[] = [];
  for (const m of js.matchAll(/\bDeno\s*(?:\.\s*[A-Za-z_$][\w$]*|\[)|globalThis\s*\.\s*Deno\b/g)) {
    hits.push(m[0].replace(/\s+/g, ""));
  }
  return hits;
}

/** Result of {@link buildWeb}. */
export interface WebBuild {
  /** The output folder. */
  outDir: string;
  /** File name → size in bytes. */
  files: Record<string, number>;
}

/** Builds the page into `outDir` (created if needed). */
export async function buildWeb(outDir: string): Promise<WebBuild> {
  const root = ROOT.pathname;
  await Deno.mkdir(outDir, { recursive: true });
  const files: Record<string, number> = {};
  for (const [entry, name, shaders] of BUNDLES) {
    const out = `${outDir}/${name}`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "browser", "--quiet", "-o", out, entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!r.success) {
      throw new WebBuildError(entry, `deno bundle failed:\n${new TextDecoder().decode(r.stderr)}`);
    }
    const js = await Deno.readTextFile(out);
    const deno = findDenoApi(js);
    if (deno.length) {
      throw new WebBuildError(out, `uses Deno APIs in the browser bundle: ${[...new Set(deno)]}`);
    }
    if (shaders && !js.includes("@compute")) {
      throw new WebBuildError(
        out,
        "no WGSL (@compute) inlined: the shader imports were not bundled",
      );
    }
    files[name] = js.length;
  }
  for (const f of PAGE_FILES) {
    const bytes = await Deno.readFile(new URL(`examples/browser/${f}`, ROOT));
    await Deno.writeFile(`${outDir}/${f}`, bytes);
    files[f] = bytes.length;
  }
  return { outDir, files };
}

if (import.meta.main) {
  const out = Deno.args[0] ?? new URL("dist/web", ROOT).pathname;
  const t0 = performance.now();
  const { files } = await buildWeb(out);
  for (const [f, n] of Object.entries(files)) {
    console.log(`${out}/${f}  ${(n / 1024).toFixed(1)} KiB`);
  }
  console.log(
    `built in ${((performance.now() - t0) / 1000).toFixed(1)} s; serve with: deno task serve`,
  );
}
