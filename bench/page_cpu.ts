/// <reference lib="dom" />
/**
 * `deno task bench:page [--web=DIR] [--pages=Q1,Q2,…] [--runs=epoch,default] [--model=DIR]
 * [--repeats=3] [--out=FILE]`: how fast the browser page trains on its CPU fallback, in headless
 * Chromium (Debian's /usr/bin/chromium through npm playwright-core) with `navigator.gpu` hidden.
 *
 * The page is built from this checkout (tools/build_web.ts), or taken from `--web` (a page built
 * from another commit, to compare with: `git worktree add /tmp/old REV && cd /tmp/old && deno task
 * build:web /tmp/old_web`), and served as `deno task serve` serves it (COOP/COEP). Each of
 * `--pages` (address queries; default `?gemm=js&threads=1`, `?threads=1` and the page's own
 * choice) trains each of `--runs` on the demo corpus: `epoch`, the first epoch of 240 sentences (the
 * browser test's run), `default`, the page's defaults (400 sentences, 3 epochs); batch 16,
 * learning rate 0.01, seed 3. `--model`: a model folder (config.json, vocab.txt, weights) loaded
 * into the page first. The time is the page's own, from the state `training` to `trained` (a
 * MutationObserver on `body[data-state]`), so the browser automation's latency is not in it.
 *
 * JSON on stdout: per page and run the seconds of each repeat, their median, the median time
 * between consecutive update steps (from the progress line, which shows each step: the steady
 * training speed, without set-up, evaluation and checkpoints), the device line, and the ratio of
 * the first page's median to each page's.
 * @module
 */
import { serveStatic } from "../src/io/deno/static_server.ts";
import { formatConllCorpus, generateDemoCorpus } from "../tagging.ts";
import { buildWeb } from "../tools/build_web.ts";
import { benchOption } from "./options.ts";

const CHROMIUM = "/usr/bin/chromium";
const RUNS: Record<string, { epochs: number; sentences: number }> = {
  epoch: { epochs: 1, sentences: 240 },
  default: { epochs: 3, sentences: 400 },
};

const option = (name: string, fallback: string) => benchOption(name) ?? fallback;
const pages = option("pages", "?gemm=js&threads=1,?threads=1,").split(",");
const runs = option("runs", "epoch,default").split(",");
const repeats = Number(option("repeats", "3"));
const modelDir = benchOption("model");
if (runs.some((r) => !RUNS[r]) || !Number.isInteger(repeats) || repeats < 1) {
  console.error("usage: see bench/page_cpu.ts (--runs=epoch,default --repeats=N)");
  Deno.exit(2);
}

/**
 * Recorded in the page with their times: its state changes, and the progress line's texts (one per
 * update step: "epoch E · step S/T · …", in the page as it is now and as it was).
 */
const RECORD_STATES = () => {
  const w = globalThis as unknown as { states: [string, number][]; ticks: [string, number][] };
  w.states = [];
  w.ticks = [];
  addEventListener("DOMContentLoaded", () => {
    new MutationObserver(() => w.states.push([document.body.dataset.state!, performance.now()]))
      .observe(document.body, { attributes: true, attributeFilter: ["data-state"] });
    const progress = document.getElementById("progress-text")!;
    new MutationObserver(() => w.ticks.push([progress.textContent ?? "", performance.now()]))
      .observe(progress, { childList: true, characterData: true, subtree: true });
  });
};

/** Milliseconds between consecutive steps of one epoch, from the progress line's texts. */
function stepGaps(ticks: [string, number][]): number[] {
  const steps = ticks.flatMap(([text, ms]) => {
    const m = /epoch (\d+) · step (\d+)/.exec(text);
    return m ? [{ epoch: +m[1], step: +m[2], ms }] : [];
  });
  const gaps: number[] = [];
  for (let i = 1; i < steps.length; i++) {
    const a = steps[i - 1], b = steps[i];
    if (a.epoch === b.epoch && b.step === a.step + 1) gaps.push(b.ms - a.ms);
  }
  return gaps;
}

/** One training on a fresh page: its seconds from `training` to `trained`, and the device line. */
async function trainOnce(
  browser: import("playwright-core").Browser,
  url: string,
  corpusPath: string,
  run: { epochs: number; sentences: number },
): Promise<{ seconds: number; stepGaps: number[]; device: string }> {
  const ctx = await browser.newContext();
  await ctx.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "gpu", { get: () => undefined })
  );
  await ctx.addInitScript(RECORD_STATES);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector("body[data-state=ready]", { timeout: 60_000 });
  if (modelDir) {
    const files = [...Deno.readDirSync(modelDir)].filter((e) => e.isFile);
    await page.setInputFiles("#model-files", files.map((e) => `${modelDir}/${e.name}`));
    await page.waitForFunction(
      "!document.getElementById('model-status').textContent.includes('demo')",
      null,
      { timeout: 120_000 },
    );
  }
  await page.setInputFiles("#corpus-file", corpusPath);
  await page.waitForFunction(
    "document.getElementById('corpus-status').textContent.includes('sentences')",
  );
  const fields = { epochs: run.epochs, batch: 16, limit: run.sentences, lr: 0.01, seed: 3 };
  for (const [id, v] of Object.entries(fields)) await page.fill(`#${id}`, String(v));
  await page.click("#train");
  await page.waitForSelector("body[data-state=trained], body[data-state=error]", {
    timeout: 600_000,
  });
  if (await page.getAttribute("body", "data-state") === "error") {
    throw new Error(`${url}: ${await page.textContent(".card-error:not([hidden])")}`);
  }
  const { states, ticks } = await page.evaluate(() => {
    const w = globalThis as unknown as { states: [string, number][]; ticks: [string, number][] };
    return { states: w.states, ticks: w.ticks };
  });
  const start = states.findLast(([s]) => s === "training")![1];
  const end = states.find(([s, t]) => s === "trained" && t > start)![1];
  const device = (await page.textContent("#device")) ?? "";
  await ctx.close();
  return { seconds: (end - start) / 1000, stepGaps: stepGaps(ticks), device };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** One page's timings of a run. */
interface PageRow {
  /** In-page seconds from Train to trained, per repeat, and their median. */
  seconds: number[];
  median: number;
  /** Median time between consecutive update steps (ms; null without progress texts). */
  stepMs: number | null;
  /** The page's device line. */
  device: string;
}

if (!(await Deno.stat(CHROMIUM).catch(() => null))) {
  console.error(`bench:page needs ${CHROMIUM} (Debian: apt install chromium)`);
  Deno.exit(2);
}
const tmp = await Deno.makeTempDir({ prefix: "jointag-bench-page-" });
const root = benchOption("web") ?? (await buildWeb(`${tmp}/web`), `${tmp}/web`);
const corpusPath = `${tmp}/demo.conll`;
await Deno.writeTextFile(corpusPath, formatConllCorpus(generateDemoCorpus({ sentences: 400 })));
const server = await serveStatic({ root });
// playwright-core's is-wsl probe reads /proc at import time unless this is set.
Deno.env.set("__IS_WSL_TEST__", "1");
const { chromium } = await import("playwright-core");
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless=new", "--no-sandbox", "--disable-quic", "--no-first-run"],
});
const results: Record<string, Record<string, unknown>> = {};
try {
  for (const run of runs) {
    const rows: Record<string, PageRow> = {};
    for (const query of pages) {
      const seconds: number[] = [], gaps: number[] = [];
      let device = "";
      for (let i = 0; i < repeats; i++) {
        const r = await trainOnce(browser, `${server.url}${query}`, corpusPath, RUNS[run]);
        seconds.push(+r.seconds.toFixed(3));
        gaps.push(...r.stepGaps);
        device = r.device;
      }
      const stepMs = gaps.length ? +median(gaps).toFixed(2) : null;
      rows[query || "(page's choice)"] = { seconds, median: median(seconds), stepMs, device };
    }
    const first = Object.values(rows)[0];
    const ratio = (a: number | null, b: number | null) => a && b ? +(a / b).toFixed(2) : null;
    const speedups = Object.fromEntries(
      Object.entries(rows).map(([q, r]) => [q, {
        run: ratio(first.median, r.median),
        step: ratio(first.stepMs, r.stepMs),
      }]),
    );
    results[run] = { ...RUNS[run], pages: rows, speedupOverFirst: speedups };
  }
} finally {
  await browser.close();
  await server.close();
  await Deno.remove(tmp, { recursive: true });
}
const report = {
  date: new Date().toISOString(),
  web: benchOption("web") ?? "built from this checkout",
  model: modelDir ?? "the demo BERT",
  loadAvg: Deno.loadavg(),
  runs: results,
};
const text = JSON.stringify(report, null, 1);
const out = benchOption("out");
if (out) await Deno.writeTextFile(out, text + "\n");
console.log(text);
