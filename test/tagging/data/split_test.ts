import assert from "node:assert/strict";
import { Rng, TaggingArgumentError, trainDevSplit } from "../../../tagging.ts";

Deno.test("Rng: xoshiro128** reference vector for state (1, 2, 3, 4)", () => {
  const r = Rng.fromState([1, 2, 3, 4]);
  const got = Array.from({ length: 10 }, () => r.nextU32());
  // First outputs of the reference C implementation (prng.di.unimi.it) from this state.
  assert.deepEqual(got, [
    11520,
    0,
    5927040,
    70819200,
    2031721883,
    1637235492,
    1287239034,
    3734860849,
    3729100597,
    4258142804,
  ]);
});

Deno.test("Rng: seeding is deterministic, seeds differ, large seeds use high bits", () => {
  const draw = (seed: number) => {
    const r = new Rng(seed);
    return Array.from({ length: 4 }, () => r.nextU32());
  };
  assert.deepEqual(draw(42), draw(42));
  assert.ok(JSON.stringify(draw(42)) !== JSON.stringify(draw(43)));
  assert.ok(JSON.stringify(draw(5)) !== JSON.stringify(draw(5 + 2 ** 32)));
  assert.throws(() => new Rng(1.5), TaggingArgumentError);
});

Deno.test("Rng: nextInt is unbiased enough and nextFloat in [0, 1)", () => {
  const r = new Rng(7);
  const counts = new Array(6).fill(0);
  const n = 60000;
  for (let i = 0; i < n; i++) counts[r.nextInt(6)]++;
  // Chi-square with 5 dof: 20.5 is the 0.999 quantile.
  const chi = counts.reduce((a, c) => a + (c - n / 6) ** 2 / (n / 6), 0);
  assert.ok(chi < 20.5, `chi2 ${chi}`);
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const x = r.nextFloat();
    assert.ok(x >= 0 && x < 1);
    sum += x;
  }
  assert.ok(Math.abs(sum / 10000 - 0.5) < 0.01);
  assert.throws(() => r.nextInt(0), RangeError);
});

Deno.test("Rng: permutation and shuffle are permutations", () => {
  const p = new Rng(1).permutation(100);
  assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  const items = ["a", "b", "c", "d", "e"];
  assert.deepEqual(new Rng(2).shuffle(items.slice()).sort(), items);
});

Deno.test("trainDevSplit: 90/10 with seed 42, disjoint, ordered, reproducible", () => {
  const items = Array.from({ length: 47959 }, (_, i) => i);
  const a = trainDevSplit(items);
  assert.equal(a.dev.length, 4796);
  assert.deepEqual(a.train.length, 47959 - 4796);
  const all = new Set([...a.train, ...a.dev]);
  assert.deepEqual(all.size, items.length);
  for (let i = 1; i < a.dev.length; i++) assert.ok(a.dev[i] > a.dev[i - 1]);
  assert.deepEqual(Array.from(a.devIndices), a.dev);
  const b = trainDevSplit(items, { seed: 42, devFraction: 0.1 });
  assert.deepEqual(b.dev, a.dev);
  const c = trainDevSplit(items, { seed: 43 });
  assert.ok(JSON.stringify(c.dev) !== JSON.stringify(a.dev));
  assert.deepEqual(trainDevSplit(["x"], { devFraction: 0 }).train, ["x"]);
  assert.throws(() => trainDevSplit(items, { devFraction: 1.5 }), TaggingArgumentError);
});
