/**
 * Scores and statistics: seqeval-style entity metrics, Student-t intervals and paired
 * significance tests (approximate randomization, bootstrap). No tensors, no Deno API.
 * @module
 */
export * from "./entity_metrics.ts";
export * from "./significance.ts";
export * from "./statistics.ts";
