/**
 * Tag-scheme detection and conversion between IOB1, IOB2 and BIOES.
 *
 * Conversion goes through conlleval entity extraction, so it never changes which entities a
 * sequence denotes — including for ill-formed input such as an `I-X` after `O`, which starts an
 * entity exactly as conlleval would count it.
 * @module
 */
import { TagSchemeError } from "../errors.ts";
import { type Entity, extractEntities } from "./entities.ts";

/** Supported chunk tagging schemes. */
export type TagScheme = "IOB1" | "IOB2" | "BIOES";

const CHUNK_LABEL = /^[BIES]-./;

/** True when `label` is `O` or a prefixed chunk label (`B-`, `I-`, `E-`, `S-` plus a type). */
export function isChunkLabel(label: string): boolean {
  return label === "O" || CHUNK_LABEL.test(label);
}

/**
 * Detects the scheme of a set of label sequences. Returns `null` when some label is not a chunk
 * label (e.g. POS tags), `"BIOES"` when any `E-`/`S-` occurs, `"IOB1"` when some entity starts
 * with `I-` (an `I-X` not preceded by `B-X`/`I-X`), and `"IOB2"` otherwise (also for all-`O`).
 */
export function detectScheme(sequences: Iterable<readonly string[]>): TagScheme | null {
  let bioes = false;
  let iob1 = false;
  for (const seq of sequences) {
    let prev = "O";
    for (const label of seq) {
      if (!isChunkLabel(label)) return null;
      const p = label[0];
      if (p === "E" || p === "S") bioes = true;
      else if (p === "I" && !iob1) {
        const type = label.slice(2);
        if (!((prev[0] === "B" || prev[0] === "I") && prev.slice(2) === type)) iob1 = true;
      }
      prev = label;
    }
  }
  return bioes ? "BIOES" : iob1 ? "IOB1" : "IOB2";
}

/** Result of {@link detectSchemeByMajority}. */
export interface SchemeVote {
  /** The scheme most entities follow (IOB2 for all-`O` input). */
  scheme: TagScheme;
  /** Number of entities (conlleval starts). */
  entities: number;
  /** Labels that do not fit `scheme`, as [sequence index, token index]. */
  strays: [number, number][];
}

/**
 * Detects the scheme by majority, so one stray `I-` token does not make a whole IOB2 corpus IOB1:
 * BIOES when most entities carry an `S-` or `E-`, else IOB1 when more entities start with `I-`
 * than with `B-`, else IOB2. The labels that do not fit the winner are returned as strays (an
 * entity starting with `I-` in IOB2/BIOES; `B-` after `O` or another type, `E-`, `S-` in IOB1;
 * `E-`, `S-` in IOB2). Returns `null` when some label is not a chunk label (e.g. POS tags).
 */
export function detectSchemeByMajority(
  sequences: readonly (readonly string[])[],
): SchemeVote | null {
  if (!sequences.every((seq) => seq.every(isChunkLabel))) return null;
  let bStarts = 0;
  let iStarts = 0;
  let endings = 0;
  let entities = 0;
  const kinds: [number, number, "B" | "I" | "ES"][] = [];
  sequences.forEach((seq, s) => {
    let prev = "O";
    seq.forEach((label, i) => {
      const p = label[0];
      const continues = (prev[0] === "B" || prev[0] === "I") && prev.slice(2) === label.slice(2);
      if (p === "E" || p === "S") {
        endings++;
        kinds.push([s, i, "ES"]);
        if (p === "S" || !continues) entities++;
      } else if (p === "I" && !continues) {
        iStarts++;
        entities++;
        kinds.push([s, i, "I"]);
      } else if (p === "B") {
        entities++;
        if (!continues) bStarts++, kinds.push([s, i, "B"]);
      }
      prev = label;
    });
  });
  const scheme: TagScheme = 2 * endings > entities ? "BIOES" : iStarts > bStarts ? "IOB1" : "IOB2";
  const misfit = scheme === "IOB1" ? ["B", "ES"] : scheme === "IOB2" ? ["I", "ES"] : ["I"];
  const strays = kinds.filter(([, , k]) => misfit.includes(k)).map(([s, i]): [number, number] => [
    s,
    i,
  ]);
  return { scheme, entities, strays };
}

/** Renders entities over `length` tokens in `scheme`; tokens outside every entity are `O`. */
export function entitiesToLabels(
  entities: readonly Entity[],
  length: number,
  scheme: TagScheme,
): string[] {
  const out = new Array<string>(length).fill("O");
  let prevEnd = -1;
  let prevType = "";
  for (const e of entities) {
    const single = e.end - e.start === 1;
    for (let i = e.start; i < e.end; i++) {
      let prefix = "I";
      if (scheme === "IOB2") prefix = i === e.start ? "B" : "I";
      else if (scheme === "BIOES") {
        prefix = single ? "S" : i === e.start ? "B" : i === e.end - 1 ? "E" : "I";
      } else if (i === e.start && prevEnd === e.start && prevType === e.type) {
        prefix = "B"; // IOB1 uses B only to separate adjacent entities of one type
      }
      out[i] = `${prefix}-${e.type}`;
    }
    prevEnd = e.end;
    prevType = e.type;
  }
  return out;
}

/**
 * Converts `labels` (in any of the three schemes) to `to`, preserving conlleval entities.
 * @throws TagSchemeError for a label that is neither `O` nor `B-`/`I-`/`E-`/`S-` + type.
 */
export function convertScheme(labels: readonly string[], to: TagScheme): string[] {
  for (let i = 0; i < labels.length; i++) {
    if (!isChunkLabel(labels[i])) {
      throw new TagSchemeError(`convertScheme(to ${to})`, labels[i], i, "not a chunk label");
    }
  }
  return entitiesToLabels(extractEntities(labels), labels.length, to);
}

/** Converts IOB1/IOB2/BIOES labels to IOB2 (see {@link convertScheme}). */
export function toIob2(labels: readonly string[]): string[] {
  return convertScheme(labels, "IOB2");
}

/** Converts IOB1/IOB2/BIOES labels to BIOES (see {@link convertScheme}). */
export function toBioes(labels: readonly string[]): string[] {
  return convertScheme(labels, "BIOES");
}
