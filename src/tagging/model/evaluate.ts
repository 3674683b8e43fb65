/**
 * Scoring a tagger on gold sentences: entity precision / recall / F1 (micro and per type,
 * conlleval semantics) for entity tasks, token accuracy for every task, and the predictions in
 * CoNLL columns so external scorers (conlleval, seqeval) can be run on them.
 * @module
 */
import type { EncodedSentence } from "../data/encode_corpus.ts";
import {
  type EntityReport,
  evaluateEntities,
  type Prf,
  tokenAccuracy,
} from "../metrics/entity_metrics.ts";
import { predictEncoded, type PredictOptions } from "./inference.ts";
import type { LabelMap } from "../data/label_map.ts";
import type { MultiTaskTagger } from "./multitask_tagger.ts";
import type { Sentence } from "../data/sentence.ts";
import { isChunkLabel } from "../data/tag_scheme.ts";

/** Whether a task's labels are entity chunks (O, B-X, I-X, …) rather than plain tags like POS. */
export function isEntityTask(labels: LabelMap): boolean {
  return labels.labels.every(isChunkLabel) && labels.labels.some((l) => l !== "O");
}

/** The label id used for words the model cannot see: "O" for entity tasks, else 0. */
export function fillLabelIds(
  labelMaps: Readonly<Record<string, LabelMap>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [t, m] of Object.entries(labelMaps)) out[t] = m.has("O") ? m.id("O") : 0;
  return out;
}

/** Scores of one task. */
export interface TaskScores {
  /** Token accuracy. */
  accuracy: number;
  /** Entity scores pooled over types (entity tasks only). */
  micro?: Prf;
  /** Unweighted mean of the per-type scores, seqeval's `macro avg` (entity tasks only). */
  macro?: Prf;
  /** Support-weighted mean of the per-type scores, seqeval's `weighted avg` (entity tasks only). */
  weighted?: Prf;
  /** Entity scores per type (entity tasks only). */
  perType?: Record<string, Prf>;
}

/** Result of {@link evaluateTagger}. */
export interface Evaluation {
  /** Scores per task. */
  tasks: Record<string, TaskScores>;
  /** The main task's model-selection score: entity micro F1, or accuracy for a non-entity task. */
  mainScore: number;
  /** Sentences scored. */
  sentences: number;
  /** Words scored (each word counts once per task). */
  words: number;
  /** Predicted labels per task, per sentence, per word. */
  predictions: Record<string, string[][]>;
}

/** Scores predictions against the gold columns of `sentences` for the tasks in `labelMaps`. */
export function scorePredictions(
  sentences: readonly Sentence[],
  predictions: Record<string, string[][]>,
  labelMaps: Readonly<Record<string, LabelMap>>,
  mainTask: string,
): Omit<Evaluation, "predictions"> {
  const tasks: Record<string, TaskScores> = {};
  for (const [task, map] of Object.entries(labelMaps)) {
    const gold = sentences.map((s) => s.columns[task]);
    const pred = predictions[task];
    const accuracy = tokenAccuracy(gold, pred);
    if (isEntityTask(map)) {
      const r: EntityReport = evaluateEntities(gold, pred);
      tasks[task] = {
        accuracy,
        micro: r.micro,
        macro: r.macro,
        weighted: r.weighted,
        perType: r.perType,
      };
    } else tasks[task] = { accuracy };
  }
  const main = tasks[mainTask];
  return {
    tasks,
    mainScore: main.micro ? main.micro.f1 : main.accuracy,
    sentences: sentences.length,
    words: sentences.reduce((n, s) => n + s.words.length, 0),
  };
}

/** Predicts `encoded` with `model` (evaluation mode, no gradients) and scores it. */
export async function evaluateTagger(
  model: MultiTaskTagger,
  encoded: readonly EncodedSentence[],
  labelMaps: Readonly<Record<string, LabelMap>>,
  mainTask: string,
  options: PredictOptions = {},
): Promise<Evaluation> {
  const ids = await predictEncoded(model, encoded, {
    fillMissing: fillLabelIds(labelMaps),
    ...options,
  });
  const predictions: Record<string, string[][]> = {};
  for (const [task, map] of Object.entries(labelMaps)) {
    predictions[task] = ids[task].map((s) => map.decode(s));
  }
  const sentences = encoded.map((e) => e.sentence);
  return { ...scorePredictions(sentences, predictions, labelMaps, mainTask), predictions };
}

/**
 * Predictions as CoNLL columns: `word gold₁ pred₁ gold₂ pred₂ …`, one sentence per block, tasks in
 * the given order (put the entity task last: conlleval reads the last two columns). Fields are
 * tab-separated so a word may contain spaces (`Smith, Jr.`) and the file reads back through
 * `evaluate` (`--columns word,pos,_,ner,_`); tabs and line breaks inside a word, which no line
 * format can hold, are written as spaces.
 */
export function formatConllEvaluation(
  sentences: readonly Sentence[],
  predictions: Record<string, string[][]>,
  tasks: readonly string[],
): string {
  const lines: string[] = [];
  sentences.forEach((s, i) => {
    s.words.forEach((w, j) => {
      const cols = [w.replace(/[\t\r\n]/g, " ")];
      for (const t of tasks) cols.push(s.columns[t][j], predictions[t][i][j]);
      lines.push(cols.join("\t"));
    });
    lines.push("");
  });
  return lines.join("\n");
}

/** One-line summary of an evaluation (main task first). */
export function summarizeEvaluation(e: Omit<Evaluation, "predictions">, mainTask: string): string {
  const order = [mainTask, ...Object.keys(e.tasks).filter((t) => t !== mainTask)];
  return order.map((t) => {
    const s = e.tasks[t];
    return s.micro
      ? `${t} P ${pct(s.micro.precision)} R ${pct(s.micro.recall)} F1 ${pct(s.micro.f1)}`
      : `${t} acc ${pct(s.accuracy)}`;
  }).join(" | ");
}

/** Per-type entity table of one task, then micro, macro and weighted averages as seqeval reports. */
export function formatEntityTable(s: TaskScores): string {
  if (!s.perType) return `accuracy ${pct(s.accuracy)}`;
  const rows = [["type", "precision", "recall", "f1", "support"]];
  for (const [type, p] of Object.entries(s.perType).sort(([a], [b]) => (a < b ? -1 : 1))) {
    rows.push([type, pct(p.precision), pct(p.recall), pct(p.f1), String(p.support)]);
  }
  // seqeval's classification_report rows; older metrics.json files have only the micro scores.
  const avg: [string, Prf | undefined][] = [
    ["micro avg", s.micro],
    ["macro avg", s.macro],
    ["weighted avg", s.weighted],
  ];
  for (const [name, m] of avg) {
    if (m) rows.push([name, pct(m.precision), pct(m.recall), pct(m.f1), String(m.support)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r.map((v, c) => c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c])).join("  ")
  )
    .join("\n");
}

function pct(x: number): string {
  return (100 * x).toFixed(2);
}
