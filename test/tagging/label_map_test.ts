import { assert, assertEquals, assertThrows } from "./assert.ts";
import {
  LabelMap,
  LabelMapFormatError,
  MissingColumnError,
  readConll,
  TaggingArgumentError,
  UnknownLabelError,
} from "../../tagging.ts";

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
  assertEquals(m.labels, ["O", "B-A", "B-X", "I-A"]);
  assertEquals(LabelMap.fromSentences(train.slice().reverse(), "ner").labels, m.labels);
  assertEquals(LabelMap.fromSentences(train, "pos").labels, ["DT", "NN", "VB"]);
  assertEquals([m.size, m.id("I-A"), m.label(2), m.has("B-Z")], [4, 3, "B-X", false]);
  assertEquals(m.encode(train[1]), Int32Array.of(1, 3));
  assertEquals(m.decode([0, 1]), ["O", "B-A"]);
});

Deno.test("LabelMap: JSON round trip", () => {
  const m = LabelMap.fromSentences(train, "ner");
  const text = JSON.stringify(m);
  assertEquals(JSON.parse(text), { column: "ner", labels: ["O", "B-A", "B-X", "I-A"] });
  const back = LabelMap.fromJSON(text);
  assertEquals([back.column, back.labels], [m.column, m.labels]);
  assertEquals(LabelMap.fromJSON(JSON.parse(text)).id("B-X"), 2);
  assertThrows(() => LabelMap.fromJSON("{", "labels.json"), LabelMapFormatError, "labels.json");
  assertThrows(() => LabelMap.fromJSON({ column: "ner", labels: ["O", "O"] }), LabelMapFormatError);
  assertThrows(() => LabelMap.fromJSON({ column: "ner", labels: [1] }), LabelMapFormatError);
  assertThrows(() => LabelMap.fromJSON({ labels: [] }), LabelMapFormatError);
});

Deno.test("LabelMap: unseen test label names file, line and column", () => {
  const m = LabelMap.fromSentences(train, "ner");
  const e = assertThrows(() => m.encode(test[0]), UnknownLabelError);
  assertEquals([e.label, e.file, e.line, e.field], ["B-Z", "test.txt", 4, "ner"]);
  assert(e.message.startsWith('test.txt:4: field "ner": label "B-Z"'), e.message);
  assertThrows(() => m.id("nope", { file: "f", line: 9 }), UnknownLabelError, "f:9");
  assertThrows(() => m.label(4), TaggingArgumentError, "out of range");
  assertThrows(() => LabelMap.fromSentences(train, "chunk"), MissingColumnError);
  assertThrows(() => new LabelMap(["a", "a"]), TaggingArgumentError, "duplicate");
});
