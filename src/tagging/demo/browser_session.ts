/**
 * The tagger workbench behind the browser page, free of any DOM and runtime API so the same code
 * runs in the page and in Deno (the browser test trains the same run in both and compares): pick a
 * model (the built-in demo BERT, a pretrained Hugging Face folder, or a trained tagger folder),
 * a corpus (seed CSV or CoNLL bytes), train NER + POS with per-step callbacks, tag typed text and
 * hand out the trained model's files. Built on the tagging API (the training pipeline, tagWords,
 * loadTaggerFolder); this module only adds the in-memory plumbing a page needs.
 *
 * Training is the same {@link runTrainingPipeline} as the CLI's, writing into a
 * {@link MemoryFileSystem}; its step and evaluation events are what the callbacks receive.
 * @module
 */
import { loadCheckpointFromFiles, type LoadedCheckpoint } from "../../bert/checkpoint.ts";
import type { BertConfig } from "../../bert/config.ts";
import { MemoryFileSystem } from "../../io/file_system.ts";
import type { EpochRecord } from "../train/checkpoint_state.ts";
import { CONLL2003_COLUMNS, readConll } from "../data/conll_reader.ts";
import { GMB_COLUMNS, readCsvCorpus } from "../data/csv_reader.ts";
import { demoBert } from "./demo_model.ts";
import { nextTask } from "./next_task.ts";
import { splitText, tagWords } from "../model/predict.ts";
import { TaggingArgumentError } from "../errors.ts";
import { LabelMap } from "../data/label_map.ts";
import type { Sentence } from "../data/sentence.ts";
import { trainDevSplit } from "../data/split.ts";
import { convertScheme, detectSchemeByMajority } from "../data/tag_scheme.ts";
import {
  type LoadedTagger,
  loadTaggerFolder,
  TAGGER_FILES,
  type TaggerMeta,
} from "../model/tagger_folder.ts";
import type { StepRecord, TrainOptions } from "../train/options.ts";
import { OUTPUT_FILES } from "../train/output.ts";
import { runTrainingPipeline } from "../train/pipeline.ts";
import type { TrainResult } from "../train/trainer.ts";

/** The two tasks the page trains: the corpus columns are renamed to these. */
export const SESSION_TASKS = ["ner", "pos"] as const;

/**
 * Parses a corpus file: `.csv` as the seed's GMB CSV (`Sentence #,Word,POS,Tag`, UTF-8 or cp1252),
 * anything else as CoNLL-2003 columns (`word pos chunk ner`). Entity labels in IOB1 or BIOES are
 * converted to IOB2. Sentences get the columns `ner` and `pos`.
 * @throws the readers' format errors, naming `fileName` and the line.
 */
export function parseCorpusFile(bytes: Uint8Array, fileName: string): Sentence[] {
  let sentences: Sentence[];
  if (/\.csv$/i.test(fileName)) {
    sentences = readCsvCorpus(bytes, { file: fileName, columns: GMB_COLUMNS });
  } else {
    sentences = readConll(bytes, { file: fileName, columns: CONLL2003_COLUMNS }).map((s) => ({
      ...s,
      columns: { ner: s.columns.ner, pos: s.columns.pos },
    }));
  }
  // By majority, as the CLI decides: one stray `I-` does not make an IOB2 corpus IOB1.
  const vote = detectSchemeByMajority(sentences.map((s) => s.columns.ner));
  if (vote && (vote.scheme !== "IOB2" || vote.strays.length > 0)) {
    for (const s of sentences) s.columns.ner = convertScheme(s.columns.ner, "IOB2");
  }
  return sentences;
}

/** Sentences as CoNLL-2003 text (`word pos O ner`, blank line between sentences). */
export function formatConllCorpus(sentences: readonly Sentence[]): string {
  return sentences.map((s) =>
    s.words.map((w, i) => `${w} ${s.columns.pos[i]} O ${s.columns.ner[i]}`).join("\n") + "\n"
  ).join("\n");
}

/** One tagged word. */
export interface TaggedWord {
  /** The word as given. */
  word: string;
  /** Its named-entity label (e.g. `B-PER`). */
  ner: string;
  /** Its part-of-speech tag. */
  pos: string;
}

export type { StepRecord };

/** Settings of one training run in the workbench (the trainer's options plus data settings). */
export interface SessionTrainOptions extends TrainOptions {
  /** Fraction of the corpus held out as dev (default 0.1). */
  devFraction?: number;
  /** Use only the first N sentences of the corpus (default: all). */
  limit?: number;
  /** Seed of the parameter initialisation and dropout (default: `seed`, else 42). */
  initSeed?: number;
  /** Dropout before the heads (default 0.1). */
  headDropout?: number;
  /** Longest window in sub-words (default: the model's position limit, at most 128). */
  maxLength?: number;
}

/** Callbacks of {@link TaggerSession.train}. */
export interface TrainCallbacks {
  /** After every update, with the total number of updates planned. */
  onStep?: (s: StepRecord, totalSteps: number) => void | Promise<void>;
  /** After every dev evaluation. */
  onEval?: (e: EpochRecord) => void | Promise<void>;
  /** Messages for people. */
  log?: (line: string) => void;
}

/** Where the model of the next training run comes from. */
export type ModelSource =
  | { kind: "demo" }
  | { kind: "pretrained"; label: string; checkpoint: LoadedCheckpoint }
  | { kind: "tagger"; label: string; tagger: LoadedTagger };

/** Raised for workbench calls made in the wrong order (tagging before any model is trained). */
export class SessionStateError extends Error {
  /**
   * Creates the error; the message reads `operation: detail`.
   * @param operation the session method that was called too early
   */
  constructor(readonly operation: string, detail: string) {
    super(`${operation}: ${detail}`);
    this.name = "SessionStateError";
  }
}

/** Base name of a path from a folder upload (`my-model/config.json` → `config.json`). */
function baseName(path: string): string {
  return path.slice(path.replace(/\\/g, "/").lastIndexOf("/") + 1);
}

/** Files of the trained tagger folder that the download holds (the resumable checkpoint is not). */
const MODEL_FILES = [
  "config.json",
  "model.safetensors",
  "vocab.txt",
  "tokenizer_config.json",
  TAGGER_FILES.heads,
  TAGGER_FILES.meta,
  OUTPUT_FILES.metrics,
  OUTPUT_FILES.log,
];

/**
 * The page's state: a model source, a corpus and, after training (or loading a trained tagger),
 * a tagger to run.
 */
export class TaggerSession {
  /** Source of the next training run. */
  source: ModelSource = { kind: "demo" };
  /** Corpus of the next training run. */
  corpus: Sentence[] = [];
  /** Name of the corpus (file name). */
  corpusName = "";
  /** The tagger that {@link tag} runs. */
  tagger: LoadedTagger | null = null;
  /** The trained folder's files (see {@link modelFiles}). */
  #files: Record<string, Uint8Array> = {};

  /** Uses the built-in demo BERT (vocabulary from the corpus, random init). */
  useDemoModel(): void {
    this.source = { kind: "demo" };
  }

  /**
   * Loads a model folder from its files (name or folder-relative path → bytes). A folder with a
   * `tagger.json` is a trained tagger, ready to tag; otherwise a pretrained BERT to fine-tune.
   * Returns a one-line description.
   */
  async loadModelFiles(files: Record<string, Uint8Array>, label = "model"): Promise<string> {
    const byName: Record<string, Uint8Array> = {};
    for (const [p, b] of Object.entries(files)) byName[baseName(p)] = b;
    if (byName[TAGGER_FILES.meta]) {
      const fs = new MemoryFileSystem(
        Object.fromEntries(Object.entries(byName).map(([n, b]) => [`model/${n}`, b])),
      );
      const tagger = await loadTaggerFolder(fs, "model");
      this.#replaceTagger(tagger);
      this.#files = Object.fromEntries(
        MODEL_FILES.filter((n) => byName[n]).map((n) => [n, byName[n]]),
      );
      this.source = { kind: "tagger", label, tagger };
      return `${label}: trained tagger (${
        tagger.meta.tasks.map((t) => `${t.name}: ${t.labels.labels.length} labels`).join(", ")
      }), ${describe(tagger.model.config)}`;
    }
    const checkpoint = await loadCheckpointFromFiles(byName, { label });
    this.source = { kind: "pretrained", label, checkpoint };
    return `${label}: pretrained BERT, ${describe(checkpoint.config)}`;
  }

  /** Sets the corpus from a file's bytes; returns the number of sentences. */
  setCorpusFile(bytes: Uint8Array, fileName: string): number {
    const sentences = parseCorpusFile(bytes, fileName);
    if (sentences.length < 2) {
      throw new TaggingArgumentError(
        fileName,
        `needs at least 2 sentences (train and dev), found ${sentences.length}`,
      );
    }
    this.corpus = sentences;
    this.corpusName = fileName;
    return sentences.length;
  }

  /**
   * Trains NER + POS on the corpus from the model source. Afterwards {@link tag} and
   * {@link modelFiles} use the best epoch's model.
   */
  async train(options: SessionTrainOptions = {}, cb: TrainCallbacks = {}): Promise<TrainResult> {
    const { train, dev, labelMaps } = this.#trainingData(options);
    const parts = await this.#modelParts(train, labelMaps);
    const meta: TaggerMeta = {
      tasks: SESSION_TASKS.map((t) => ({ name: t, weight: 1, labels: labelMaps[t].toJSON() })),
      mainTask: "ner",
      headDropout: options.headDropout ?? 0.1,
      maxLength: Math.min(options.maxLength ?? 128, parts.config.maxPositionEmbeddings),
      labelAllSubwords: false,
    };
    const fs = new MemoryFileSystem();
    const out = "out";
    const { train: result } = await runTrainingPipeline(
      {
        ...parts,
        meta,
        initSeed: options.initSeed ?? options.seed ?? 42,
        train,
        dev,
        fs,
        outDir: out,
      },
      options,
      {
        log: cb.log,
        events: {
          onStep: async (e) => {
            await cb.onStep?.(e, e.totalSteps);
            await nextTask();
          },
          onEvaluation: async (e) => {
            await cb.onEval?.(e.record);
            await nextTask();
          },
        },
      },
    );
    await this.#keepTrained(fs, out);
    return result;
  }

  /** The corpus split into train and dev, with label maps from all of it. */
  #trainingData(options: SessionTrainOptions) {
    if (this.corpus.length === 0) throw new SessionStateError("train", "no corpus loaded");
    const sentences = options.limit ? this.corpus.slice(0, options.limit) : this.corpus;
    const seed = options.seed ?? 42;
    const split = trainDevSplit(sentences, { devFraction: options.devFraction ?? 0.1, seed });
    if (split.train.length === 0 || split.dev.length === 0) {
      throw new TaggingArgumentError(
        this.corpusName,
        `${sentences.length} sentences give an empty train or dev set`,
      );
    }
    // Label maps from the whole corpus so a dev-only label cannot fail encoding.
    const labelMaps: Record<string, LabelMap> = {};
    for (const t of SESSION_TASKS) labelMaps[t] = LabelMap.fromSentences(sentences, t);
    return { train: split.train, dev: split.dev, labelMaps };
  }

  /**
   * Config, tokenizer and pretrained weights of the model source: the demo BERT (vocabulary from
   * `train`), a pretrained encoder, or a trained tagger (its heads too when the labels match).
   */
  async #modelParts(train: Sentence[], labelMaps: Record<string, LabelMap>) {
    const src = this.source;
    if (src.kind === "demo") return { ...demoBert(train), encoder: null };
    if (src.kind === "pretrained") {
      const { config, tokenizer, weights } = src.checkpoint;
      return { config, tokenizer, encoder: weights };
    }
    const { model, tokenizer } = src.tagger;
    const same = src.tagger.meta.tasks.every((t) =>
      JSON.stringify(t.labels.labels) === JSON.stringify(labelMaps[t.name]?.labels)
    );
    return {
      config: model.config,
      tokenizer,
      encoder: await model.encoderWeights(),
      heads: same ? await model.headWeights() : undefined,
    };
  }

  /** Makes the run's best model the session's tagger and keeps its files for download. */
  async #keepTrained(fs: MemoryFileSystem, out: string): Promise<void> {
    this.#replaceTagger(await loadTaggerFolder(fs, out));
    this.#files = {};
    // The model files from the output's model/ folder, the run's records from beside it.
    for (const name of MODEL_FILES) {
      const b = fs.files.get(`${out}/${OUTPUT_FILES.modelDir}/${name}`) ??
        fs.files.get(`${out}/${name}`);
      if (b) this.#files[name] = b;
    }
  }

  /**
   * Tags typed text as one sentence (split like the CLI's `predict`: BERT's pre-tokenizer, case
   * kept): each word with its NER and POS label.
   */
  async tag(text: string): Promise<TaggedWord[]> {
    const t = this.tagger;
    if (!t) throw new SessionStateError("tag", "no trained tagger yet: train or load one first");
    const words = splitText(text.replace(/\r?\n/g, " "))[0] ?? [];
    if (words.length === 0) return [];
    const [tagged] = await tagWords(t, [words]);
    return words.map((word, i) => ({ word, ner: tagged.tags.ner[i], pos: tagged.tags.pos[i] }));
  }

  /** The trained (or loaded) tagger folder's files, name → bytes. */
  modelFiles(): Record<string, Uint8Array> {
    if (!this.tagger) throw new SessionStateError("modelFiles", "no trained tagger yet");
    return { ...this.#files };
  }

  #replaceTagger(t: LoadedTagger): void {
    // A loaded tagger that is also the model source stays alive for the next run.
    if (this.tagger && !(this.source.kind === "tagger" && this.source.tagger === this.tagger)) {
      this.tagger.model.dispose();
    }
    this.tagger = t;
  }
}

function describe(c: BertConfig): string {
  return `${c.numHiddenLayers} layers, hidden ${c.hiddenSize}, ${c.numAttentionHeads} heads, vocab ${c.vocabSize}`;
}
