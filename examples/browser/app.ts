/// <reference lib="dom" />
/**
 * The browser page: wires the DOM of index.html to a {@link TaggerSession} (the same code Deno
 * runs). Built by `deno task build:web` into dist/web/app.js.
 *
 * For automated tests the page exposes `window.jointag` (the session, the per-step losses, the
 * per-epoch dev scores, the device line and thread count, and the CPU worker pool, whose
 * `dispatched` counts the jobs it ran) and keeps `document.body.dataset.state` at loading |
 * ready | training | tagging | trained | error. Errors are shown in plain words in the card they
 * concern (`.card-error[data-for=model|corpus|train|tag|download]`), dismissible.
 * @module
 */
import {
  type Backend,
  CpuBackend,
  type CpuWorkerPool,
  createBackend,
  createCpuWorkerPool,
  createWasmGemm,
  type DeviceKind,
  parallelWasm,
  setBackend,
  sharedMemoryWorkers,
} from "../../mod.ts";
import {
  type EpochRecord,
  formatConllCorpus,
  generateDemoCorpus,
  type StepRecord,
  type TaggedWord,
  TaggerSession,
  type TaskScores,
} from "../../tagging.ts";
import { zipStore } from "./zip.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const session = new TaggerSession();
const steps: StepRecord[] = [];
const epochs: EpochRecord[] = [];
const state = {
  device: "",
  backend: null as Backend | null,
  webgpu: false,
  /** Threads the CPU backend computes on (0 on WebGPU). */
  threads: 0,
};
const hook = { session, steps, epochs, state, pool: null as CpuWorkerPool | null };
(globalThis as unknown as { jointag: unknown }).jointag = hook;
/** The CPU worker script, bundled beside app.js by tools/build_web.ts. */
const WORKER_URL = new URL("./cpu_worker.js", import.meta.url);

type PageState = "loading" | "ready" | "training" | "tagging" | "trained" | "error";
type Card = "model" | "corpus" | "train" | "tag" | "download";

function setState(s: PageState): void {
  document.body.dataset.state = s;
  const busy = s === "loading" || s === "training" || s === "tagging";
  $<HTMLButtonElement>("train").disabled = busy || session.corpus.length === 0;
  $<HTMLButtonElement>("tag").disabled = busy || !session.tagger;
  $<HTMLButtonElement>("download").disabled = busy || !session.tagger;
  for (const id of ["use-demo-model", "use-demo-corpus"]) $<HTMLButtonElement>(id).disabled = busy;
  // Highlighted while the untrained demo BERT is what the page uses (not once a tagger is trained
  // or loaded: that one is the active model then).
  $("use-demo-model").classList.toggle("active", session.source.kind === "demo" && !session.tagger);
  $("train-why").textContent = trainWhy(s);
}

/** Why Train is disabled (or what it will do), in words. */
function trainWhy(s: PageState): string {
  if (s === "training") return "Training… the loss plot and the metrics update as it goes.";
  if (s === "loading") return "Wait: a model is loading.";
  if (s === "tagging") return "Wait: tagging the sentence.";
  if (session.corpus.length === 0) {
    return "Train needs a corpus: drop a file or use the demo corpus in step 2.";
  }
  return `Ready to train on ${session.corpusName} with the active model (step 1).`;
}

/** An error in words a first-time user can act on: no class names, what failed first. */
function plainMessage(card: Card, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const lead: Record<Card, string> = {
    model: "These files could not be loaded as a model",
    corpus: "This corpus could not be read",
    train: "Training stopped",
    tag: "The sentence could not be tagged",
    download: "The download could not be made",
  };
  return `${lead[card]}: ${msg}`;
}

function showError(card: Card, e: unknown): void {
  const box = document.querySelector<HTMLElement>(`.card-error[data-for=${card}]`)!;
  const text = document.createElement("p");
  text.textContent = plainMessage(card, e);
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Dismiss";
  close.addEventListener("click", () => (box.hidden = true));
  box.replaceChildren(text, close);
  box.hidden = false;
  console.warn(e);
}

/** Runs `fn` for `card`: clears the card's old error; on failure shows it and calls `rollback`. */
function guard<A extends unknown[]>(
  card: Card,
  fn: (...a: A) => Promise<void>,
  rollback?: () => void,
): (...a: A) => void {
  return (...a) => {
    document.querySelector<HTMLElement>(`.card-error[data-for=${card}]`)!.hidden = true;
    fn(...a).catch((e) => {
      rollback?.();
      showError(card, e);
      setState("error");
    });
  };
}

/** The device in plain words; the technical reason goes in the tooltip. */
function plainDevice(reason: string, webgpu: boolean, hasGpuApi: boolean): string {
  if (!hasGpuApi) {
    return "This browser has no WebGPU, so the page computes on the processor (CPU): " +
      "everything works, training is just slower. Chrome or Edge on a machine with a graphics " +
      "card is faster.";
  }
  if (webgpu && !/software/i.test(reason)) {
    return "Computing on your graphics card (WebGPU).";
  }
  if (webgpu) {
    return "Computing with WebGPU on a software renderer (no graphics card found): it works, " +
      "but slower than a real graphics card.";
  }
  return "Computing on the processor (CPU): WebGPU is not available here. Everything works, " +
    "training is just slower.";
}

/** Threads for the CPU backend and, when it is one, why (in words for the page). */
interface CpuThreads {
  threads: number;
  why: string;
}

/**
 * `?threads=N` (1: no worker pool), else half the cores the browser reports, at most 4 (as ONNX
 * Runtime Web does): the browser's own threads (rendering, JIT compilers, garbage collector) need
 * the rest. On the 2-core development machine the demo (3 epochs of 400 sentences, headless
 * Chromium, quiet) took 1.04–1.08 s on one thread and 1.15–1.25 s on two. One thread where
 * workers cannot share memory with the page, which takes cross-origin isolation (the COOP/COEP
 * headers that src/io/deno/static_server.ts sends).
 * @throws {Error} when `?threads=` is not a positive integer.
 */
function pageThreads(params: URLSearchParams): CpuThreads {
  const asked = params.get("threads");
  const cores = navigator.hardwareConcurrency || 1;
  const n = asked === null ? Math.min(4, Math.ceil(cores / 2)) : Number(asked);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`?threads=${asked} in the address: expected a whole number, 1 or more`);
  }
  if (n === 1) {
    const why = asked !== null
      ? "as asked"
      : `half of this device's ${cores} core${cores === 1 ? "" : "s"}, leaving the rest to ` +
        "the browser (add ?threads=N to the address to change it)";
    return { threads: 1, why };
  }
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    return {
      threads: 1,
      why: "this page is not cross-origin isolated, so it cannot share memory with helper threads",
    };
  }
  if (!sharedMemoryWorkers()) {
    return { threads: 1, why: "this browser cannot share memory with helper threads" };
  }
  return { threads: n, why: "" };
}

/** The device in plain words, with the processor's threads when it computes on the CPU. */
function deviceText(reason: string, hasGpuApi: boolean, cpu: CpuThreads): string {
  const text = plainDevice(reason, state.webgpu, hasGpuApi);
  if (state.webgpu) return text;
  return cpu.threads > 1
    ? `${text} It uses ${cpu.threads} threads of the processor.`
    : `${text} It uses 1 thread of the processor: ${cpu.why}.`;
}

/**
 * The worker pool for `cpu.threads` threads, or null for one. Workers start when a kernel first
 * splits, so a page that ends up on WebGPU starts none. They are never stopped for idleness: that
 * only keeps a Deno process from exiting, and restarting them would fetch the worker script and
 * compile its WebAssembly again. Between jobs they sleep in `Atomics.wait`, as the pool's do
 * everywhere (see src/io/web/cpu_workers.ts).
 */
function pagePool(cpu: CpuThreads): CpuWorkerPool | null {
  if (cpu.threads < 2) return null;
  return createCpuWorkerPool({
    threads: cpu.threads,
    workerUrl: WORKER_URL,
    idleMs: Infinity,
  });
}

/**
 * WebGPU when the browser has it (`?device=cpu|webgpu|auto` overrides), else the CPU backend with
 * the WebAssembly SIMD GEMM (`?gemm=js`: the TypeScript GEMM, which the speed test compares
 * against), its kernels and GEMMs split over a worker pool of {@link pageThreads} threads, with
 * storage in SharedArrayBuffers (as `chooseBackend` wires it in Deno).
 */
async function initDevice(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const asked = (params.get("device") ?? "auto") as DeviceKind;
  const gpu = (navigator as Navigator & { gpu?: unknown }).gpu;
  const el = $("device");
  const kind = !gpu && asked !== "cpu" ? "cpu" : asked;
  let cpu = pageThreads(params);
  const pool = kind !== "webgpu" ? pagePool(cpu) : null;
  // Only the CPU path gets the WASM GEMM: with it, `auto` would prefer the CPU to a software
  // WebGPU adapter, and the page keeps WebGPU whenever the browser offers it.
  const wasm = kind === "cpu" && params.get("gemm") !== "js" ? createWasmGemm() : null;
  const { backend, reason } = await createBackend(kind, {
    wasmGemm: wasm && pool ? parallelWasm(wasm, pool) : wasm,
    gemmUnavailable: "none in a browser",
  });
  // Before the first allocation: from here on the backend's storage is shared with the workers.
  if (backend instanceof CpuBackend && pool) {
    backend.useWorkers(pool);
    // Start the workers now, while the user picks a corpus, not in the first training step.
    pool.ready();
  } else pool?.close();
  setBackend(backend);
  state.backend = backend;
  state.webgpu = backend.name !== "cpu";
  hook.pool = state.webgpu ? null : pool;
  if (!hook.pool && cpu.threads > 1) {
    cpu = { threads: 1, why: "the helper threads could not be started" };
  }
  state.threads = state.webgpu ? 0 : cpu.threads;
  const threadsNote = state.webgpu ? "" : `; ${cpu.threads} CPU thread(s)`;
  state.device = gpu
    ? reason + threadsNote
    : `CPU backend: this browser has no WebGPU (navigator.gpu is missing)${threadsNote}`;
  el.textContent = deviceText(reason, Boolean(gpu) || asked === "cpu", cpu);
  el.title = `Technical detail: ${reason}${threadsNote}`;
  el.classList.toggle("warn", !state.webgpu);
}

// ---- 1. model --------------------------------------------------------------------------------

async function readFiles(list: readonly File[]): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const f of list) {
    out[f.webkitRelativePath || f.name] = new Uint8Array(await f.arrayBuffer());
  }
  return out;
}

const DEMO_MODEL_TEXT =
  "Active model: built-in demo BERT (2 layers, hidden 64), vocabulary from the corpus.";

async function loadModel(input: HTMLInputElement): Promise<void> {
  if (!input.files?.length) return;
  const before = $("model-status").textContent;
  const files = Array.from(input.files); // a copy: clearing the input empties its FileList
  input.value = "";
  setState("loading");
  const label = files[0].webkitRelativePath.split("/")[0] || "model";
  $("model-status").textContent = `Loading ${files.length} files…`;
  clearTags();
  try {
    const text = await session.loadModelFiles(await readFiles(files), label);
    $("model-status").textContent = `Active model: ${text}`;
  } catch (e) {
    $("model-status").textContent = before; // the previous model stays active
    throw e;
  }
  setState(session.tagger ? "trained" : "ready");
}

// ---- 2. corpus -------------------------------------------------------------------------------

function setCorpus(bytes: Uint8Array, name: string): void {
  const n = session.setCorpusFile(bytes, name);
  const words = session.corpus.reduce((s, x) => s + x.words.length, 0);
  $("corpus-status").textContent = `${name}: ${n} sentences, ${words} words.`;
  $("corpus-section").querySelector<HTMLElement>(".card-error")!.hidden = true;
  $<HTMLInputElement>("limit").value = String(
    Math.min(n, Number($<HTMLInputElement>("limit").value) || n),
  );
  setState(session.tagger ? "trained" : "ready");
}

async function corpusFromFile(file: File): Promise<void> {
  setCorpus(new Uint8Array(await file.arrayBuffer()), file.name);
}

// ---- 3. training -----------------------------------------------------------------------------

/** A line chart with axis titles, tick labels, grid lines and a legend. */
interface Chart {
  canvas: HTMLCanvasElement;
  xTitle: string;
  yTitle: string;
  xs: number[];
  series: { name: string; color: string; ys: number[]; width?: number }[];
  yRange?: [number, number];
  empty: string;
  /** Draw points as dots (few x values, e.g. epochs). */
  dots?: boolean;
}

function niceTicks(lo: number, hi: number, n: number): number[] {
  const raw = (hi - lo) / n || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

function drawChart(c: Chart): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = c.canvas.clientWidth, h = c.canvas.clientHeight;
  c.canvas.width = w * dpr;
  c.canvas.height = h * dpr;
  const g = c.canvas.getContext("2d")!;
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const pad = { l: 52, r: 12, t: 22, b: 38 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  g.font = "11px system-ui, sans-serif";
  g.fillStyle = "#5b6575";
  g.strokeStyle = "#d8dde5";
  g.strokeRect(pad.l, pad.t, pw, ph);
  // Axis titles.
  g.textAlign = "center";
  g.fillText(c.xTitle, pad.l + pw / 2, h - 4);
  g.save();
  g.translate(12, pad.t + ph / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(c.yTitle, 0, 0);
  g.restore();
  if (c.xs.length === 0) {
    g.fillText(c.empty, pad.l + pw / 2, pad.t + ph / 2);
    g.textAlign = "left";
    return;
  }
  const all = c.series.flatMap((s) => s.ys).filter(Number.isFinite);
  const [lo, hi] = c.yRange ?? [Math.min(0, ...all), Math.max(...all) || 1];
  const x0 = c.xs[0], x1 = Math.max(c.xs.at(-1)!, x0 + 1);
  const x = (v: number) => pad.l + ((v - x0) / (x1 - x0)) * pw;
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo || 1)) * ph;
  g.textAlign = "right";
  for (const t of niceTicks(lo, hi, 4)) {
    g.strokeStyle = "#eef0f3";
    g.beginPath();
    g.moveTo(pad.l, y(t));
    g.lineTo(pad.l + pw, y(t));
    g.stroke();
    g.fillText(String(t), pad.l - 4, y(t) + 4);
  }
  g.textAlign = "center";
  for (const t of niceTicks(x0, x1, Math.max(2, Math.min(6, Math.floor(pw / 70))))) {
    if (Number.isInteger(t)) g.fillText(String(t), x(t), pad.t + ph + 14);
  }
  c.series.forEach((s) => {
    g.strokeStyle = s.color;
    g.fillStyle = s.color;
    g.lineWidth = s.width ?? 1.5;
    g.beginPath();
    s.ys.forEach((v, i) => (i ? g.lineTo(x(c.xs[i]), y(v)) : g.moveTo(x(c.xs[i]), y(v))));
    g.stroke();
    if (c.dots) s.ys.forEach((v, i) => g.fillRect(x(c.xs[i]) - 2.5, y(v) - 2.5, 5, 5));
  });
  g.lineWidth = 1;
  g.textAlign = "left";
  let lx = pad.l + 8;
  for (const s of c.series) {
    g.fillStyle = s.color;
    g.fillRect(lx, 7, 12, 3);
    g.fillText(s.name, lx + 16, 13);
    lx += g.measureText(s.name).width + 30;
  }
}

let lossFrame = 0;

/**
 * Redraws the loss plot once in the next animation frame, however many steps end before it: on
 * the CPU a step of the demo model takes 10-30 ms, and drawing after each one cost more than a
 * frame's worth of canvas work per step that the user never sees.
 */
function drawLossSoon(): void {
  if (lossFrame === 0) {
    lossFrame = requestAnimationFrame(() => {
      lossFrame = 0;
      drawLoss();
    });
  }
}

function drawLoss(): void {
  drawChart({
    canvas: $<HTMLCanvasElement>("loss-chart"),
    xTitle: "update step",
    yTitle: "training loss",
    xs: steps.map((s) => s.step),
    series: [
      { name: "total", color: "#1d2430", ys: steps.map((s) => s.loss), width: 2 },
      { name: "NER", color: "#2f6fde", ys: steps.map((s) => s.tasks.ner) },
      { name: "POS", color: "#1f9d55", ys: steps.map((s) => s.tasks.pos) },
    ],
    empty: "the loss of every update appears here while training",
  });
}

function drawF1(): void {
  const dev = (e: EpochRecord) => (e.dev as { tasks: Record<string, TaskScores> }).tasks;
  drawChart({
    canvas: $<HTMLCanvasElement>("f1-chart"),
    xTitle: "epoch",
    yTitle: "dev score (%)",
    xs: epochs.map((e) => e.epoch),
    series: [
      {
        name: "NER F1",
        color: "#2f6fde",
        ys: epochs.map((e) => 100 * (dev(e).ner.micro?.f1 ?? 0)),
      },
      { name: "POS accuracy", color: "#1f9d55", ys: epochs.map((e) => 100 * dev(e).pos.accuracy) },
    ],
    yRange: [0, 100],
    dots: true,
    empty: "dev NER F1 and POS accuracy after every epoch",
  });
}

function pct(x: number | undefined): string {
  return x === undefined ? "" : (100 * x).toFixed(1);
}

function showMetrics(e: EpochRecord): void {
  epochs.push(e);
  drawF1();
  const dev = e.dev as { tasks: Record<string, TaskScores> };
  const row = (cells: string[], head = false) =>
    `<tr>${cells.map((c) => head ? `<th>${c}</th>` : `<td>${c}</td>`).join("")}</tr>`;
  const rows = [row([`epoch ${e.epoch}`, "precision", "recall", "F1", "support"], true)];
  const ner = dev.tasks.ner;
  for (const [type, p] of Object.entries(ner.perType ?? {})) {
    rows.push(row([
      `<span class="ent ${type}">${type}</span>`,
      pct(p.precision),
      pct(p.recall),
      pct(p.f1),
      String(p.support),
    ]));
  }
  const m = ner.micro;
  if (m) {
    rows.push(
      `<tr><th>NER micro</th><th>${pct(m.precision)}</th><th>${pct(m.recall)}</th>` +
        `<th id="ner-f1">${pct(m.f1)}</th><th>${m.support}</th></tr>`,
    );
  }
  rows.push(
    row(["", "", "", "accuracy", ""], true),
    `<tr><td>NER tokens</td><td></td><td></td><td>${pct(ner.accuracy)}</td><td></td></tr>`,
    `<tr><td>POS tags</td><td></td><td></td><td id="pos-acc">${
      pct(dev.tasks.pos.accuracy)
    }</td><td></td></tr>`,
  );
  $("metrics").innerHTML = `<tbody>${rows.join("")}</tbody>`;
}

async function train(): Promise<void> {
  setState("training");
  steps.length = 0;
  epochs.length = 0;
  drawLoss();
  drawF1();
  const num = (id: string) => Number($<HTMLInputElement>(id).value);
  const t0 = performance.now();
  const progress = $<HTMLProgressElement>("progress");
  const result = await session.train({
    epochs: num("epochs"),
    batchSize: num("batch"),
    lr: num("lr"),
    limit: num("limit") || undefined,
    seed: num("seed"),
    patience: num("epochs"),
  }, {
    onStep: (s, total) => {
      steps.push(s);
      progress.value = s.step / total;
      const secs = (performance.now() - t0) / 1000;
      $("progress-text").textContent = `epoch ${s.epoch + 1} · step ${s.step}/${total} · ` +
        `loss ${s.loss.toFixed(4)} · ${secs.toFixed(1)} s`;
      drawLossSoon();
    },
    onEval: (e) => showMetrics(e),
  });
  progress.value = 1;
  $("progress-text").textContent =
    `done: ${result.steps} steps in ${result.seconds.toFixed(1)} s ` +
    `(${result.sentencesPerSecond.toFixed(1)} sentences/s), best epoch ${result.bestEpoch}`;
  $("model-status").textContent =
    `Active model: the tagger trained here on ${session.corpusName} (best epoch ` +
    `${result.bestEpoch}): ready to tag and download.`;
  setState("trained");
  await tag();
}

// ---- 5. tagging ------------------------------------------------------------------------------

function wordChip(t: TaggedWord): HTMLElement {
  const type = t.ner === "O" ? "O" : t.ner.replace(/^[BIES]-/, "");
  const el = document.createElement("div");
  el.className = `word ${type}`;
  el.dataset.ner = t.ner;
  el.dataset.pos = t.pos;
  for (const [cls, text] of [["w", t.word], ["ner", t.ner], ["pos", t.pos]]) {
    const s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    el.append(s);
  }
  return el;
}

function clearTags(): void {
  $("tags").replaceChildren();
  $("tag-status").textContent = "";
}

async function tag(): Promise<void> {
  clearTags();
  const text = $<HTMLInputElement>("sentence").value;
  if (text.trim() === "") {
    $("tag-status").textContent = "Type a sentence to tag.";
    return;
  }
  const after = document.body.dataset.state === "error" ? "trained" : document.body.dataset.state;
  setState("tagging");
  $("tag-status").textContent = "Tagging…";
  const t0 = performance.now();
  try {
    const tags = await session.tag(text);
    $("tags").replaceChildren(...tags.map(wordChip));
    $("tag-status").textContent = `${tags.length} words tagged in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s.`;
  } catch (e) {
    $("tag-status").textContent = "";
    throw e;
  } finally {
    setState((after as PageState) ?? "trained");
  }
}

// ---- 6. download -----------------------------------------------------------------------------

function download(): void {
  const zip = zipStore(session.modelFiles(), "jointag-tagger");
  const url = URL.createObjectURL(
    new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
  );
  const a = document.createElement("a");
  a.href = url;
  a.download = "jointag-tagger.zip";
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- wiring ----------------------------------------------------------------------------------

function wire(): void {
  $("use-demo-model").addEventListener("click", () => {
    session.useDemoModel();
    $("model-status").textContent = session.tagger
      ? "The next training starts from the built-in demo BERT; tagging uses the last tagger."
      : DEMO_MODEL_TEXT;
    $("model-section").querySelector<HTMLElement>(".card-error")!.hidden = true;
    setState(session.tagger ? "trained" : "ready");
  });
  for (const id of ["model-dir", "model-files"]) {
    const input = $<HTMLInputElement>(id);
    input.addEventListener("change", guard("model", () => loadModel(input)));
  }
  const file = $<HTMLInputElement>("corpus-file");
  file.addEventListener(
    "change",
    guard("corpus", async () => {
      const f = file.files?.[0];
      file.value = "";
      if (f) await corpusFromFile(f);
    }),
  );
  $("use-demo-corpus").addEventListener(
    "click",
    guard("corpus", () => {
      const text = formatConllCorpus(generateDemoCorpus({ sentences: 600 }));
      setCorpus(new TextEncoder().encode(text), "demo.conll");
      return Promise.resolve();
    }),
  );
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener(
    "drop",
    guard("corpus", async (e: DragEvent) => {
      e.preventDefault();
      drop.classList.remove("over");
      const f = e.dataTransfer?.files[0];
      if (f) await corpusFromFile(f);
    }),
  );
  $("train-form").addEventListener("submit", (e) => {
    e.preventDefault();
    guard("train", train)();
  });
  $("tag-form").addEventListener("submit", (e) => {
    e.preventDefault();
    guard("tag", tag)();
  });
  $("download").addEventListener("click", guard("download", () => Promise.resolve(download())));
  new ResizeObserver(() => (drawLoss(), drawF1())).observe($("loss-chart"));
}

wire();
drawLoss();
drawF1();
initDevice().then(() => setState("ready"), (e) => showError("model", e));
