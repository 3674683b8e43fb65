import assert from "node:assert/strict";
import { summarize, verdictOf } from "../../../src/tagging/compare/aggregate.ts";
import { buildGrid, selectJobs } from "../../../src/tagging/compare/grid.ts";
import type { JobResult } from "../../../src/tagging/compare/job_result.ts";
import { buildReport, DATA_SIZE_PLOT } from "../../../src/tagging/compare/report.ts";
import type { EntityCounts } from "../../../src/tagging/metrics/entity_metrics.ts";

Deno.test("grid: arms × weights × fractions × seeds with stable ids; K/N selection partitions it", () => {
  const jobs = buildGrid({
    arms: ["ner", "ner+pos"],
    seeds: [1, 2],
    fractions: [0.5, 1],
    auxWeights: [0.5, 1],
  });
  // per seed and fraction: ner once, ner+pos twice (two weights)
  assert.equal(jobs.length, 2 * 2 * 3);
  assert.deepEqual(jobs.slice(0, 3).map((j) => j.id), [
    "ner_f0.5_s1",
    "ner+pos_w0.5_f0.5_s1",
    "ner+pos_w1_f0.5_s1",
  ]);
  assert.deepEqual(jobs[1].weights, { ner: 1, pos: 0.5 });
  assert.equal(jobs[1].arm, "ner+pos@0.5");
  const parts = [1, 2, 3].map((k) => selectJobs(jobs, `${k}/3`).map((j) => j.id));
  assert.deepEqual(parts.flat().sort(), jobs.map((j) => j.id).sort());
  assert.throws(() => selectJobs(jobs, "4/3"), /--job must be K\/N/);
  assert.throws(
    () => buildGrid({ arms: ["ner+ner"], seeds: [1], fractions: [1], auxWeights: [1] }),
    /distinct/,
  );
});

function result(
  arm: string,
  tasks: string[],
  seed: number,
  counts: EntityCounts[],
  curve: number[],
): JobResult {
  const tp = counts.reduce((a, c) => a + c.tp, 0);
  const fp = counts.reduce((a, c) => a + c.fp, 0);
  const fn = counts.reduce((a, c) => a + c.fn, 0);
  const p = tp / (tp + fp);
  const r = tp / (tp + fn);
  const f1 = (2 * p * r) / (p + r);
  return {
    job: {
      id: `${arm}_s${seed}`,
      arm,
      tasks,
      weights: Object.fromEntries(tasks.map((t) => [t, 1])),
      fraction: 1,
      seed,
    },
    test: {
      precision: p,
      recall: r,
      f1,
      perType: { PER: { precision: p, recall: r, f1, support: tp + fn } },
    },
    accuracy: tasks.includes("pos") ? { pos: 0.9 } : {},
    devCurve: curve,
    sentenceCounts: counts,
    trainSeconds: 10,
    tokensPerSecond: 100,
    trainSentences: 50,
  };
}

const sentences = (n: number, tp: number, fp: number, fn: number) =>
  Array.from({ length: n }, () => ({ tp, fp, fn }));

Deno.test("summary: identical arms → no significant difference; a clearly better arm → significant", () => {
  const same = [1, 2, 3].flatMap((s) => [
    result("ner", ["ner"], s, sentences(40, 2, 1, 1), [0.5, 0.6]),
    result("ner+pos", ["ner", "pos"], s, sentences(40, 2, 1, 1), [0.5, 0.7]),
  ]);
  const a = summarize(same, { resamples: 500 });
  assert.equal(a.comparisons.length, 1);
  assert.equal(a.comparisons[0].baseline, "ner");
  assert.equal(a.comparisons[0].randomization.pValue, 1);
  assert.match(a.comparisons[0].verdict, /No significant difference/);
  assert.equal(a.comparisons[0].f1Diff.low, 0);
  const better = [1, 2, 3].flatMap((s) => [
    result("ner", ["ner"], s, sentences(40, 1, 2, 2), [0.3]),
    result("ner+pos", ["ner", "pos"], s, sentences(40, 3, 0, 0), [0.9]),
  ]);
  const b = summarize(better, { resamples: 500 });
  assert.ok(b.comparisons[0].randomization.pValue < 0.01);
  assert.match(b.comparisons[0].verdict, /significantly better/);
  const arm = b.arms.find((x) => x.arm === "ner+pos")!;
  assert.equal(arm.f1.n, 3);
  assert.equal(arm.accuracy.pos.mean, 0.9);
  assert.deepEqual(arm.devCurve, [{ mean: 0.9, min: 0.9, max: 0.9 }]);
});

Deno.test("verdict wording and report files", () => {
  assert.equal(
    verdictOf("ner+pos", "ner", -0.004, 0.41),
    "No significant difference between ner+pos and ner (-0.40 F1 points, p = 0.410 ≥ 0.05).",
  );
  const rs = [1, 2].flatMap((s) => [
    result("ner", ["ner"], s, sentences(10, 2, 1, 1), [0.5, 0.6]),
    result("ner+pos", ["ner", "pos"], s, sentences(10, 2, 0, 1), [0.55, 0.65]),
  ]);
  const files = buildReport(summarize(rs, { resamples: 200 }), {
    command: "compare",
    data: "d",
    model: "m",
    device: "cpu",
  });
  assert.deepEqual(Object.keys(files).sort(), [
    "dev_f1_f1.svg",
    "per_type_f1_f1.svg",
    "report.json",
    "report.md",
  ]);
  assert.match(files["report.md"], /\| ner\+pos \| 2 \|/);
  assert.match(files["report.md"], /Verdict/);
  assert.match(files["dev_f1_f1.svg"], /^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
  assert.match(files["per_type_f1_f1.svg"], /<rect x=/);
  assert.equal(JSON.parse(files["report.json"]).jobs, 4);
});

Deno.test("verdict notes a seed-level interval that includes 0", () => {
  assert.equal(
    verdictOf("ner+pos", "ner", 0.0061, 0.008, 0.05, { low: -0.0055, high: 0.0176 }),
    "ner+pos is significantly better than ner (+0.61 F1 points, p = 0.0080 < 0.05), but the 95% interval over seeds [-0.55, 1.76] includes 0: more seeds are needed to call it.",
  );
  assert.equal(
    verdictOf("ner+pos", "ner", -0.1151, 0.0001, 0.05, { low: -0.1514, high: -0.0789 }),
    "ner+pos is significantly worse than ner (-11.51 F1 points, p = 0.0001 < 0.05).",
  );
});

Deno.test("report: several training fractions add the data-size curve", () => {
  const at = (fraction: number, r: ReturnType<typeof result>) => ({
    ...r,
    job: { ...r.job, id: `${r.job.id}_f${fraction}`, fraction },
  });
  const rs = [0.5, 1].flatMap((f) =>
    [1, 2].flatMap((s) => [
      at(f, result("ner", ["ner"], s, sentences(10, 2, 1, 1), [0.5])),
      at(f, result("ner+pos", ["ner", "pos"], s, sentences(10, 2, 0, 1), [0.55])),
    ])
  );
  const files = buildReport(summarize(rs, { resamples: 50 }), {
    command: "compare",
    data: "d",
    model: "m",
    device: "cpu",
  });
  const svg = files[DATA_SIZE_PLOT];
  assert.match(svg, /^<svg[\s\S]*>fraction 0\.5<[\s\S]*>fraction 1<[\s\S]*<\/svg>\n$/);
  assert.equal(svg.match(/<polyline/g)?.length, 2);
  assert.match(files["report.md"], new RegExp(`\\(${DATA_SIZE_PLOT}\\)`));
});
