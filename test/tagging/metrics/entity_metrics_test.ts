import assert from "node:assert/strict";
import { assertClose } from "../../helpers/close.ts";
import {
  EntityScorer,
  evaluateEntities,
  readConll,
  sentenceEntityCounts,
  TaggingArgumentError,
  toIob2,
  tokenAccuracy,
} from "../../../tagging.ts";

const L = (s: string) => s.split(" ");

Deno.test("metrics: hand-worked micro / macro / weighted / per type", () => {
  const r = evaluateEntities([L("B-PER I-PER O B-LOC")], [L("B-PER I-PER O B-ORG")]);
  assert.deepEqual(r.types, ["LOC", "ORG", "PER"]);
  assert.deepEqual(r.micro, {
    precision: 0.5,
    recall: 0.5,
    f1: 0.5,
    support: 2,
    predicted: 2,
    correct: 1,
  });
  assert.deepEqual(r.perType.PER, {
    precision: 1,
    recall: 1,
    f1: 1,
    support: 1,
    predicted: 1,
    correct: 1,
  });
  assert.deepEqual(r.perType.ORG, {
    precision: 0,
    recall: 0,
    f1: 0,
    support: 0,
    predicted: 1,
    correct: 0,
  });
  assert.deepEqual(r.perType.LOC, {
    precision: 0,
    recall: 0,
    f1: 0,
    support: 1,
    predicted: 0,
    correct: 0,
  });
  assertClose(r.macro.precision, 1 / 3, 1e-15);
  assertClose(r.weighted.f1, 0.5, 1e-15); // (0·1 + 0·0 + 1·1) / 2
  assert.equal(r.accuracy, 0.75);
  assert.deepEqual([r.sentences, r.tokens], [1, 4]);
});

Deno.test("metrics: conlleval semantics decide matches", () => {
  // I- after O opens the same entity as B-, so this counts as correct ...
  assert.equal(evaluateEntities([L("B-PER I-PER O")], [L("I-PER I-PER O")]).micro.f1, 1);
  // ... but B- B- is two entities, neither matching the gold one.
  const split = evaluateEntities([L("B-PER I-PER")], [L("B-PER B-PER")]).micro;
  assert.deepEqual([split.correct, split.predicted, split.support], [0, 2, 1]);
  // A type change inside ends the entity.
  const typed = evaluateEntities([L("B-ORG I-ORG I-ORG")], [L("B-ORG I-ORG I-LOC")]).micro;
  assert.deepEqual([typed.correct, typed.predicted], [0, 2]);
  // BIOES gold vs IOB2 prediction denoting the same entities is a perfect score.
  assert.equal(evaluateEntities([L("S-A B-B E-B O")], [L("B-A B-B I-B O")]).micro.f1, 1);
});

Deno.test("metrics: per-sentence counts and empty input", () => {
  const counts = sentenceEntityCounts(
    [L("B-A O"), L("O O"), L("B-A I-A")],
    [L("B-A O"), L("B-B O"), L("B-A O")],
  );
  assert.deepEqual(counts, [{ tp: 1, fp: 0, fn: 0 }, { tp: 0, fp: 1, fn: 0 }, {
    tp: 0,
    fp: 1,
    fn: 1,
  }]);
  const empty = new EntityScorer().report();
  assert.deepEqual([empty.micro.f1, empty.macro.f1, empty.accuracy, empty.types.length], [
    0,
    0,
    0,
    0,
  ]);
  assert.throws(
    () => evaluateEntities([L("O O")], [L("O")]),
    (e: unknown) => e instanceof TaggingArgumentError && e.message.includes("sentence 0"),
  );
  assert.throws(() => evaluateEntities([L("O")], []), TaggingArgumentError);
});

Deno.test("tokenAccuracy on strings and ids", () => {
  assert.deepEqual(tokenAccuracy([L("NN VB"), L("DT")], [L("NN NN"), L("DT")]), 2 / 3);
  assert.equal(tokenAccuracy([Int32Array.of(1, 2)], [Int32Array.of(1, 3)]), 0.5);
  assert.throws(() => tokenAccuracy([L("A B")], [L("A")]), TaggingArgumentError);
});

interface Expected {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  report: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}
interface FixtureSet {
  index: number[];
  line: number[];
  gold: string[];
  pred: string[];
  expected: Expected;
}
const fixture = JSON.parse(
  await Deno.readTextFile(
    new URL("../../fixtures/tagging/seqeval_conll2003_valid.json", import.meta.url),
  ),
) as {
  iob2: FixtureSet;
  bioes_mixed: FixtureSet;
  pos: FixtureSet & { expected: { accuracy: number } };
};

function checkAgainstSeqeval(set: FixtureSet, label: string) {
  const gold = set.gold.map(L);
  const pred = set.pred.map(L);
  const r = evaluateEntities(gold, pred);
  const e = set.expected;
  const tol = 1e-9;
  assertClose(r.micro.precision, e.precision, tol, `${label} precision`);
  assertClose(r.micro.recall, e.recall, tol, `${label} recall`);
  assertClose(r.micro.f1, e.f1, tol, `${label} f1`);
  assertClose(r.accuracy, e.accuracy, tol, `${label} accuracy`);
  const avg: Record<string, typeof r.micro> = {
    "micro avg": r.micro,
    "macro avg": r.macro,
    "weighted avg": r.weighted,
  };
  const reportTypes = Object.keys(e.report).filter((k) => !(k in avg)).sort();
  assert.deepEqual(r.types, reportTypes, `${label} types`);
  for (const [name, exp] of Object.entries(e.report)) {
    const got = avg[name] ?? r.perType[name];
    assertClose(got.precision, exp.precision, tol, `${label} ${name} precision`);
    assertClose(got.recall, exp.recall, tol, `${label} ${name} recall`);
    assertClose(got.f1, exp.f1, tol, `${label} ${name} f1`);
    assert.deepEqual(got.support, exp.support, `${label} ${name} support`);
  }
}

Deno.test("metrics match seqeval on noisy CoNLL-2003 validation predictions (IOB2)", () => {
  checkAgainstSeqeval(fixture.iob2, "iob2");
});

Deno.test("metrics match seqeval on BIOES gold vs ill-formed mixed-prefix predictions", () => {
  checkAgainstSeqeval(fixture.bioes_mixed, "bioes_mixed");
});

Deno.test("metrics are invariant to converting the seqeval fixture to IOB2", () => {
  const gold = fixture.bioes_mixed.gold.map(L);
  const pred = fixture.bioes_mixed.pred.map(L);
  const r = evaluateEntities(gold.map(toIob2), pred.map(toIob2));
  assertClose(r.micro.f1, fixture.bioes_mixed.expected.f1, 1e-12);
});

Deno.test("POS token accuracy matches seqeval accuracy_score", () => {
  const acc = tokenAccuracy(fixture.pos.gold.map(L), fixture.pos.pred.map(L));
  assertClose(acc, fixture.pos.expected.accuracy, 1e-12);
});

Deno.test("fixture gold tags are those our CoNLL reader reads from valid.txt", async () => {
  const sentences = readConll(
    await Deno.readFile(new URL("../../../../shared/data/conll2003/valid.txt", import.meta.url)),
    { file: "valid.txt" },
  );
  fixture.iob2.index.forEach((idx, k) => {
    assert.deepEqual(sentences[idx].columns.ner.join(" "), fixture.iob2.gold[k]);
    assert.deepEqual(sentences[idx].source.line, fixture.iob2.line[k]);
  });
  fixture.pos.index.forEach((idx, k) => {
    assert.deepEqual(sentences[idx].columns.pos.join(" "), fixture.pos.gold[k]);
  });
});
