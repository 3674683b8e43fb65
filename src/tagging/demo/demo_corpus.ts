/**
 * A generated NER + POS corpus for the built-in demo and for tests: template sentences filled from
 * entity gazetteers (PER, ORG, LOC, MISC, IOB2 tags) and word classes with Penn Treebank POS tags.
 * Some names are ambiguous on purpose (Jordan, Washington, Paris as a person or a place; Apple as
 * an organisation or a noun), so the tagger has to use context, and dev sentences combine first and
 * last names never seen together in training. Deterministic for a given seed.
 * @module
 */
import { Rng } from "../data/random.ts";
import type { Sentence } from "../data/sentence.ts";

/** One gazetteer entry: words with their POS tags. */
type Phrase = readonly (readonly [string, string])[];

const nnp = (s: string): Phrase => s.split(" ").map((w) => [w, "NNP"] as const);

const FIRST = [
  "Anna",
  "Peter",
  "Maria",
  "John",
  "Yuki",
  "Omar",
  "Elena",
  "David",
  "Fatima",
  "Carlos",
  "Ingrid",
  "Kwame",
  "Sofia",
  "Liam",
  "Priya",
  "Jordan",
  "Paris",
  "George",
];
const LAST = [
  "Schmidt",
  "Okafor",
  "Tanaka",
  "Silva",
  "Novak",
  "Haddad",
  "Larsen",
  "Moreau",
  "Kowalski",
  "Brennan",
  "Washington",
  "Jordan",
  "Ivanova",
  "Mendes",
  "Costa",
  "Fischer",
];
const ORG = [
  "Apple",
  "Siemens",
  "Reuters",
  "United Nations",
  "World Bank",
  "Red Cross",
  "Bayer",
  "Toyota Motor",
  "European Commission",
  "Deutsche Bank",
  "Nokia",
  "Oxfam",
  "Real Madrid",
  "Ajax Amsterdam",
  "Interpol",
  "NATO",
  "Airbus",
  "Unilever",
].map(nnp);
const LOC = [
  "Berlin",
  "Paris",
  "Jordan",
  "Washington",
  "Nairobi",
  "Lima",
  "Osaka",
  "Oslo",
  "New York",
  "Cape Town",
  "Buenos Aires",
  "Lisbon",
  "Cairo",
  "Hanoi",
  "Vienna",
  "Quebec",
  "Texas",
  "Bavaria",
].map(nnp);
const MISC: Phrase[] = [
  ...["German", "French", "Japanese", "Brazilian", "Kenyan", "Dutch", "Norwegian", "Peruvian"]
    .map((w) => [[w, "JJ"] as const]),
  ...["Olympic Games", "World Cup", "Nobel Prize", "Champions League", "Tour de France"].map(nnp),
  [["Christmas", "NNP"]],
  [["Ramadan", "NNP"]],
];

const WORDS: Record<string, readonly string[]> = {
  NN: [
    "report",
    "deal",
    "plan",
    "company",
    "market",
    "apple",
    "meeting",
    "agreement",
    "project",
    "team",
    "government",
    "price",
    "contract",
    "strike",
  ],
  NNS: ["shares", "talks", "workers", "profits", "sales", "players", "officials", "prices"],
  JJ: ["new", "strong", "weak", "major", "local", "final", "early", "surprising", "annual"],
  VBD: ["said", "announced", "rejected", "signed", "visited", "criticised", "praised", "left"],
  CD: ["two", "three", "five", "ten", "12", "40", "1996", "2004"],
  DAY: ["Monday", "Tuesday", "Friday", "Sunday"],
  TITLE: ["chairman", "spokesman", "director", "coach", "minister", "head"],
};

/**
 * Templates: `word/POS` literals, `{PER}`/`{ORG}`/`{LOC}`/`{MISC}` entities, `{NN}`-style word
 * classes (`{DAY}` is a proper noun, `{TITLE}` a common noun).
 */
const TEMPLATES = [
  "{PER} {VBD} {ORG} in {LOC} on {DAY} ./.",
  "{ORG} {VBD} a/DT {JJ} {NN} with/IN {ORG} ./.",
  "{PER} ,/, the/DT {TITLE} of/IN {ORG} ,/, {VBD} the/DT {NN} was/VBD {JJ} ./.",
  "The/DT {MISC} {NN} {VBD} {CD} {NNS} in/IN {LOC} ./.",
  "{PER} {VBD} to/TO {LOC} after/IN the/DT {MISC} ./.",
  "{NNS} at/IN {ORG} {VBD} the/DT {NN} on/IN {DAY} ./.",
  "In/IN {LOC} ,/, {PER} {VBD} the/DT {JJ} {NN} ./.",
  "{ORG} {VBD} {CD} {NNS} ,/, {PER} {VBD} ./.",
  "{PER} and/CC {PER} {VBD} the/DT {NN} in/IN {LOC} ./.",
  "The/DT {TITLE} {VBD} {ORG} would/MD win/VB the/DT {MISC} ./.",
  "{LOC} {VBD} the/DT {JJ} {NN} of/IN {MISC} {NNS} ./.",
  "She/PRP {VBD} the/DT {NN} in/IN {LOC} ,/, not/RB {LOC} ./.",
  "{PER} {VBD} {PER} of/IN {ORG} ./.",
  "The/DT {NN} in/IN {LOC} {VBD} {JJ} for/IN {ORG} and/CC {ORG} ./.",
];

/** Columns of the generated sentences. */
export const DEMO_COLUMNS = { ner: "ner", pos: "pos" } as const;

/** Options of {@link generateDemoCorpus}. */
export interface DemoCorpusOptions {
  /** Number of sentences (default 2400). */
  sentences?: number;
  /** Seed (default 7). */
  seed?: number;
  /** File name recorded in `Sentence.source` (default `"<demo>"`). */
  file?: string;
}

/**
 * Generates `sentences` sentences with `ner` (IOB2) and `pos` (PTB) columns.
 * @example
 * ```ts
 * const corpus = generateDemoCorpus({ sentences: 100 });
 * corpus[0].words; // ["Maria", "Okafor", "signed", "Nokia", "in", "Oslo", "on", "Friday", "."]
 * ```
 */
export function generateDemoCorpus(options: DemoCorpusOptions = {}): Sentence[] {
  const n = options.sentences ?? 2400;
  const rng = new Rng(options.seed ?? 7);
  const file = options.file ?? "<demo>";
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextInt(xs.length)];
  const out: Sentence[] = [];
  for (let s = 0; s < n; s++) {
    const words: string[] = [];
    const ner: string[] = [];
    const pos: string[] = [];
    const put = (phrase: Phrase, type: string | null) => {
      phrase.forEach(([w, p], i) => {
        words.push(w);
        pos.push(p);
        ner.push(type === null ? "O" : `${i === 0 ? "B" : "I"}-${type}`);
      });
    };
    for (const tok of pick(TEMPLATES).split(" ")) {
      const slot = /^\{(\w+)\}$/.exec(tok)?.[1];
      if (slot === "PER") {
        const person: Phrase = rng.nextInt(5) === 0
          ? nnp(pick(LAST))
          : [...nnp(pick(FIRST)), ...nnp(pick(LAST))];
        put(person, "PER");
      } else if (slot === "ORG") put(pick(ORG), "ORG");
      else if (slot === "LOC") put(pick(LOC), "LOC");
      else if (slot === "MISC") put(pick(MISC), "MISC");
      else if (slot !== undefined) {
        const tag = slot === "DAY" ? "NNP" : slot === "TITLE" ? "NN" : slot;
        put([[pick(WORDS[slot]), tag]], null);
      } else {
        const cut = tok.lastIndexOf("/");
        put([[tok.slice(0, cut), tok.slice(cut + 1)]], null);
      }
    }
    out.push({
      words,
      columns: { ner, pos },
      source: { file, line: s + 1, tokenLines: new Int32Array(words.length).fill(s + 1) },
      id: String(s + 1),
    });
  }
  return out;
}
