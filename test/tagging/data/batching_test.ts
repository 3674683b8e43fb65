import assert from "node:assert/strict";
import {
  AlignmentError,
  type Example,
  IGNORE_INDEX,
  makeBatches,
  padBatch,
  Rng,
  TaggingArgumentError,
} from "../../../tagging.ts";

function example(len: number, tag: number): Example {
  const inputIds = Int32Array.from({ length: len }, (_, i) => 100 + tag * 1000 + i);
  return {
    inputIds,
    labels: { ner: new Int32Array(len).fill(tag), pos: new Int32Array(len).fill(-tag) },
  };
}

Deno.test("padBatch pads to the longest row with pad id, mask 0 and ignored labels", () => {
  const exs = [example(3, 1), example(5, 2)];
  const b = padBatch(exs, [0, 1], 0);
  assert.deepEqual([b.batchSize, b.seqLen], [2, 5]);
  assert.deepEqual(b.inputIds, Int32Array.of(1100, 1101, 1102, 0, 0, 2100, 2101, 2102, 2103, 2104));
  assert.deepEqual(b.attentionMask, Int32Array.of(1, 1, 1, 0, 0, 1, 1, 1, 1, 1));
  const X = IGNORE_INDEX;
  assert.deepEqual(b.labels.ner, Int32Array.of(1, 1, 1, X, X, 2, 2, 2, 2, 2));
  assert.deepEqual(b.labels.pos.slice(0, 5), Int32Array.of(-1, -1, -1, X, X));
  assert.deepEqual(b.indices, Int32Array.of(0, 1));
});

function lengths(rng: Rng, n: number) {
  return Array.from({ length: n }, (_, i) => example(3 + rng.nextInt(120), i));
}

function checkPartition(batches: ReturnType<typeof makeBatches>, n: number, batchSize: number) {
  const seen = new Uint8Array(n);
  for (const b of batches) {
    assert.ok(b.batchSize <= batchSize && b.batchSize >= 1);
    assert.deepEqual(b.inputIds.length, b.batchSize * b.seqLen);
    let longest = 0;
    for (const i of b.indices) {
      assert.equal(seen[i], 0);
      seen[i] = 1;
    }
    b.indices.forEach((i, r) => {
      const len = b.attentionMask.subarray(r * b.seqLen, (r + 1) * b.seqLen).reduce(
        (a, x) => a + x,
        0,
      );
      longest = Math.max(longest, len);
      assert.deepEqual(b.inputIds[r * b.seqLen], 100 + i * 1000);
      assert.deepEqual(b.labels.ner[r * b.seqLen], i);
    });
    assert.deepEqual(b.seqLen, longest, "padded to the batch's longest sequence");
  }
  assert.ok(seen.every((x) => x === 1), "every example in exactly one batch");
}

const padding = (bs: ReturnType<typeof makeBatches>) =>
  bs.reduce((a, b) => a + b.attentionMask.length - b.attentionMask.reduce((s, x) => s + x, 0), 0);

Deno.test("makeBatches (eval): sorted by length, every example once", () => {
  const exs = lengths(new Rng(1), 203);
  const bs = makeBatches(exs, { batchSize: 16 });
  assert.equal(bs.length, 13);
  checkPartition(bs, exs.length, 16);
  for (let k = 1; k < bs.length; k++) assert.ok(bs[k].seqLen >= bs[k - 1].seqLen);
});

Deno.test("makeBatches (train): seeded, bucketed, less padding than unbucketed", () => {
  const exs = lengths(new Rng(2), 1000);
  const a = makeBatches(exs, { batchSize: 32, shuffle: true, seed: 5, poolBatches: 8 });
  const b = makeBatches(exs, { batchSize: 32, shuffle: true, seed: 5, poolBatches: 8 });
  const c = makeBatches(exs, { batchSize: 32, shuffle: true, seed: 6, poolBatches: 8 });
  checkPartition(a, exs.length, 32);
  checkPartition(c, exs.length, 32);
  assert.deepEqual(a.map((x) => Array.from(x.indices)), b.map((x) => Array.from(x.indices)));
  assert.ok(
    JSON.stringify(a.map((x) => Array.from(x.indices))) !==
      JSON.stringify(c.map((x) => Array.from(x.indices))),
  );
  const plain = makeBatches(exs, { batchSize: 32, shuffle: true, seed: 5, bucketByLength: false });
  checkPartition(plain, exs.length, 32);
  assert.ok(padding(a) * 4 < padding(plain), `bucketed ${padding(a)} vs plain ${padding(plain)}`);
  // Batch order is shuffled: lengths are not monotone over batches.
  assert.ok(a.some((x, k) => k > 0 && x.seqLen < a[k - 1].seqLen));
});

Deno.test("makeBatches: argument and consistency errors", () => {
  assert.throws(() => makeBatches([example(2, 0)], { batchSize: 0 }), TaggingArgumentError);
  assert.deepEqual(makeBatches([], { batchSize: 4 }), []);
  const bad: Example[] = [example(2, 0), {
    inputIds: Int32Array.of(1, 2),
    labels: { ner: Int32Array.of(0) },
  }];
  assert.throws(
    () => makeBatches(bad, { batchSize: 2 }),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("example 1"),
  );
  const short: Example[] = [example(2, 0), {
    ...example(2, 1),
    labels: { ner: Int32Array.of(0), pos: Int32Array.of(0, 0) },
  }];
  assert.throws(
    () => padBatch(short, [0, 1]),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("labels.ner has 1"),
  );
});
