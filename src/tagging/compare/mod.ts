/**
 * `compare`: the job grid, aggregation over seeds with significance tests, and the report
 * (Markdown, JSON, SVG plots).
 * @module
 */
export {
  type ArmComparison,
  type ArmSummary,
  type CompareSummary,
  type Spread,
  summarize,
  type SummarizeOptions,
  verdictOf,
} from "./aggregate.ts";
export {
  buildGrid,
  type CompareJob,
  type EnvLookup,
  type GridSpec,
  selectJobs,
  shareFromEnv,
} from "./grid.ts";
export type { JobResult, Prf as JobPrf } from "./job_result.ts";
export { buildReport, type ReportContext, type ReportFiles } from "./report.ts";
