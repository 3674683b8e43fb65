/**
 * Training progress for people: on a terminal, one bar redrawn in place (steps, sentences/s,
 * tokens/s, loss, ETA); elsewhere (CI logs, files), a plain line every few seconds. Output goes
 * through a `write` callback so the library stays free of runtime APIs.
 * @module
 */

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Writes text as is (no newline added). */
  write: (text: string) => void;
  /** Redraw one line in place (a TTY) instead of printing lines. */
  tty: boolean;
  /** Seconds between plain lines (default 5). */
  plainInterval?: number;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
  /** Bar width in characters (default 24). */
  width?: number;
}

/** Progress of one training run. */
export class ProgressBar {
  #startMs: number;
  #lastPlain = -Infinity;
  #sentences = 0;
  #tokens = 0;
  #stepsDone = 0;
  readonly #now: () => number;

  /**
   * Starts the clock.
   * @param total global steps of the whole run (the bar's 100%)
   * @param firstStep steps already done before this process (a resumed run), left out of the
   *   rates and the ETA
   */
  constructor(readonly total: number, readonly o: ProgressOptions, readonly firstStep = 0) {
    this.#now = o.now ?? (() => performance.now());
    this.#startMs = this.#now();
  }

  /** Records one finished step (1-based global step) and redraws when due. */
  update(step: number, info: { sentences: number; tokens: number; loss: number; epoch: number }) {
    this.#sentences += info.sentences;
    this.#tokens += info.tokens;
    this.#stepsDone = step - this.firstStep;
    const secs = Math.max(1e-9, (this.#now() - this.#startMs) / 1000);
    const perStep = secs / Math.max(1, this.#stepsDone);
    const eta = (this.total - step) * perStep;
    const stats = `epoch ${info.epoch + 1} step ${step}/${this.total} | ${
      (this.#sentences / secs).toFixed(1)
    } sent/s ${(this.#tokens / secs).toFixed(0)} tok/s | loss ${fmtLoss(info.loss)} | ETA ${
      fmtTime(eta)
    }`;
    if (
      drawProgress(
        this.o,
        step / Math.max(1, this.total),
        stats,
        secs - this.#lastPlain,
        step === this.total,
      )
    ) {
      this.#lastPlain = secs;
    }
  }

  /** Ends the bar's line before other output (a no-op for plain output). */
  break(): void {
    if (this.o.tty) this.o.write("\n");
  }

  /** Throughput since the start: sentences and tokens per second, and seconds elapsed. */
  rates(): { sentencesPerSecond: number; tokensPerSecond: number; seconds: number } {
    const seconds = (this.#now() - this.#startMs) / 1000;
    return {
      sentencesPerSecond: this.#sentences / Math.max(1e-9, seconds),
      tokensPerSecond: this.#tokens / Math.max(1e-9, seconds),
      seconds,
    };
  }
}

/**
 * Redraws the bar line (a TTY) or, when `sincePlain` seconds have passed since the last plain
 * line (or `final`), prints `stats` as a line. Returns whether a plain line was printed.
 */
function drawProgress(
  o: ProgressOptions,
  fraction: number,
  stats: string,
  sincePlain: number,
  final: boolean,
): boolean {
  if (o.tty) {
    const w = o.width ?? 24;
    const filled = Math.max(0, Math.min(w, Math.round(w * fraction)));
    o.write(`\r[${"#".repeat(filled)}${"-".repeat(w - filled)}] ${stats}\x1b[K`);
    return false;
  }
  if (sincePlain < (o.plainInterval ?? 5) && !final) return false;
  o.write(stats + "\n");
  return true;
}

/**
 * Progress of an evaluation or prediction pass, as the `onBatch` callback of `predictEncoded`:
 * `label done/total unit | rate unit/s | ETA` on one redrawn line (a TTY, ended when done) or a
 * plain line every few seconds and at the end (logs).
 * @example
 * ```ts
 * const onBatch = evaluationProgress("dev", { write: (t) => Deno.stdout.writeSync(enc(t)), tty: true });
 * await predictEncoded(model, encoded, { onBatch });
 * ```
 */
export function evaluationProgress(
  label: string,
  o: ProgressOptions,
  unit = "sentences",
): (done: number, total: number) => void {
  const now = o.now ?? (() => performance.now());
  const start = now();
  let lastPlain = 0;
  return (done, total) => {
    const secs = Math.max(1e-9, (now() - start) / 1000);
    const rate = done / secs;
    const stats = `${label}: ${done}/${total} ${unit} | ${rate.toFixed(1)} ${unit}/s | ETA ${
      fmtTime((total - done) / Math.max(rate, 1e-9))
    }`;
    if (drawProgress(o, done / Math.max(1, total), stats, secs - lastPlain, done >= total)) {
      lastPlain = secs;
    }
    if (o.tty && done >= total) o.write("\n");
  };
}

function fmtLoss(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** `m:ss` or `h:mm:ss`. */
export function fmtTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
