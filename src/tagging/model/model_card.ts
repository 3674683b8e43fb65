/**
 * The model card (`README.md`) of a trained tagger folder, as the Hugging Face hub shows it: YAML
 * metadata (library, pipeline tag, base model, metrics) and a short text on the data, the tasks,
 * the dev and test scores and the command that trained it.
 * @module
 */
import type { Evaluation, TaskScores } from "./evaluate.ts";
import type { TaggerMeta } from "./tagger_folder.ts";

/** What the card describes. */
export interface ModelCardInput {
  meta: TaggerMeta;
  /** The corpora: file (or "generated demo corpus") and sentence count per part. */
  data: { part: string; source: string; sentences: number }[];
  /** Scores of the best model on dev, and on test when one was given. */
  dev?: Omit<Evaluation, "predictions">;
  test?: Omit<Evaluation, "predictions">;
  /** The command line that trained the model. */
  command: string;
}

const pct = (x: number) => (100 * x).toFixed(2);

/** README.md text for a tagger folder (see the module doc). */
export function modelCard(c: ModelCardInput): string {
  const { meta } = c;
  const lines = [
    ...hubMetadata(meta),
    "",
    ...introduction(meta),
    "",
    "## Base model",
    "",
    baseModelLine(meta),
    "",
    "## Data",
    "",
    "| part | source | sentences |",
    "| ---- | ------ | --------- |",
    ...c.data.map((d) => `| ${d.part} | ${d.source} | ${d.sentences} |`),
    "",
    "## Tasks",
    "",
    ...tasksTable(meta),
    "",
    "## Results",
    "",
    ...resultsTable(c, meta),
    "",
    ...trainingSection(c.command, meta),
  ];
  return lines.join("\n");
}

/**
 * The YAML front matter the hub reads: library, pipeline, tags, and the base model when it is a
 * hub id (not a local path, which would mean nothing there).
 */
function hubMetadata(meta: TaggerMeta): string[] {
  const base = meta.baseModel;
  return [
    "---",
    "library_name: transformers",
    "pipeline_tag: token-classification",
    "tags:",
    "- token-classification",
    ...meta.tasks.map((t) => `- ${t.name}`),
    "- jointag",
    ...(base && !/^[./~]|^[A-Za-z]:[\\/]/.test(base.id) ? [`base_model: ${base.id}`] : []),
    "---",
  ];
}

/** The title and how transformers and jointag load the folder. */
function introduction(meta: TaggerMeta): string[] {
  const main = meta.tasks.find((t) => t.name === meta.mainTask)!;
  return [
    `# ${meta.tasks.map((t) => t.name).join(" + ")} tagger`,
    "",
    `A BERT token classifier trained with jointag on ${meta.tasks.length} ` +
    `task(s) sharing one encoder. transformers loads the main task, **${meta.mainTask}** ` +
    `(${main.labels.labels.length} labels), as \`BertForTokenClassification\`:`,
    "",
    "```python",
    "from transformers import pipeline",
    'tagger = pipeline("token-classification", model="<this folder>", aggregation_strategy="first")',
    "```",
    "",
    "jointag loads every task from the same folder (`jointag predict --model <this folder>`); " +
    "the other heads are in `heads.safetensors`, the label maps in `tagger.json`.",
  ];
}

/** The base model's id and revision, or that there was none. */
function baseModelLine(meta: TaggerMeta): string {
  const base = meta.baseModel;
  return base
    ? `\`${base.id}\`${base.revision ? ` at revision \`${base.revision}\`` : ""}`
    : "A small BERT made for the training corpus, trained from random initialisation.";
}

/** Each task's loss weight and labels, the main task marked. */
function tasksTable(meta: TaggerMeta): string[] {
  return [
    "| task | loss weight | labels |",
    "| ---- | ----------- | ------ |",
    ...meta.tasks.map((t) =>
      `| ${t.name}${t.name === meta.mainTask ? " (main)" : ""} | ${t.weight} | ${
        t.labels.labels.join(" ")
      } |`
    ),
  ];
}

/** The command that trained the model and the labelling and window settings. */
function trainingSection(command: string, meta: TaggerMeta): string[] {
  return [
    "## Training",
    "",
    "```sh",
    command,
    "```",
    "",
    `Sub-word labels: ${
      meta.labelAllSubwords ? "every sub-word" : "first sub-word of each word"
    }; windows of at most ${meta.maxLength} sub-words; head dropout ${meta.headDropout}.`,
    "",
  ];
}

/** Dev and test scores of every task, or a line saying there are none. */
function resultsTable(c: ModelCardInput, meta: TaggerMeta): string[] {
  const parts = [["dev", c.dev], ["test", c.test]] as const;
  const rows = [
    "| set | task | precision | recall | F1 | accuracy |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const [name, ev] of parts) {
    if (!ev) continue;
    for (const t of meta.tasks) {
      const s: TaskScores | undefined = ev.tasks[t.name];
      if (!s) continue;
      const m = s.micro;
      rows.push(
        `| ${name} | ${t.name} | ${m ? pct(m.precision) : "–"} | ${m ? pct(m.recall) : "–"} | ${
          m ? pct(m.f1) : "–"
        } | ${pct(s.accuracy)} |`,
      );
    }
  }
  return rows.length > 2
    ? [...rows, "", "Entity scores are micro averages (seqeval)."]
    : ["No evaluation was recorded."];
}
