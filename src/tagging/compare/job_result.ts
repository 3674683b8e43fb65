/**
 * What one finished job of `compare` records (saved as `<out>/jobs/<id>/result.json` the moment
 * the job ends), enough to rebuild every table, plot and test of the report without the model.
 * @module
 */
import type { EntityCounts } from "../metrics/entity_metrics.ts";
import type { CompareJob } from "./grid.ts";

/** Micro precision/recall/F1. */
export interface Prf {
  /** Correct predicted entities / predicted entities. */
  precision: number;
  /** Correct predicted entities / gold entities. */
  recall: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
}

/** Result of one job. */
export interface JobResult {
  /** The job that produced the result. */
  job: CompareJob;
  /** Main task's test entity scores, micro and per entity type. */
  test: Prf & { perType: Record<string, Prf & { support: number }> };
  /** Token accuracy on test of each non-entity task that was trained (e.g. pos). */
  accuracy: Record<string, number>;
  /** Main task's dev F1 after each epoch. */
  devCurve: number[];
  /** Per test sentence entity counts of the main task, in test order (for paired tests). */
  sentenceCounts: EntityCounts[];
  /** Training time in seconds, evaluation excluded. */
  trainSeconds: number;
  /** Training throughput in sub-word tokens per second. */
  tokensPerSecond: number;
  /** Training sentences actually used. */
  trainSentences: number;
}
