/**
 * Entity-level precision / recall / F1 with conlleval semantics (matching seqeval's default mode
 * and `classification_report`), plus token accuracy for tasks without entities such as POS.
 * @module
 */
import { TaggingArgumentError } from "../errors.ts";
import { extractEntities } from "../data/entities.ts";

/** Entity counts of one sentence (or any set of sentences) for one system. */
export interface EntityCounts {
  /** Predicted entities that exactly match a gold entity (type, start and end). */
  tp: number;
  /** Predicted entities with no exact gold match. */
  fp: number;
  /** Gold entities with no exact predicted match. */
  fn: number;
}

/** Precision, recall and F1 with the counts they come from. */
export interface Prf {
  /** `correct / predicted`, 0 when nothing was predicted (seqeval's zero_division default). */
  precision: number;
  /** `correct / support`, 0 when there is no gold entity. */
  recall: number;
  /** Harmonic mean of precision and recall, 0 when both are 0. */
  f1: number;
  /** Number of gold entities. */
  support: number;
  /** Number of predicted entities. */
  predicted: number;
  /** Number of exactly matching entities. */
  correct: number;
}

/** Full evaluation result. */
export interface EntityReport {
  /** Pooled over all types (seqeval's default `f1_score`, `precision_score`, `recall_score`). */
  micro: Prf;
  /** Unweighted mean of the per-type scores (`macro avg`); counts are totals. */
  macro: Prf;
  /** Support-weighted mean of the per-type scores (`weighted avg`); counts are totals. */
  weighted: Prf;
  /** Per entity type, for the union of gold and predicted types. */
  perType: Record<string, Prf>;
  /** Types in `perType`, sorted by UTF-16 code units (as Python sorts ASCII strings). */
  types: string[];
  /** Token accuracy over all labels (seqeval's `accuracy_score`). */
  accuracy: number;
  /** Number of sentences scored. */
  sentences: number;
  /** Number of tokens scored. */
  tokens: number;
}

/** Builds a {@link Prf} from raw counts. */
export function prfFromCounts(correct: number, predicted: number, support: number): Prf {
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = support === 0 ? 0 : correct / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support, predicted, correct };
}

/** F1 from entity counts (0 when there is neither a prediction nor a gold entity). */
export function f1FromCounts(c: EntityCounts): number {
  return prfFromCounts(c.tp, c.tp + c.fp, c.tp + c.fn).f1;
}

interface TypeTally {
  gold: number;
  pred: number;
  correct: number;
}

function checkLengths(op: string, index: number, gold: readonly string[], pred: readonly string[]) {
  if (gold.length !== pred.length) {
    throw new TaggingArgumentError(
      op,
      `sentence ${index}: gold has ${gold.length} labels, prediction has ${pred.length}`,
    );
  }
}

/**
 * Streaming scorer: feed sentence pairs with {@link EntityScorer.add}, read the
 * {@link EntityReport} with {@link EntityScorer.report}. Keeps per-sentence counts for
 * significance tests.
 */
export class EntityScorer {
  readonly #tally = new Map<string, TypeTally>();
  #tokens = 0;
  #correctTokens = 0;
  /** Per-sentence counts, in the order sentences were added. */
  readonly perSentence: EntityCounts[] = [];

  /** Scores one sentence and returns its counts. */
  add(gold: readonly string[], pred: readonly string[]): EntityCounts {
    checkLengths("EntityScorer.add", this.perSentence.length, gold, pred);
    for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) this.#correctTokens++;
    this.#tokens += gold.length;
    const goldEntities = extractEntities(gold);
    const predEntities = extractEntities(pred);
    const goldKeys = new Set<string>();
    for (const e of goldEntities) {
      goldKeys.add(`${e.start}:${e.end}:${e.type}`);
      this.#typeTally(e.type).gold++;
    }
    let tp = 0;
    for (const e of predEntities) {
      const t = this.#typeTally(e.type);
      t.pred++;
      if (goldKeys.has(`${e.start}:${e.end}:${e.type}`)) {
        t.correct++;
        tp++;
      }
    }
    const counts = { tp, fp: predEntities.length - tp, fn: goldEntities.length - tp };
    this.perSentence.push(counts);
    return counts;
  }

  #typeTally(type: string): TypeTally {
    let t = this.#tally.get(type);
    if (t === undefined) {
      t = { gold: 0, pred: 0, correct: 0 };
      this.#tally.set(type, t);
    }
    return t;
  }

  /** The report over everything added so far. */
  report(): EntityReport {
    const types = [...this.#tally.keys()].sort(compareCodeUnits);
    const perType: Record<string, Prf> = {};
    let gold = 0;
    let pred = 0;
    let correct = 0;
    const macroSum = { p: 0, r: 0, f: 0 };
    const weightedSum = { p: 0, r: 0, f: 0 };
    for (const type of types) {
      const t = this.#tally.get(type)!;
      const prf = prfFromCounts(t.correct, t.pred, t.gold);
      perType[type] = prf;
      gold += t.gold;
      pred += t.pred;
      correct += t.correct;
      macroSum.p += prf.precision;
      macroSum.r += prf.recall;
      macroSum.f += prf.f1;
      weightedSum.p += prf.precision * t.gold;
      weightedSum.r += prf.recall * t.gold;
      weightedSum.f += prf.f1 * t.gold;
    }
    const nTypes = types.length;
    const macro: Prf = {
      precision: nTypes === 0 ? 0 : macroSum.p / nTypes,
      recall: nTypes === 0 ? 0 : macroSum.r / nTypes,
      f1: nTypes === 0 ? 0 : macroSum.f / nTypes,
      support: gold,
      predicted: pred,
      correct,
    };
    const weighted: Prf = {
      precision: gold === 0 ? 0 : weightedSum.p / gold,
      recall: gold === 0 ? 0 : weightedSum.r / gold,
      f1: gold === 0 ? 0 : weightedSum.f / gold,
      support: gold,
      predicted: pred,
      correct,
    };
    return {
      micro: prfFromCounts(correct, pred, gold),
      macro,
      weighted,
      perType,
      types,
      accuracy: this.#tokens === 0 ? 0 : this.#correctTokens / this.#tokens,
      sentences: this.perSentence.length,
      tokens: this.#tokens,
    };
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entity-level evaluation of parallel gold / predicted label sequences. */
export function evaluateEntities(
  gold: readonly (readonly string[])[],
  pred: readonly (readonly string[])[],
): EntityReport {
  if (gold.length !== pred.length) {
    throw new TaggingArgumentError(
      "evaluateEntities",
      `${gold.length} gold sentences but ${pred.length} predicted`,
    );
  }
  const scorer = new EntityScorer();
  for (let i = 0; i < gold.length; i++) scorer.add(gold[i], pred[i]);
  return scorer.report();
}

/** Per-sentence entity counts of `pred` against `gold` (input for significance tests). */
export function sentenceEntityCounts(
  gold: readonly (readonly string[])[],
  pred: readonly (readonly string[])[],
): EntityCounts[] {
  if (gold.length !== pred.length) {
    throw new TaggingArgumentError(
      "sentenceEntityCounts",
      `${gold.length} gold sentences but ${pred.length} predicted`,
    );
  }
  const scorer = new EntityScorer();
  for (let i = 0; i < gold.length; i++) scorer.add(gold[i], pred[i]);
  return scorer.perSentence;
}

/**
 * Fraction of tokens whose predicted label equals the gold label (for POS and other non-entity
 * tasks). Works on label strings or ids; 0 for an empty input.
 */
export function tokenAccuracy<T>(
  gold: readonly (ArrayLike<T>)[],
  pred: readonly (ArrayLike<T>)[],
): number {
  if (gold.length !== pred.length) {
    throw new TaggingArgumentError(
      "tokenAccuracy",
      `${gold.length} gold sentences but ${pred.length} predicted`,
    );
  }
  let total = 0;
  let correct = 0;
  for (let s = 0; s < gold.length; s++) {
    const g = gold[s];
    const p = pred[s];
    if (g.length !== p.length) {
      throw new TaggingArgumentError(
        "tokenAccuracy",
        `sentence ${s}: gold has ${g.length} labels, prediction has ${p.length}`,
      );
    }
    for (let i = 0; i < g.length; i++) if (g[i] === p[i]) correct++;
    total += g.length;
  }
  return total === 0 ? 0 : correct / total;
}
