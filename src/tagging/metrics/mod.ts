/**
 * Scores and statistics: seqeval-style entity metrics, Student-t intervals and paired
 * significance tests (approximate randomization, bootstrap). No tensors, no Deno API.
 * @module
 */
export {
  type EntityCounts,
  type EntityReport,
  EntityScorer,
  evaluateEntities,
  f1FromCounts,
  type Prf,
  prfFromCounts,
  sentenceEntityCounts,
  tokenAccuracy,
} from "./entity_metrics.ts";
export {
  incompleteBeta,
  logGamma,
  mean,
  type PairedInterval,
  pairedTInterval,
  sampleStd,
  studentTCdf,
  studentTQuantile,
} from "./statistics.ts";
export {
  approximateRandomization,
  type BootstrapResult,
  type CountMetric,
  metricFromCounts,
  pairedBootstrap,
  type SignificanceOptions,
  type SignificanceResult,
} from "./significance.ts";
