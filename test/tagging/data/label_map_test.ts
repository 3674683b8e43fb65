import assert from "node:assert/strict";
import {
  LabelMap,
  LabelMapFormatError,
  MissingColumnError,
  readConll,
  TaggingArgumentError,
  UnknownLabelError,
} from "../../../tagging.ts";

const train = readConll("a DT B-X\nb NN O\n\nc NN B-A\nd VB I-A\n", {
  file: "train.txt",
  columns: ["word", "pos", "ner"],
});
const test = readConll("\n\na DT O\nb FW B-Z\n", {
  file: "test.txt",
  columns: ["word", "pos", "ner"],
});

Deno.test("LabelMap: deterministic order, O first, independent of corpus order", () => {
  const m = LabelMap.fromSentences(train, "ner");
  assert.deepEqual(m.labels, ["O", "B-A", "B-X", "I-A"]);
  assert.deepEqual(LabelMap.fromSentences(train.slice().reverse(), "ner").labels, m.labels);
  assert.deepEqual(LabelMap.fromSentences(train, "pos").labels, ["DT", "NN", "VB"]);
  assert.deepEqual([m.size, m.id("I-A"), m.label(2), m.has("B-Z")], [4, 3, "B-X", false]);
  assert.deepEqual(m.encode(train[1]), Int32Array.of(1, 3));
  assert.deepEqual(m.decode([0, 1]), ["O", "B-A"]);
});

Deno.test("LabelMap: JSON round trip", () => {
  const m = LabelMap.fromSentences(train, "ner");
  const text = JSON.stringify(m);
  assert.deepEqual(JSON.parse(text), { column: "ner", labels: ["O", "B-A", "B-X", "I-A"] });
  const back = LabelMap.fromJSON(text);
  assert.deepEqual([back.column, back.labels], [m.column, m.labels]);
  assert.equal(LabelMap.fromJSON(JSON.parse(text)).id("B-X"), 2);
  assert.throws(
    () => LabelMap.fromJSON("{", "labels.json"),
    (e: unknown) => e instanceof LabelMapFormatError && e.message.includes("labels.json"),
  );
  assert.throws(
    () => LabelMap.fromJSON({ column: "ner", labels: ["O", "O"] }),
    LabelMapFormatError,
  );
  assert.throws(() => LabelMap.fromJSON({ column: "ner", labels: [1] }), LabelMapFormatError);
  assert.throws(() => LabelMap.fromJSON({ labels: [] }), LabelMapFormatError);
});

Deno.test("LabelMap: unseen test label names file, line and column", () => {
  const m = LabelMap.fromSentences(train, "ner");
  assert.throws(() => m.encode(test[0]), (e: unknown) => {
    assert.ok(e instanceof UnknownLabelError, String(e));
    assert.deepEqual([e.label, e.file, e.line, e.field], ["B-Z", "test.txt", 4, "ner"]);
    assert.ok(e.message.startsWith('test.txt:4: field "ner": label "B-Z"'), e.message);
    return true;
  });
  assert.throws(
    () => m.id("nope", { file: "f", line: 9 }),
    (e: unknown) => e instanceof UnknownLabelError && e.message.includes("f:9"),
  );
  assert.throws(
    () => m.label(4),
    (e: unknown) => e instanceof TaggingArgumentError && e.message.includes("out of range"),
  );
  assert.throws(() => LabelMap.fromSentences(train, "chunk"), MissingColumnError);
  assert.throws(
    () => new LabelMap(["a", "a"]),
    (e: unknown) => e instanceof TaggingArgumentError && e.message.includes("duplicate"),
  );
});
