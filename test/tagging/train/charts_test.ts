import assert from "node:assert/strict";
import { CHART_FILES, trainingCharts } from "../../../src/tagging/train/charts.ts";

const log = [
  ...Array.from({ length: 120 }, (_, i) =>
    JSON.stringify({
      type: "step",
      step: i + 1,
      loss: 2 / (i + 1),
      tasks: { ner: 1 / (i + 1), pos: 3 / (i + 1) },
    })),
  ...[0.5, 0.7].map((f1, e) =>
    JSON.stringify({
      type: "eval",
      epoch: e + 1,
      dev: { tasks: { ner: { accuracy: 0.9, micro: { f1 } }, pos: { accuracy: 0.8 + e / 10 } } },
    })
  ),
].join("\n") + "\n";

Deno.test("train charts: loss per update (mean and per task) and dev scores per epoch", () => {
  const charts = trainingCharts(log);
  assert.deepEqual(Object.keys(charts).sort(), [CHART_FILES.dev, CHART_FILES.loss].sort());
  const loss = charts[CHART_FILES.loss];
  for (const label of ["Training loss", "update", ">loss<", ">ner<", ">pos<"]) {
    assert.ok(loss.includes(label), `loss chart lacks ${label}`);
  }
  // 120 updates: at most ten x labels, no point markers.
  assert.ok((loss.match(/text-anchor="middle">\d+<\/text>/g) ?? []).length <= 10);
  assert.ok(!loss.includes("<circle"));
  const dev = charts[CHART_FILES.dev];
  for (const label of ["Dev scores", "epoch", "ner F1", "pos accuracy"]) {
    assert.ok(dev.includes(label), `dev chart lacks ${label}`);
  }
  assert.equal((dev.match(/<circle/g) ?? []).length, 4);
});

Deno.test("train charts: an empty log gives none", () => {
  assert.deepEqual(trainingCharts(""), {});
});
