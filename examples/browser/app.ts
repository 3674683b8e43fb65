/// <reference lib="dom" />
/**
 * The browser page: wires the DOM of index.html to a {@link TaggerSession} (the same code Deno
 * runs). Built by `deno task build:web` into dist/web/app.js.
 *
 * For automated tests the page exposes `window.jointag` (the session, the per-step losses and the
 * device line) and keeps `document.body.dataset.state` at loading | ready | training | trained |
 * error.
 * @module
 */
import { type Backend, createBackend, type DeviceKind, setBackend } from "../../mod.ts";
import { generateDemoCorpus } from "../../src/tagging/demo_corpus.ts";
import {
  formatConllCorpus,
  type StepRecord,
  type TaggedWord,
  TaggerSession,
} from "../../src/tagging/browser_session.ts";
import type { EpochRecord } from "../../src/tagging/checkpoint_state.ts";
import type { TaskScores } from "../../src/tagging/evaluate.ts";
import { zipStore } from "./zip.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const session = new TaggerSession();
const steps: StepRecord[] = [];
const state = { device: "", backend: null as Backend | null, webgpu: false };
(globalThis as unknown as { jointag: unknown }).jointag = { session, steps, state };

function setState(s: "loading" | "ready" | "training" | "trained" | "error"): void {
  document.body.dataset.state = s;
  const busy = s === "loading" || s === "training";
  $<HTMLButtonElement>("train").disabled = busy || session.corpus.length === 0;
  $<HTMLButtonElement>("tag").disabled = busy || !session.tagger;
  $<HTMLButtonElement>("download").disabled = busy || !session.tagger;
}

function showError(e: unknown): void {
  const el = $("error");
  el.textContent = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  el.hidden = false;
  console.error(e);
  setState("error");
}

function guard<A extends unknown[]>(fn: (...a: A) => Promise<void>): (...a: A) => void {
  return (...a) => {
    $("error").hidden = true;
    fn(...a).catch(showError);
  };
}

/** WebGPU when the browser has it (`?device=cpu|webgpu|auto` overrides), else the CPU backend. */
async function initDevice(): Promise<void> {
  const asked = (new URLSearchParams(location.search).get("device") ?? "auto") as DeviceKind;
  const gpu = (navigator as Navigator & { gpu?: unknown }).gpu;
  const el = $("device");
  if (!gpu && asked !== "cpu") {
    const { backend } = await createBackend("cpu");
    setBackend(backend);
    state.backend = backend;
    state.device = "CPU backend: this browser has no WebGPU (navigator.gpu is missing)";
    el.textContent = `WebGPU is not available in this browser; falling back to the CPU backend ` +
      `(slower). Chromium: enable WebGPU or run on a machine with a supported GPU.`;
    el.classList.add("warn");
    return;
  }
  const { backend, reason } = await createBackend(asked);
  setBackend(backend);
  state.backend = backend;
  state.webgpu = backend.constructor.name.includes("WebGPU") || /WebGPU/.test(reason);
  state.device = reason;
  el.textContent = state.webgpu ? `Device: ${reason}` : `WebGPU unavailable here; ${reason}`;
  if (!state.webgpu) el.classList.add("warn");
}

// ---- 1. model --------------------------------------------------------------------------------

async function readFiles(list: FileList): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const f of Array.from(list)) {
    out[f.webkitRelativePath || f.name] = new Uint8Array(await f.arrayBuffer());
  }
  return out;
}

async function loadModel(input: HTMLInputElement): Promise<void> {
  if (!input.files?.length) return;
  setState("loading");
  const first = input.files[0];
  const label = first.webkitRelativePath.split("/")[0] || "model";
  $("model-status").textContent = `Loading ${input.files.length} files…`;
  $("tags").replaceChildren();
  $("model-status").textContent = await session.loadModelFiles(await readFiles(input.files), label);
  input.value = "";
  setState(session.tagger ? "trained" : "ready");
}

// ---- 2. corpus -------------------------------------------------------------------------------

function setCorpus(bytes: Uint8Array, name: string): void {
  const n = session.setCorpusFile(bytes, name);
  const words = session.corpus.reduce((s, x) => s + x.words.length, 0);
  $("corpus-status").textContent = `${name}: ${n} sentences, ${words} words.`;
  $<HTMLInputElement>("limit").value = String(
    Math.min(n, Number($<HTMLInputElement>("limit").value) || n),
  );
  setState(session.tagger ? "trained" : "ready");
}

async function corpusFromFile(file: File): Promise<void> {
  setCorpus(new Uint8Array(await file.arrayBuffer()), file.name);
}

// ---- 3. training -----------------------------------------------------------------------------

function drawLoss(): void {
  const canvas = $<HTMLCanvasElement>("loss-chart");
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  const g = canvas.getContext("2d")!;
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const pad = { l: 46, r: 12, t: 12, b: 24 };
  g.strokeStyle = "#d8dde5";
  g.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
  g.fillStyle = "#5b6575";
  g.font = "11px system-ui, sans-serif";
  if (steps.length === 0) {
    g.fillText("loss per step appears here while training", pad.l + 10, h / 2);
    return;
  }
  const series: [string, (s: StepRecord) => number][] = [
    ["#1d2430", (s) => s.loss],
    ["#2f6fde", (s) => s.tasks.ner],
    ["#1f9d55", (s) => s.tasks.pos],
  ];
  const all = steps.flatMap((s) => series.map(([, f]) => f(s))).filter(Number.isFinite);
  const max = Math.max(...all), min = Math.min(0, ...all);
  const n = Math.max(2, steps.length);
  const x = (i: number) => pad.l + (i / (n - 1)) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - min) / (max - min || 1)) * (h - pad.t - pad.b);
  g.fillText(max.toFixed(2), 6, pad.t + 8);
  g.fillText(min.toFixed(2), 6, h - pad.b);
  g.fillText(`step ${steps.length}`, w - pad.r - 50, h - 6);
  series.forEach(([color, f], k) => {
    g.strokeStyle = color;
    g.lineWidth = k === 0 ? 2 : 1;
    g.beginPath();
    steps.forEach((s, i) => (i ? g.lineTo(x(i), y(f(s))) : g.moveTo(x(i), y(f(s)))));
    g.stroke();
  });
  ["loss", "ner", "pos"].forEach((name, k) => {
    g.fillStyle = series[k][0];
    g.fillText(name, pad.l + 10 + k * 44, pad.t + 14);
  });
}

function pct(x: number | undefined): string {
  return x === undefined ? "" : (100 * x).toFixed(1);
}

function showMetrics(e: EpochRecord): void {
  const dev = e.dev as { tasks: Record<string, TaskScores> };
  const rows = [
    `<tr><th>epoch ${e.epoch}</th><th>precision</th><th>recall</th><th>F1</th>` +
    `<th>support</th></tr>`,
  ];
  const ner = dev.tasks.ner;
  for (const [type, p] of Object.entries(ner.perType ?? {})) {
    rows.push(
      `<tr><td><span class="ent ${type}">${type}</span></td><td>${pct(p.precision)}</td>` +
        `<td>${pct(p.recall)}</td><td>${pct(p.f1)}</td><td>${p.support}</td></tr>`,
    );
  }
  const m = ner.micro;
  if (m) {
    rows.push(
      `<tr><th>NER micro</th><th>${pct(m.precision)}</th><th>${pct(m.recall)}</th>` +
        `<th id="ner-f1">${pct(m.f1)}</th><th>${m.support}</th></tr>`,
    );
  }
  rows.push(
    `<tr><td>NER token accuracy</td><td colspan="4">${pct(ner.accuracy)}</td></tr>`,
    `<tr><td>POS accuracy</td><td colspan="4" id="pos-acc">${
      pct(dev.tasks.pos.accuracy)
    }</td></tr>`,
  );
  $("metrics").innerHTML = `<tbody>${rows.join("")}</tbody>`;
}

async function train(): Promise<void> {
  setState("training");
  steps.length = 0;
  drawLoss();
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
      drawLoss();
    },
    onEval: (e) => showMetrics(e),
  });
  progress.value = 1;
  $("progress-text").textContent =
    `done: ${result.steps} steps in ${result.seconds.toFixed(1)} s ` +
    `(${result.sentencesPerSecond.toFixed(1)} sentences/s), best epoch ${result.bestEpoch}`;
  $("model-status").textContent += " Trained: ready to tag and download.";
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

async function tag(): Promise<void> {
  const tags = await session.tag($<HTMLInputElement>("sentence").value);
  $("tags").replaceChildren(...tags.map(wordChip));
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
    $("model-status").textContent = "Demo BERT (2 layers, hidden 64), vocabulary from the corpus.";
  });
  for (const id of ["model-dir", "model-files"]) {
    const input = $<HTMLInputElement>(id);
    input.addEventListener("change", guard(() => loadModel(input)));
  }
  const file = $<HTMLInputElement>("corpus-file");
  file.addEventListener(
    "change",
    guard(async () => {
      if (file.files?.[0]) await corpusFromFile(file.files[0]);
    }),
  );
  $("use-demo-corpus").addEventListener(
    "click",
    guard(() => {
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
    guard(async (e: DragEvent) => {
      e.preventDefault();
      drop.classList.remove("over");
      const f = e.dataTransfer?.files[0];
      if (f) await corpusFromFile(f);
    }),
  );
  $("train-form").addEventListener("submit", (e) => {
    e.preventDefault();
    guard(train)();
  });
  $("tag-form").addEventListener("submit", (e) => {
    e.preventDefault();
    guard(tag)();
  });
  $("download").addEventListener("click", () => {
    try {
      download();
    } catch (e) {
      showError(e);
    }
  });
  new ResizeObserver(() => drawLoss()).observe($("loss-chart"));
}

wire();
drawLoss();
initDevice().then(() => setState("ready"), showError);
