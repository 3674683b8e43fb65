import assert from "node:assert/strict";
import {
  CorpusFormatError,
  EmptySentenceError,
  joinColumn,
  RaggedRowError,
  readConll,
  readConllu,
} from "../../../tagging.ts";

const row = (...f: string[]) => f.join("\t");

const UD = [
  "# newdoc id = d1",
  "# sent_id = s1",
  "# text = Vámonos al mar.",
  row("1-2", "Vámonos", "_", "_", "_", "_", "_", "_", "_", "_"),
  row("1", "Vamos", "ir", "VERB", "VMM", "_", "0", "root", "_", "_"),
  row("2", "nos", "nosotros", "PRON", "PP", "_", "1", "obj", "_", "_"),
  row("3-4", "al", "_", "_", "_", "_", "_", "_", "_", "_"),
  row("3", "a", "a", "ADP", "SPS", "_", "5", "case", "_", "_"),
  row("4", "el", "el", "DET", "DA", "_", "5", "det", "_", "_"),
  row("5", "mar", "mar", "NOUN", "NC", "_", "1", "obl", "_", "SpaceAfter=No"),
  row("5.1", "ir", "ir", "VERB", "_", "_", "_", "_", "1:conj", "_"),
  row("6", ".", ".", "PUNCT", "Fp", "_", "1", "punct", "_", "_"),
  "",
  "# sent_id = s2",
  row("1", "Hola", "hola", "INTJ", "I", "_", "0", "root", "_", "_"),
  "",
].join("\n");

Deno.test("conllu: ranges and empty nodes skipped, sent_id kept, UPOS default", () => {
  const s = readConllu(UD, { file: "es.conllu" });
  assert.equal(s.length, 2);
  assert.equal(s[0].id, "s1");
  assert.deepEqual(s[0].words, ["Vamos", "nos", "a", "el", "mar", "."]);
  assert.deepEqual(s[0].columns, { pos: ["VERB", "PRON", "ADP", "DET", "NOUN", "PUNCT"] });
  assert.equal(s[0].source.line, 4);
  assert.deepEqual(Array.from(s[0].source.tokenLines!), [5, 6, 8, 9, 10, 12]);
  assert.equal(s[1].id, "s2");
  assert.equal(s[1].source.line, 15);
});

Deno.test("conllu: XPOS and several fields by name", () => {
  const s = readConllu(UD, { fields: { pos: "XPOS", lemma: "LEMMA" } });
  assert.deepEqual(s[0].columns.pos, ["VMM", "PP", "SPS", "DA", "NC", "Fp"]);
  assert.deepEqual(s[0].columns.lemma, ["ir", "nosotros", "a", "el", "mar", "."]);
});

Deno.test("conllu: malformed input is located", () => {
  assert.throws(
    () => readConllu("# sent_id = a\n1\tx\tx\tX\n", { file: "r.conllu" }),
    (ragged: unknown) => {
      assert.ok(ragged instanceof RaggedRowError, String(ragged));
      assert.deepEqual([ragged.line, ragged.expected, ragged.actual], [2, 10, 4]);
      return true;
    },
  );
  assert.throws(
    () => readConllu(row("x1", "a", "_", "X", "_", "_", "_", "_", "_", "_")),
    (badId: unknown) => {
      assert.ok(badId instanceof CorpusFormatError, String(badId));
      assert.deepEqual([badId.line, badId.field], [1, "ID"]);
      return true;
    },
  );
  assert.throws(() =>
    readConllu(
      [
        row("1", "a", "_", "X", "_", "_", "_", "_", "_", "_"),
        row("3", "b", "_", "X", "_", "_", "_", "_", "_", "_"),
      ]
        .join("\n"),
    ), (gap: unknown) => {
    assert.ok(gap instanceof CorpusFormatError, String(gap));
    assert.equal(gap.line, 2);
    return true;
  });
  assert.throws(
    () => readConllu("# sent_id = e1\n# text = \n\n", { file: "e.conllu" }),
    (empty: unknown) => {
      assert.ok(empty instanceof EmptySentenceError, String(empty));
      assert.deepEqual([empty.file, empty.line], ["e.conllu", 1]);
      assert.ok(empty.message.includes("e1"));
      return true;
    },
  );
  assert.throws(
    () => readConllu(row("1-2", "al", "_", "_", "_", "_", "_", "_", "_", "_") + "\n"),
    (onlyRange: unknown) => {
      assert.ok(onlyRange instanceof EmptySentenceError, String(onlyRange));
      assert.equal(onlyRange.line, 1);
      return true;
    },
  );
});

const NER = "# sent_id = s2\nHola O\n\n# sent_id = s1\nVamos O\nnos O\na O\nel O\nmar B-LOC\n. O\n";

Deno.test("conllu: NER column joined from an IOB2 file keyed on sent_id", () => {
  const base = readConllu(UD, { file: "es.conllu" });
  const ner = readConll(NER, { file: "es.ner", comments: true, columns: ["word", "ner"] });
  const joined = joinColumn(base, ner);
  assert.deepEqual(joined.map((s) => s.columns.ner), [["O", "O", "O", "O", "B-LOC", "O"], ["O"]]);
  assert.deepEqual(joined[0].columns.pos, base[0].columns.pos);
  assert.equal(base[0].columns.ner, undefined); // inputs untouched
  const renamed = joinColumn(base, ner, { from: "ner", to: "entities" });
  assert.deepEqual(renamed[1].columns.entities, ["O"]);
});

Deno.test("conllu join: missing partner, word mismatch and duplicate ids are located", () => {
  const base = readConllu(UD, { file: "es.conllu" });
  const partial = readConll("# sent_id = s2\nHola O\n", {
    file: "p.ner",
    comments: true,
    columns: ["word", "ner"],
  });
  assert.throws(() => joinColumn(base, partial), (missing: unknown) => {
    assert.ok(missing instanceof CorpusFormatError, String(missing));
    assert.ok(missing.message.includes('"s1"'), missing.message);
    assert.deepEqual([missing.file, missing.line], ["es.conllu", 4]);
    return true;
  });
  assert.deepEqual(joinColumn(base, partial, { onMissing: "drop" }).map((s) => s.id), ["s2"]);
  const wrong = readConll("# sent_id = s2\nHello O\n", {
    file: "w.ner",
    comments: true,
    columns: ["word", "ner"],
  });
  assert.throws(() => joinColumn([base[1]], wrong), (mismatch: unknown) => {
    assert.ok(mismatch instanceof CorpusFormatError, String(mismatch));
    assert.ok(mismatch.message.includes("w.ner:2"), mismatch.message);
    assert.deepEqual([mismatch.file, mismatch.line, mismatch.field], ["es.conllu", 15, "FORM"]);
    return true;
  });
  const dup = readConll("# sent_id = s2\nHola O\n\n# sent_id = s2\nHola O\n", {
    file: "d.ner",
    comments: true,
    columns: ["word", "ner"],
  });
  assert.throws(() => joinColumn(base, dup), (d: unknown) => {
    assert.ok(d instanceof CorpusFormatError, String(d));
    assert.ok(d.message.includes("duplicate"), d.message);
    assert.equal(d.line, 5);
    return true;
  });
});
