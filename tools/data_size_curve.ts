/**
 * The data-size curve of several `compare` runs that each trained on one training-set size (as
 * the README's 1,000 / 4,000 / all-sentences runs do with --train-limit): test F1 per arm against
 * the size, as an SVG (the same chart `compare` draws for a grid of --train-fraction values) and a
 * Markdown table on stdout.
 *
 *   deno run --allow-read --allow-write tools/data_size_curve.ts \
 *     1k=runs/compare_conll_1k 4k=runs/compare_conll_4k 14k=runs/compare_conll_full \
 *     --out docs/results/conll_data_size_f1.svg
 *
 * Each folder's report.json is read as `compare --merge` last wrote it.
 * @module
 */
import type { ArmComparison, ArmSummary } from "../src/tagging/compare/aggregate.ts";
import { dataSizePlot, type DataSizePoint } from "../src/tagging/compare/report.ts";

interface Report {
  arms: ArmSummary[];
  comparisons: ArmComparison[];
}

const args = [...Deno.args];
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
if (!out || args.length < 2 || args.some((a) => !a.includes("="))) {
  console.error("usage: data_size_curve.ts LABEL=DIR LABEL=DIR … --out FILE.svg");
  Deno.exit(2);
}
const runs = await Promise.all(args.map(async (a) => {
  const [label, dir] = a.split(/=(.*)/s);
  const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`)) as Report;
  return { label, report };
}));
const points: DataSizePoint[] = runs.map((r) => ({ label: r.label, arms: r.report.arms }));
await Deno.writeTextFile(out, dataSizePlot(points));

const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;
const arms = [...new Set(runs.flatMap((r) => r.report.arms.map((a) => a.arm)))];
console.log(`| training sentences | ${arms.join(" | ")} | difference (t-interval) |`);
console.log(`| --- | ${arms.map(() => "---").join(" | ")} | --- |`);
for (const r of runs) {
  const cells = arms.map((n) => {
    const a = r.report.arms.find((x) => x.arm === n);
    return a ? `${pct(a.f1.mean, a.f1.std)} (${a.seeds.length})` : "–";
  });
  const c = r.report.comparisons[0];
  const ci = c && c.f1Diff.low !== null
    ? ` [${(100 * c.f1Diff.low).toFixed(2)}, ${(100 * c.f1Diff.high!).toFixed(2)}]`
    : "";
  const diff = c ? `${(100 * c.f1Diff.mean).toFixed(2)}${ci}` : "–";
  console.log(`| ${r.label} | ${cells.join(" | ")} | ${diff} |`);
}
console.error(`wrote ${out}`);
