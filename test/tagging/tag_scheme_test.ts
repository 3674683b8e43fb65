import { assertEquals, assertThrows } from "./assert.ts";
import {
  convertScheme,
  detectScheme,
  extractEntities,
  Rng,
  splitLabel,
  TagSchemeError,
  toBioes,
  toIob2,
} from "../../tagging.ts";

const L = (s: string) => s.split(" ");
const E = (s: string) =>
  s === "" ? [] : s.split(" ").map((x) => {
    const [type, start, end] = x.split(":");
    return { type, start: Number(start), end: Number(end) };
  });

Deno.test("splitLabel follows seqeval", () => {
  assertEquals(splitLabel("B-PER"), { tag: "B", type: "PER" });
  assertEquals(splitLabel("I-B-X"), { tag: "I", type: "B-X" });
  assertEquals(splitLabel("O"), { tag: "O", type: "_" });
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
  for (const [labels, ents] of cases) assertEquals(extractEntities(L(labels)), E(ents), labels);
  assertEquals(extractEntities([]), []);
});

Deno.test("detectScheme", () => {
  assertEquals(detectScheme([L("B-PER I-PER O"), L("O B-LOC")]), "IOB2");
  assertEquals(detectScheme([L("B-PER I-PER O"), L("O I-LOC")]), "IOB1");
  assertEquals(detectScheme([L("B-PER I-LOC")]), "IOB1");
  assertEquals(detectScheme([L("S-PER O B-LOC E-LOC")]), "BIOES");
  assertEquals(detectScheme([L("O O")]), "IOB2");
  assertEquals(detectScheme([L("NN VBZ DT")]), null);
  assertEquals(detectScheme([L("O B-")]), null);
});

Deno.test("convertScheme: IOB1 / IOB2 / BIOES round trips on hand cases", () => {
  const iob1 = L("I-PER I-PER B-PER O I-LOC O I-ORG I-ORG");
  const iob2 = L("B-PER I-PER B-PER O B-LOC O B-ORG I-ORG");
  const bioes = L("B-PER E-PER S-PER O S-LOC O B-ORG E-ORG");
  assertEquals(toIob2(iob1), iob2);
  assertEquals(toBioes(iob1), bioes);
  assertEquals(toIob2(bioes), iob2);
  assertEquals(convertScheme(iob2, "IOB1"), iob1);
  assertEquals(convertScheme(bioes, "IOB1"), iob1);
  assertEquals(toBioes(L("B-X I-X I-X")), L("B-X I-X E-X"));
  // Ill-formed input keeps conlleval's reading: I-LOC after B-PER starts a LOC entity.
  assertEquals(toIob2(L("B-PER I-LOC O I-PER")), L("B-PER B-LOC O B-PER"));
});

Deno.test("convertScheme preserves conlleval entities on random label sequences", () => {
  const rng = new Rng(3);
  const pool = ["O", "O", "O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B"];
  for (let trial = 0; trial < 500; trial++) {
    const seq = Array.from({ length: 1 + rng.nextInt(12) }, () => pool[rng.nextInt(pool.length)]);
    const ents = extractEntities(seq);
    for (const to of ["IOB1", "IOB2", "BIOES"] as const) {
      const conv = convertScheme(seq, to);
      assertEquals(extractEntities(conv), ents, `${seq.join(" ")} -> ${to}`);
      assertEquals(detectScheme([conv]) === "BIOES", to === "BIOES" && ents.length > 0);
      assertEquals(convertScheme(conv, to), conv, "idempotent");
    }
  }
});

Deno.test("convertScheme rejects non-chunk labels with the position", () => {
  assertThrows(() => toIob2(L("O NN")), TagSchemeError, "position 1");
});
