/**
 * `compare`: the job grid, aggregation over seeds with significance tests, and the report
 * (Markdown, JSON, SVG plots).
 * @module
 */
export * from "./aggregate.ts";
export * from "./grid.ts";
export * from "./job_result.ts";
export * from "./report.ts";
export * from "./svg.ts";
