import { assert, assertEquals, assertThrows } from "./assert.ts";
import {
  CorpusFormatError,
  EmptySentenceError,
  joinColumn,
  RaggedRowError,
  readConll,
  readConllu,
} from "../../tagging.ts";

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
  assertEquals(s.length, 2);
  assertEquals(s[0].id, "s1");
  assertEquals(s[0].words, ["Vamos", "nos", "a", "el", "mar", "."]);
  assertEquals(s[0].columns, { pos: ["VERB", "PRON", "ADP", "DET", "NOUN", "PUNCT"] });
  assertEquals(s[0].source.line, 4);
  assertEquals(Array.from(s[0].source.tokenLines!), [5, 6, 8, 9, 10, 12]);
  assertEquals(s[1].id, "s2");
  assertEquals(s[1].source.line, 15);
});

Deno.test("conllu: XPOS and several fields by name", () => {
  const s = readConllu(UD, { fields: { pos: "XPOS", lemma: "LEMMA" } });
  assertEquals(s[0].columns.pos, ["VMM", "PP", "SPS", "DA", "NC", "Fp"]);
  assertEquals(s[0].columns.lemma, ["ir", "nosotros", "a", "el", "mar", "."]);
});

Deno.test("conllu: malformed input is located", () => {
  const ragged = assertThrows(
    () => readConllu("# sent_id = a\n1\tx\tx\tX\n", { file: "r.conllu" }),
    RaggedRowError,
  );
  assertEquals([ragged.line, ragged.expected, ragged.actual], [2, 10, 4]);
  const badId = assertThrows(
    () => readConllu(row("x1", "a", "_", "X", "_", "_", "_", "_", "_", "_")),
    CorpusFormatError,
  );
  assertEquals([badId.line, badId.field], [1, "ID"]);
  const gap = assertThrows(
    () =>
      readConllu(
        [
          row("1", "a", "_", "X", "_", "_", "_", "_", "_", "_"),
          row("3", "b", "_", "X", "_", "_", "_", "_", "_", "_"),
        ]
          .join("\n"),
      ),
    CorpusFormatError,
  );
  assertEquals(gap.line, 2);
  const empty = assertThrows(
    () => readConllu("# sent_id = e1\n# text = \n\n", { file: "e.conllu" }),
    EmptySentenceError,
  );
  assertEquals([empty.file, empty.line], ["e.conllu", 1]);
  assert(empty.message.includes("e1"));
  const onlyRange = assertThrows(
    () => readConllu(row("1-2", "al", "_", "_", "_", "_", "_", "_", "_", "_") + "\n"),
    EmptySentenceError,
  );
  assertEquals(onlyRange.line, 1);
});

const NER = "# sent_id = s2\nHola O\n\n# sent_id = s1\nVamos O\nnos O\na O\nel O\nmar B-LOC\n. O\n";

Deno.test("conllu: NER column joined from an IOB2 file keyed on sent_id", () => {
  const base = readConllu(UD, { file: "es.conllu" });
  const ner = readConll(NER, { file: "es.ner", comments: true, columns: ["word", "ner"] });
  const joined = joinColumn(base, ner);
  assertEquals(joined.map((s) => s.columns.ner), [["O", "O", "O", "O", "B-LOC", "O"], ["O"]]);
  assertEquals(joined[0].columns.pos, base[0].columns.pos);
  assertEquals(base[0].columns.ner, undefined); // inputs untouched
  const renamed = joinColumn(base, ner, { from: "ner", to: "entities" });
  assertEquals(renamed[1].columns.entities, ["O"]);
});

Deno.test("conllu join: missing partner, word mismatch and duplicate ids are located", () => {
  const base = readConllu(UD, { file: "es.conllu" });
  const partial = readConll("# sent_id = s2\nHola O\n", {
    file: "p.ner",
    comments: true,
    columns: ["word", "ner"],
  });
  const missing = assertThrows(() => joinColumn(base, partial), CorpusFormatError, '"s1"');
  assertEquals([missing.file, missing.line], ["es.conllu", 4]);
  assertEquals(joinColumn(base, partial, { onMissing: "drop" }).map((s) => s.id), ["s2"]);
  const wrong = readConll("# sent_id = s2\nHello O\n", {
    file: "w.ner",
    comments: true,
    columns: ["word", "ner"],
  });
  const mismatch = assertThrows(() => joinColumn([base[1]], wrong), CorpusFormatError, "w.ner:2");
  assertEquals([mismatch.file, mismatch.line, mismatch.field], ["es.conllu", 15, "FORM"]);
  const dup = readConll("# sent_id = s2\nHola O\n\n# sent_id = s2\nHola O\n", {
    file: "d.ner",
    comments: true,
    columns: ["word", "ner"],
  });
  const d = assertThrows(() => joinColumn(base, dup), CorpusFormatError, "duplicate");
  assertEquals(d.line, 5);
});
