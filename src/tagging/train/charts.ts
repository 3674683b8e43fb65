/**
 * The charts `train` writes beside the model: the training loss per update (the mean the
 * optimizer follows and each task's own) and the dev scores per epoch (entity F1 of entity tasks,
 * accuracy of the others), read from the run's train_log.jsonl so that a resumed run's charts
 * cover the whole run.
 * @module
 */
import { lineChart, type Series } from "../compare/svg.ts";

/** File names of the charts in the output folder. */
export const CHART_FILES = { loss: "loss.svg", dev: "dev_scores.svg" } as const;

interface StepLine {
  type: "step";
  loss: number;
  tasks?: Record<string, number>;
}

interface EvalLine {
  type: "eval";
  dev: { tasks: Record<string, { accuracy?: number; micro?: { f1: number } }> };
}

/** The two SVG charts of a train_log.jsonl's text, by file name (none for an empty log). */
export function trainingCharts(logText: string): Record<string, string> {
  const lines = logText.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  const steps = lines.filter((l): l is StepLine => l.type === "step");
  const evals = lines.filter((l): l is EvalLine => l.type === "eval");
  const charts: Record<string, string> = {};
  if (steps.length > 0) {
    const tasks = Object.keys(steps[0].tasks ?? {});
    const series: Series[] = [{ label: "loss", y: steps.map((s) => s.loss) }];
    if (tasks.length > 1) {
      for (const t of tasks) series.push({ label: t, y: steps.map((s) => s.tasks?.[t] ?? NaN) });
    }
    charts[CHART_FILES.loss] = lineChart("Training loss", "update", "cross-entropy", series);
  }
  if (evals.length > 0) {
    const tasks = Object.keys(evals[0].dev.tasks);
    const series = tasks.map((t) => {
      const entity = evals[0].dev.tasks[t].micro !== undefined;
      const y = evals.map((e) => {
        const s = e.dev.tasks[t];
        return (entity ? s.micro?.f1 : s.accuracy) ?? NaN;
      });
      return { label: `${t} ${entity ? "F1" : "accuracy"}`, y };
    });
    charts[CHART_FILES.dev] = lineChart("Dev scores", "epoch", "score", series);
  }
  return charts;
}
