import assert from "node:assert/strict";
import {
  alignLabels,
  AlignmentError,
  firstSubwordMask,
  firstSubwordPositions,
  IGNORE_INDEX,
  wordPredictions,
} from "../../../tagging.ts";

// [CLS] eu re ##ject ##s german [SEP]  for the words  EU rejects German
const enc = {
  ids: Int32Array.of(101, 7327, 2128, 20614, 2015, 2446, 102),
  wordIds: Int32Array.of(-1, 0, 1, 1, 1, 2, -1),
};
const X = IGNORE_INDEX;

Deno.test("alignLabels: first sub-word carries the label, the rest are ignored", () => {
  assert.deepEqual(alignLabels(enc, [3, 0, 7]), Int32Array.of(X, 3, 0, X, X, 7, X));
});

Deno.test("alignLabels: labelAllSubwords labels every sub-word of a word", () => {
  assert.deepEqual(
    alignLabels(enc, Int32Array.of(3, 0, 7), { labelAllSubwords: true }),
    Int32Array.of(X, 3, 0, 0, 0, 7, X),
  );
});

Deno.test("first sub-word positions and mask", () => {
  assert.deepEqual(firstSubwordPositions(enc, 3), Int32Array.of(1, 2, 5));
  assert.deepEqual(firstSubwordMask(enc), Uint8Array.of(0, 1, 1, 0, 0, 1, 0));
});

Deno.test("wordPredictions reads the first sub-word of each word", () => {
  assert.deepEqual(
    wordPredictions(enc, Int32Array.of(9, 1, 2, 8, 8, 3, 9), 3),
    Int32Array.of(1, 2, 3),
  );
});

Deno.test("words without sub-words are reported unless allowed", () => {
  const gap = { ids: Int32Array.of(101, 5, 6, 102), wordIds: Int32Array.of(-1, 0, 2, -1) };
  assert.throws(
    () => alignLabels(gap, [1, 2, 3]),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("word 1 of 3"),
  );
  assert.deepEqual(
    alignLabels(gap, [1, 2, 3], { allowUnrepresentedWords: true }),
    Int32Array.of(X, 1, 3, X),
  );
  assert.throws(
    () => wordPredictions(gap, Int32Array.of(0, 4, 5, 0), 3),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("word 1"),
  );
  assert.deepEqual(
    wordPredictions(gap, Int32Array.of(0, 4, 5, 0), 3, { fillMissing: 0 }),
    Int32Array.of(4, 0, 5),
  );
});

Deno.test("malformed encodings are rejected with positions", () => {
  assert.throws(
    () => alignLabels({ ids: Int32Array.of(1, 2), wordIds: Int32Array.of(0) }, [0]),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("ids has 2"),
  );
  assert.throws(
    () => alignLabels({ ids: Int32Array.of(1, 2), wordIds: Int32Array.of(0, 3) }, [0, 1]),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("wordIds[1] = 3"),
  );
  assert.throws(
    () => alignLabels({ ids: Int32Array.of(1, 2, 3), wordIds: Int32Array.of(1, 0, 1) }, [0, 1]),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("out of order"),
  );
  assert.throws(
    () => wordPredictions(enc, Int32Array.of(1, 2), 3),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("2 predictions"),
  );
});
