import assert from "node:assert/strict";
import {
  convertScheme,
  detectScheme,
  extractEntities,
  Rng,
  splitLabel,
  TagSchemeError,
  toBioes,
  toIob2,
} from "../../../tagging.ts";

const L = (s: string) => s.split(" ");
const E = (s: string) =>
  s === "" ? [] : s.split(" ").map((x) => {
    const [type, start, end] = x.split(":");
    return { type, start: Number(start), end: Number(end) };
  });

Deno.test("splitLabel follows seqeval", () => {
  assert.deepEqual(splitLabel("B-PER"), { tag: "B", type: "PER" });
  assert.deepEqual(splitLabel("I-B-X"), { tag: "I", type: "B-X" });
  assert.deepEqual(splitLabel("O"), { tag: "O", type: "_" });
});

Deno.test("extractEntities: hand-worked conlleval cases", () => {
  const cases: [string, string][] = [
    ["B-PER I-PER O B-LOC", "PER:0:2 LOC:3:4"],
    // IOB1: I- opens an entity after O / at the start; B- separates same-type neighbours.
    ["I-PER I-PER B-PER I-LOC", "PER:0:2 PER:2:3 LOC:3:4"],
    ["O I-ORG I-ORG", "ORG:1:3"],
    // A type change ends one entity and starts another, whatever the prefix.
    ["B-PER I-LOC I-LOC", "PER:0:1 LOC:1:3"],
    ["B-PER B-PER", "PER:0:1 PER:1:2"],
    // BIOES: E- after E- starts a new entity; S- is a single-token entity.
    ["S-PER B-LOC I-LOC E-LOC E-LOC", "PER:0:1 LOC:1:4 LOC:4:5"],
    ["B-PER E-PER I-PER", "PER:0:2 PER:2:3"],
    ["E-PER", "PER:0:1"],
    ["B-PER S-PER", "PER:0:1 PER:1:2"],
    ["I-PER E-PER O", "PER:0:2"],
    ["O O", ""],
  ];
  for (const [labels, ents] of cases) assert.deepEqual(extractEntities(L(labels)), E(ents), labels);
  assert.deepEqual(extractEntities([]), []);
});

Deno.test("detectScheme", () => {
  assert.equal(detectScheme([L("B-PER I-PER O"), L("O B-LOC")]), "IOB2");
  assert.equal(detectScheme([L("B-PER I-PER O"), L("O I-LOC")]), "IOB1");
  assert.equal(detectScheme([L("B-PER I-LOC")]), "IOB1");
  assert.equal(detectScheme([L("S-PER O B-LOC E-LOC")]), "BIOES");
  assert.equal(detectScheme([L("O O")]), "IOB2");
  assert.equal(detectScheme([L("NN VBZ DT")]), null);
  assert.equal(detectScheme([L("O B-")]), null);
});

Deno.test("convertScheme: IOB1 / IOB2 / BIOES round trips on hand cases", () => {
  const iob1 = L("I-PER I-PER B-PER O I-LOC O I-ORG I-ORG");
  const iob2 = L("B-PER I-PER B-PER O B-LOC O B-ORG I-ORG");
  const bioes = L("B-PER E-PER S-PER O S-LOC O B-ORG E-ORG");
  assert.deepEqual(toIob2(iob1), iob2);
  assert.deepEqual(toBioes(iob1), bioes);
  assert.deepEqual(toIob2(bioes), iob2);
  assert.deepEqual(convertScheme(iob2, "IOB1"), iob1);
  assert.deepEqual(convertScheme(bioes, "IOB1"), iob1);
  assert.deepEqual(toBioes(L("B-X I-X I-X")), L("B-X I-X E-X"));
  // Ill-formed input keeps conlleval's reading: I-LOC after B-PER starts a LOC entity.
  assert.deepEqual(toIob2(L("B-PER I-LOC O I-PER")), L("B-PER B-LOC O B-PER"));
});

Deno.test("convertScheme preserves conlleval entities on random label sequences", () => {
  const rng = new Rng(3);
  const pool = ["O", "O", "O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B"];
  for (let trial = 0; trial < 500; trial++) {
    const seq = Array.from({ length: 1 + rng.nextInt(12) }, () => pool[rng.nextInt(pool.length)]);
    const ents = extractEntities(seq);
    for (const to of ["IOB1", "IOB2", "BIOES"] as const) {
      const conv = convertScheme(seq, to);
      assert.deepEqual(extractEntities(conv), ents, `${seq.join(" ")} -> ${to}`);
      assert.deepEqual(detectScheme([conv]) === "BIOES", to === "BIOES" && ents.length > 0);
      assert.deepEqual(convertScheme(conv, to), conv, "idempotent");
    }
  }
});

Deno.test("convertScheme rejects non-chunk labels with the position", () => {
  assert.throws(
    () => toIob2(L("O NN")),
    (e: unknown) => e instanceof TagSchemeError && e.message.includes("position 1"),
  );
});
