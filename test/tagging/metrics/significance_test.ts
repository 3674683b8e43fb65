import assert from "node:assert/strict";
import { assertClose } from "../../helpers/close.ts";
import {
  approximateRandomization,
  type EntityCounts,
  metricFromCounts,
  pairedBootstrap,
  Rng,
  sentenceEntityCounts,
  TaggingArgumentError,
} from "../../../tagging.ts";

function randomCounts(rng: Rng, n: number, skill: number): EntityCounts[] {
  return Array.from({ length: n }, () => {
    const gold = rng.nextInt(4);
    let tp = 0;
    for (let k = 0; k < gold; k++) if (rng.nextFloat() < skill) tp++;
    const fp = rng.nextFloat() < 1 - skill ? 1 : 0;
    return { tp, fp, fn: gold - tp };
  });
}

Deno.test("identical systems: p = 1 for both tests", () => {
  const a = randomCounts(new Rng(1), 300, 0.8);
  const ar = approximateRandomization(a, a, { resamples: 500, seed: 3 });
  assert.deepEqual([ar.pValue, ar.resamples, ar.observed], [1, 500, 0]);
  const bs = pairedBootstrap(a, a, { resamples: 500, seed: 3 });
  assert.deepEqual([bs.pValue, bs.resamples, bs.observed], [1, 500, 0]);
  assert.deepEqual(bs.ci95, [0, 0]);
});

Deno.test("clearly different systems: p at its floor 1/(R+1)", () => {
  // A finds every gold entity, B finds about half on the same 400 sentences.
  const rng = new Rng(2);
  const gold = Array.from({ length: 400 }, () => 1 + rng.nextInt(3));
  const a = gold.map((g) => ({ tp: g, fp: 0, fn: 0 }));
  const b = gold.map((g) => {
    const tp = Math.floor(g / 2);
    return { tp, fp: 0, fn: g - tp };
  });
  const ar = approximateRandomization(a, b, { resamples: 999, seed: 1 });
  assert.deepEqual(ar.pValue, 1 / 1000);
  assert.equal(ar.scoreA, 1);
  assert.ok(ar.observed > 0.4);
  const bs = pairedBootstrap(a, b, { resamples: 999, seed: 1 });
  assert.deepEqual(bs.pValue, 1 / 1000);
  // B: precision 1, recall ≈ 1/3 → F1 ≈ 0.5, so the difference is ≈ 0.5 with a tight interval.
  assert.ok(
    bs.ci95[0] < bs.observed && bs.observed < bs.ci95[1],
    `${bs.ci95} around ${bs.observed}`,
  );
  assert.ok(bs.ci95[0] > 0.4 && bs.ci95[1] - bs.ci95[0] < 0.1, `${bs.ci95}`);
});

Deno.test("approximate randomization agrees with the exact permutation test", () => {
  // 12 sentences → 4096 swap patterns, enumerable exactly.
  const rng = new Rng(9);
  const a = randomCounts(rng, 12, 0.75);
  const b = randomCounts(rng, 12, 0.55);
  const f1 = (c: EntityCounts[]) => {
    const s = c.reduce((x, y) => ({ tp: x.tp + y.tp, fp: x.fp + y.fp, fn: x.fn + y.fn }));
    return metricFromCounts(s.tp, s.fp, s.fn, "f1");
  };
  const observed = Math.abs(f1(a) - f1(b));
  let hits = 0;
  for (let mask = 0; mask < 4096; mask++) {
    const x = a.map((c, i) => (mask >> i) & 1 ? b[i] : c);
    const y = b.map((c, i) => (mask >> i) & 1 ? a[i] : c);
    if (Math.abs(f1(x) - f1(y)) >= observed - 1e-12) hits++;
  }
  const exact = hits / 4096;
  const ar = approximateRandomization(a, b, { resamples: 20000, seed: 4 });
  // Binomial standard error at 20000 resamples is at most 0.0036.
  assertClose(ar.pValue, exact, 0.015, "AR vs exact");
  assert.ok(exact > 0.001 && exact < 0.999, `non-degenerate case (exact p ${exact})`);
});

Deno.test("tests are seeded, deterministic, and use the chosen metric", () => {
  const rng = new Rng(5);
  const a = randomCounts(rng, 200, 0.7);
  const b = randomCounts(rng, 200, 0.65);
  const r1 = approximateRandomization(a, b, { resamples: 300, seed: 8 });
  const r2 = approximateRandomization(a, b, { resamples: 300, seed: 8 });
  assert.deepEqual(r1, r2);
  const p1 = pairedBootstrap(a, b, { resamples: 300, seed: 8, metric: "recall" });
  assert.deepEqual(p1, pairedBootstrap(a, b, { resamples: 300, seed: 8, metric: "recall" }));
  const sum = (c: EntityCounts[]) =>
    c.reduce((x, y) => ({ tp: x.tp + y.tp, fp: x.fp + y.fp, fn: x.fn + y.fn }));
  const sa = sum(a);
  assertClose(p1.scoreA, sa.tp / (sa.tp + sa.fn), 1e-15);
  assert.ok(p1.pValue > 0 && p1.pValue <= 1);
});

Deno.test("significance inputs from per-sentence entity counts; size mismatch rejected", () => {
  const gold = [["B-A", "O"], ["B-B", "I-B"]];
  const a = sentenceEntityCounts(gold, [["B-A", "O"], ["B-B", "I-B"]]);
  const b = sentenceEntityCounts(gold, [["O", "O"], ["B-B", "O"]]);
  const r = approximateRandomization(a, b, { resamples: 100, seed: 0 });
  assert.deepEqual([r.scoreA, r.scoreB], [1, 0]);
  assert.throws(
    () => approximateRandomization(a, b.slice(1)),
    (e: unknown) => e instanceof TaggingArgumentError && e.message.includes("2 sentences"),
  );
  assert.throws(() => pairedBootstrap(a, b, { resamples: 0 }), TaggingArgumentError);
});
