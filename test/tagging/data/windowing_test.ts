import assert from "node:assert/strict";
import {
  alignLabels,
  AlignmentError,
  chooseWordPositions,
  mergeWindowPredictions,
  Rng,
  splitIntoWindows,
  type SubwordEncoding,
  TaggingArgumentError,
  type Window,
} from "../../../tagging.ts";

const CLS = 101;
const SEP = 102;

/** Encoding with [CLS] ... [SEP] where word w has pieces[w] sub-words (ids 1000·w + k). */
function encode(pieces: number[]): SubwordEncoding {
  const ids = [CLS];
  const wordIds = [-1];
  pieces.forEach((p, w) => {
    for (let k = 0; k < p; k++) {
      ids.push(1000 * w + k);
      wordIds.push(w);
    }
  });
  ids.push(SEP);
  wordIds.push(-1);
  return { ids: Int32Array.from(ids), wordIds: Int32Array.from(wordIds) };
}

Deno.test("windows: a short sentence is one window equal to the input", () => {
  const enc = encode([1, 2, 1]);
  const labels = { ner: alignLabels(enc, [4, 5, 6]) };
  const ws = splitIntoWindows(enc, labels, { maxLength: 8 });
  assert.equal(ws.length, 1);
  assert.deepEqual(ws[0].ids, enc.ids);
  assert.deepEqual(ws[0].labels.ner, labels.ner);
  assert.deepEqual([ws[0].contentStart, ws[0].contentEnd, ws[0].contentLength], [0, 4, 4]);
  assert.deepEqual(
    mergeWindowPredictions(ws, [Int32Array.of(0, 7, 8, 8, 9, 0)], 3),
    Int32Array.of(7, 8, 9),
  );
});

Deno.test("windows: hand-worked centrality choice", () => {
  // 10 one-piece words, budget 4, stride 2: windows [0,4) [2,6) [4,8) [6,10).
  const enc = encode(new Array(10).fill(1));
  const ws = splitIntoWindows(enc, {}, { maxLength: 6, stride: 2 });
  assert.deepEqual(ws.map((w) => [w.contentStart, w.contentEnd]), [[0, 4], [2, 6], [4, 8], [
    6,
    10,
  ]]);
  const preds = ws.map((w, k) => new Int32Array(w.ids.length).fill(k));
  assert.deepEqual(
    mergeWindowPredictions(ws, preds, 10),
    Int32Array.of(0, 0, 0, 1, 1, 2, 2, 3, 3, 3),
  );
});

function checkWindows(enc: SubwordEncoding, nWords: number, ws: Window[], maxLength: number) {
  const content = enc.ids.length - 2;
  const covered = new Uint8Array(content);
  for (const w of ws) {
    assert.ok(w.ids.length <= maxLength, `window length ${w.ids.length} > ${maxLength}`);
    assert.deepEqual(w.ids[0], CLS);
    assert.deepEqual(w.ids[w.ids.length - 1], SEP);
    for (let c = w.contentStart; c < w.contentEnd; c++) {
      covered[c] = 1;
      assert.deepEqual(w.ids[1 + c - w.contentStart], enc.ids[1 + c]);
      assert.deepEqual(w.wordIds[1 + c - w.contentStart], enc.wordIds[1 + c]);
    }
  }
  assert.ok(covered.every((x) => x === 1), "every sub-word is in some window");
  // Reading each window's predictions as "the word id at that position" recovers every word.
  const preds = ws.map((w) => w.wordIds);
  assert.deepEqual(
    mergeWindowPredictions(ws, preds, nWords),
    Int32Array.from({ length: nWords }, (_, i) => i),
  );
  // The chosen window maximises the distance to a cut edge (ties: earliest).
  const src = chooseWordPositions(ws, nWords);
  for (let word = 0; word < nWords; word++) {
    let best = -1;
    let bestK = -1;
    ws.forEach((w, k) => {
      for (let i = 1; i < w.ids.length - 1; i++) {
        if (w.wordIds[i] !== word || w.isFirstSubword[i] !== 1) continue;
        const c = w.contentStart + i - 1;
        const left = w.contentStart > 0 ? c - w.contentStart : Infinity;
        const right = w.contentEnd < content ? w.contentEnd - 1 - c : Infinity;
        if (Math.min(left, right) > best) [best, bestK] = [Math.min(left, right), k];
      }
    });
    assert.deepEqual(src.window[word], bestK, `word ${word}`);
  }
}

Deno.test("windows: long random sentences are covered and merged exactly", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 40; trial++) {
    const nWords = 20 + rng.nextInt(80);
    const pieces = Array.from({ length: nWords }, () => 1 + rng.nextInt(3));
    const enc = encode(pieces);
    const maxLength = 8 + rng.nextInt(40);
    const budget = maxLength - 2;
    const stride = 1 + rng.nextInt(budget);
    const labels = { ner: alignLabels(enc, Int32Array.from({ length: nWords }, (_, i) => i % 5)) };
    const ws = splitIntoWindows(enc, labels, { maxLength, stride });
    checkWindows(enc, nWords, ws, maxLength);
    for (const w of ws) {
      for (let i = 1; i < w.ids.length - 1; i++) {
        assert.deepEqual(w.labels.ner[i], labels.ner[1 + w.contentStart + i - 1]);
      }
      // Starts snap to a word boundary unless a word is longer than the stride.
      if (w.contentStart > 0 && pieces.every((p) => p <= stride)) {
        assert.ok(
          enc.wordIds[w.contentStart] !== enc.wordIds[w.contentStart + 1],
          "starts on a word",
        );
      }
    }
  }
});

Deno.test("windows: a word longer than the budget is still covered", () => {
  const enc = encode([2, 30, 1]);
  const ws = splitIntoWindows(enc, {}, { maxLength: 10, stride: 4 });
  assert.ok(ws.length > 1);
  checkWindows(enc, 3, ws, 10);
});

Deno.test("windows: special-token-only encodings and argument errors", () => {
  const empty = { ids: Int32Array.of(CLS, SEP), wordIds: Int32Array.of(-1, -1) };
  const ws = splitIntoWindows(empty, {}, { maxLength: 4 });
  assert.equal(ws.length, 1);
  assert.deepEqual(mergeWindowPredictions(ws, [Int32Array.of(0, 0)], 0), new Int32Array(0));
  const enc = encode([1, 1, 1]);
  assert.throws(
    () => splitIntoWindows(enc, {}, { maxLength: 2 }),
    (e: unknown) => e instanceof TaggingArgumentError && e.message.includes("no room"),
  );
  assert.throws(() => splitIntoWindows(enc, {}, { maxLength: 4, stride: 3 }), TaggingArgumentError);
  assert.throws(
    () => splitIntoWindows(enc, { ner: Int32Array.of(1) }, { maxLength: 4 }),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("labels.ner"),
  );
  const w2 = splitIntoWindows(enc, {}, { maxLength: 4, stride: 1 });
  assert.throws(
    () => mergeWindowPredictions(w2, [], 3),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("0 prediction arrays"),
  );
  assert.throws(
    () => mergeWindowPredictions(w2, w2.map(() => Int32Array.of(0)), 3),
    (e: unknown) => e instanceof AlignmentError && e.message.includes("window 0"),
  );
});
