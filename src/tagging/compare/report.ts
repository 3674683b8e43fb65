/**
 * The comparison's report: `report.md` (tables, differences, verdicts, links to the plots),
 * `report.json` (everything, machine-readable) and the SVG plots.
 * @module
 */
import type { ArmComparison, ArmSummary, CompareSummary, Spread } from "./aggregate.ts";
import { barChart, lineChart } from "./svg.ts";

/** Files of a report, by name. */
export type ReportFiles = Record<string, string>;

const pct = (s: Spread) => `${(100 * s.mean).toFixed(2)} ± ${(100 * s.std).toFixed(2)}`;

/** Context printed at the top of the report. */
export interface ReportContext {
  /** The command line that ran the comparison. */
  command: string;
  /** Which corpus, as a label for people. */
  data: string;
  /** Which base model, as a label for people. */
  model: string;
  /** The device the jobs trained on (the device choice's reason line). */
  device: string;
}

/** Builds report.md, report.json and the plots. */
export function buildReport(summary: CompareSummary, ctx: ReportContext): ReportFiles {
  const files: ReportFiles = {};
  const md = reportHeader(summary, ctx);
  const fractions = [...new Set(summary.arms.map((a) => a.fraction))].sort((a, b) => a - b);
  for (const fraction of fractions) {
    const arms = summary.arms.filter((a) => a.fraction === fraction);
    const types = [...new Set(arms.flatMap((a) => Object.keys(a.perTypeF1)))].sort();
    md.push(...scoreTable(arms, fraction), ...perTypeTable(arms, types));
    md.push(...differenceTable(summary.comparisons.filter((c) => c.fraction === fraction)));
    const curveName = `dev_f1_f${fraction}.svg`;
    files[curveName] = devCurvePlot(arms, fraction);
    const barsName = `per_type_f1_f${fraction}.svg`;
    files[barsName] = perTypePlot(arms, types, fraction);
    md.push("", `![learning curves](${curveName})`, "", `![per-type F1](${barsName})`, "");
  }
  if (fractions.length > 1) {
    files[DATA_SIZE_PLOT] = dataSizePlot(
      fractions.map((f) => ({
        label: `fraction ${f}`,
        arms: summary.arms.filter((a) => a.fraction === f),
      })),
    );
    md.push(`![test F1 against the training-set size](${DATA_SIZE_PLOT})`, "");
  }
  files["report.md"] = md.join("\n") + "\n";
  files["report.json"] = JSON.stringify({ context: ctx, ...summary }, null, 2) + "\n";
  return files;
}

/** The data-size curve's file, written when the grid has several training fractions. */
export const DATA_SIZE_PLOT = "data_size_f1.svg";

/** The arms trained on one training-set size, and how to name that size on the x axis. */
export interface DataSizePoint {
  /** The size as a tick label (`fraction 0.25`, `1k`). */
  label: string;
  /** The arms' summaries at that size. */
  arms: readonly ArmSummary[];
}

/**
 * Test F1 of each arm against the training-set size: the mean over seeds with a min–max band.
 * Arms missing at some size are left out.
 */
export function dataSizePlot(points: readonly DataSizePoint[]): string {
  const names = [...new Set(points.flatMap((p) => p.arms.map((a) => a.arm)))]
    .filter((n) => points.every((p) => p.arms.some((a) => a.arm === n)));
  const at = (p: DataSizePoint, n: string) => p.arms.find((a) => a.arm === n)!.f1;
  return lineChart(
    "Test entity F1 against the training-set size",
    "training sentences",
    "test F1",
    names.map((n) => ({
      label: n,
      y: points.map((p) => at(p, n).mean),
      low: points.map((p) => Math.min(...at(p, n).values)),
      high: points.map((p) => Math.max(...at(p, n).values)),
    })),
    points.map((p) => p.label),
  );
}

/** The title, the context list and one verdict line per comparison. */
function reportHeader(summary: CompareSummary, ctx: ReportContext): string[] {
  const md: string[] = [
    "# Does training POS too improve NER?",
    "",
    `- Command: \`${ctx.command}\``,
    `- Data: ${ctx.data}`,
    `- Model: ${ctx.model}`,
    `- Device: ${ctx.device}`,
    `- Jobs finished: ${summary.jobs}`,
    "",
  ];
  for (const c of summary.comparisons) {
    md.push(`**Verdict (train fraction ${c.fraction}):** ${c.verdict}`, "");
  }
  return md;
}

/** Main-task P/R/F1, auxiliary accuracies, time and throughput of each arm at one fraction. */
function scoreTable(arms: ArmSummary[], fraction: number): string[] {
  const accTasks = [...new Set(arms.flatMap((a) => Object.keys(a.accuracy)))];
  const md = [
    `## Test set, training fraction ${fraction}`,
    "",
    "Entity-level micro scores of the main task (mean ± std over seeds, in %):",
    "",
    `| arm | seeds | precision | recall | F1 | ${accTasks.map((t) => `${t} accuracy`).join(" | ")}${
      accTasks.length ? " | " : ""
    }train s | tokens/s |`,
    `|---|---|---|---|---|${accTasks.map(() => "---|").join("")}---|---|`,
  ];
  for (const a of arms) {
    const acc = accTasks.map((t) => (a.accuracy[t] ? pct(a.accuracy[t]) : "–")).join(" | ");
    md.push(
      `| ${a.arm} | ${a.seeds.length} | ${pct(a.precision)} | ${pct(a.recall)} | ${
        pct(a.f1)
      } | ${acc}${accTasks.length ? " | " : ""}${a.trainSeconds.mean.toFixed(0)} | ${
        a.tokensPerSecond.mean.toFixed(0)
      } |`,
    );
  }
  return md;
}

/** F1 of each arm per entity type (`types`, sorted). */
function perTypeTable(arms: ArmSummary[], types: string[]): string[] {
  const md = [
    "",
    "F1 per entity type (%):",
    "",
    `| arm | ${types.join(" | ")} |`,
    `|---|${types.map(() => "---|").join("")}`,
  ];
  for (const a of arms) {
    md.push(
      `| ${a.arm} | ${
        types.map((t) => (a.perTypeF1[t] ? pct(a.perTypeF1[t]) : "–")).join(" | ")
      } |`,
    );
  }
  return md;
}

/** The F1 differences against the baseline at one fraction; nothing when there are none. */
function differenceTable(comps: ArmComparison[]): string[] {
  if (!comps.length) return [];
  const md = [
    "",
    "Difference against the baseline (F1 points; t-interval over seeds; approximate randomization",
    "and bootstrap on the test sentences pooled over seeds):",
    "",
    "| arm − baseline | mean | 95% t-interval | bootstrap 95% | p (randomization) | resamples |",
    "|---|---|---|---|---|---|",
  ];
  for (const c of comps) {
    const ti = c.f1Diff.low === null
      ? "(needs ≥ 2 seeds)"
      : `[${(100 * c.f1Diff.low).toFixed(2)}, ${(100 * c.f1Diff.high!).toFixed(2)}]`;
    md.push(
      `| ${c.arm} − ${c.baseline} | ${(100 * c.f1Diff.mean).toFixed(2)} | ${ti} | [${
        (100 * c.bootstrap.low).toFixed(2)
      }, ${(100 * c.bootstrap.high).toFixed(2)}] | ${
        c.randomization.pValue.toFixed(4)
      } | ${c.randomization.resamples} |`,
    );
  }
  return md;
}

/** SVG of each arm's dev F1 per epoch (mean, with the min–max band over seeds). */
function devCurvePlot(arms: ArmSummary[], fraction: number): string {
  return lineChart(
    `Dev entity F1 per epoch (train fraction ${fraction})`,
    "epoch",
    "dev F1",
    arms.map((a) => ({
      label: a.arm,
      y: a.devCurve.map((p) => p.mean),
      low: a.devCurve.map((p) => p.min),
      high: a.devCurve.map((p) => p.max),
    })),
  );
}

/** SVG bars of each arm's test F1 per entity type (mean, std as the error bar). */
function perTypePlot(arms: ArmSummary[], types: string[], fraction: number): string {
  return barChart(
    `Test F1 per entity type (train fraction ${fraction})`,
    "F1",
    arms.map((a) => a.arm),
    types.map((t) => ({
      label: t,
      values: arms.map((a) => ({ value: a.perTypeF1[t]?.mean ?? 0, error: a.perTypeF1[t]?.std })),
    })),
  );
}
