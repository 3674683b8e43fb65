/**
 * Entity (chunk) extraction with exactly the conlleval rules, as implemented by seqeval's default
 * (non-strict) mode. The rules are scheme-agnostic — they read IOB1, IOB2 and BIOES alike:
 * an `I-X` after `O`, after `E-`/`S-`, or after a different type starts an entity; a type change,
 * `B-`/`S-`/`O` after `B-`/`I-`, or anything after `E-`/`S-` ends one.
 * @module
 */

/** One entity: `type`, first token `start`, one past the last token `end`. */
export interface Entity {
  /** Entity type, e.g. `"PER"` (`"_"` for a bare `B`/`I` label, as seqeval does). */
  type: string;
  /** Index of the first token. */
  start: number;
  /** Index one past the last token. */
  end: number;
}

/** A label split into its prefix character and type, as seqeval splits it. */
export interface LabelParts {
  /** First character: `B`, `I`, `E`, `S` or `O` for well-formed labels. */
  tag: string;
  /** Text after the first `-` (or after the first character if there is no `-`); `"_"` if empty. */
  type: string;
}

/** Splits `label` the way seqeval does (`"B-PER"` → `B` / `PER`, `"O"` → `O` / `_`). */
export function splitLabel(label: string): LabelParts {
  const tag = label.length === 0 ? "" : label[0];
  const rest = label.slice(1);
  const dash = rest.indexOf("-");
  const type = dash < 0 ? rest : rest.slice(dash + 1);
  return { tag, type: type === "" ? "_" : type };
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === "E" || prevTag === "S") return true;
  if ((prevTag === "B" || prevTag === "I") && (tag === "B" || tag === "S" || tag === "O")) {
    return true;
  }
  return prevTag !== "O" && prevTag !== "." && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === "B" || tag === "S") return true;
  if ((prevTag === "E" || prevTag === "S" || prevTag === "O") && (tag === "E" || tag === "I")) {
    return true;
  }
  return tag !== "O" && tag !== "." && prevType !== type;
}

/**
 * Entities of one label sequence, in order, under conlleval semantics (see module doc).
 * Equivalent to seqeval's `get_entities` with `end` made exclusive.
 */
export function extractEntities(labels: readonly string[]): Entity[] {
  const out: Entity[] = [];
  let prevTag = "O";
  let prevType = "";
  let begin = 0;
  const n = labels.length;
  for (let i = 0; i <= n; i++) {
    // A virtual trailing "O" closes an entity that runs to the end, as in seqeval.
    const { tag, type } = i < n ? splitLabel(labels[i]) : { tag: "O", type: "_" };
    if (endOfChunk(prevTag, tag, prevType, type)) {
      out.push({ type: prevType, start: begin, end: i });
    }
    if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
    prevTag = tag;
    prevType = type;
  }
  return out;
}
