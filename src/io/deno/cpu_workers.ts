/**
 * A pool of Deno Web Workers that run the CPU backend's TypeScript kernels, and parts of its
 * GEMMs (parallel_blas.ts), next to the main thread (see src/backend/cpu/parallel.ts for what
 * splits and how; chooseBackend in device.ts wires it all).
 *
 * Protocol (cpu_worker_protocol.ts): a job goes to a worker through the shared job area when the
 * worker is still spinning after its last job (microseconds), else by `postMessage` (views of
 * SharedArrayBuffers are shared, not copied; tens to hundreds of microseconds to wake it). The
 * main thread runs its own part, then spins briefly and blocks with `Atomics.wait` on the worker's
 * control block until the worker stores the job's sequence number. A worker that throws stores the
 * message there, and the main thread rethrows it.
 *
 * Workers start on first use, without blocking: until one reports ready, kernels run whole on the
 * main thread. A live worker keeps a Deno process from exiting, so workers idle for `idleMs` are
 * stopped (by an unref'd timer) and restarted on the next kernel that splits.
 *
 * Environment (read only when `--allow-env` grants it): `JOINTAG_THREADS`, the thread count
 * shared with the BLAS (default `navigator.hardwareConcurrency`); 1 disables the pool.
 * @module
 */
import { threadsFromEnv } from "./env.ts";
import type { CpuJob, CpuWorkers } from "../../backend/cpu/parallel.ts";
import {
  CTL,
  CTL_BYTES,
  encodeJob,
  ERROR_OFFSET,
  forEachArray,
  JOB_BYTES,
  JOB_OFFSET,
  READ_MESSAGES,
  STATE,
} from "./cpu_worker_protocol.ts";

/** Options of {@link createCpuWorkers}. */
export interface CpuWorkerOptions {
  /** Threads in all, the main one included (default: `JOINTAG_THREADS`, else all cores). */
  threads?: number;
  /**
   * Stop workers unused this long (ms; default 1000), so they never hold the process open (a
   * program that neither disposes its backend nor calls `Deno.exit` ends up to 1.25× this late).
   */
  idleMs?: number;
  /**
   * How long a worker polls for the next job after one (ms; default 5): jobs within that time
   * start in microseconds instead of a thread wake-up. It only burns a core this process would
   * otherwise leave idle between its jobs (the BLAS runs one thread when split by the pool).
   */
  spinMs?: number;
}

/** Raised for a bad thread count, and when a worker fails or stops answering. */
export class CpuWorkerError extends Error {
  /**
   * Creates the error.
   * @param message what failed (the option, or the worker and kernel)
   */
  constructor(message: string) {
    super(message);
    this.name = "CpuWorkerError";
  }
}

/** Longest wait for one worker's job before the pool is declared broken (ms). */
const STALL_MS = 120_000;
/** The main thread polls this long before it blocks (a futex wake costs tens of microseconds). */
const SPIN_MS = 0.05;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  /** The job area. */
  area: Uint8Array;
  /** Ids of the buffers this worker has been sent. */
  known: Set<number>;
}

const encoder = new TextEncoder();

/**
 * Threads for the TypeScript kernels: `threads` if given, else `JOINTAG_THREADS`, else the core
 * count.
 * @throws {CpuWorkerError} when the count is not a positive integer.
 */
export function cpuThreads(threads?: number): number {
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new CpuWorkerError(`threads=${JSON.stringify(threads)}: expected a positive integer`);
    }
    return threads;
  }
  const invalid = (text: string) =>
    new CpuWorkerError(`JOINTAG_THREADS=${JSON.stringify(text)}: expected a positive integer`);
  return threadsFromEnv(invalid) ?? Math.max(1, navigator.hardwareConcurrency || 1);
}

/** The worker pool (see the module note). */
export class CpuWorkerPool implements CpuWorkers {
  readonly threads: number;
  readonly #idleMs: number;
  readonly #spinMs: number;
  #helpers: Helper[] = [];
  /**
   * Buffer ids (the job area names arrays by them). The CPU backend's storage is a few arena
   * chunks (src/backend/cpu/host_arena.ts) kept until it is disposed, which also stops the
   * workers: a worker never holds a buffer the backend has let go.
   */
  #ids = new WeakMap<SharedArrayBuffer, number>();
  #nextId = 1;
  #state: "stopped" | "started" | "closed" | "failed" = "stopped";
  #seq = 0;
  #lastUse = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Why the workers could not run, if they could not. */
  failure: string | null = null;
  /** Jobs handed to workers so far (for tests and logs). */
  dispatched = 0;
  /** Of those, the ones handed over through the job area to a spinning worker. */
  handedOver = 0;

  /**
   * Creates the pool; the worker threads start on first use (`ready()`), not here.
   * @param threads threads in all (≥ 2)
   * @param idleMs see {@link CpuWorkerOptions.idleMs}
   * @param spinMs see {@link CpuWorkerOptions.spinMs}
   */
  constructor(threads: number, idleMs = 1000, spinMs = 5) {
    this.threads = threads;
    this.#idleMs = idleMs;
    this.#spinMs = spinMs;
  }

  ready(): number {
    if (this.#state === "stopped") this.#start();
    if (this.#state !== "started") return 0;
    // Asked for means in use: workers slow to start must not be stopped as idle meanwhile.
    this.#lastUse = performance.now();
    let n = 0;
    while (n < this.#helpers.length && Atomics.load(this.#helpers[n].ctl, CTL.ready) === 1) n++;
    return n;
  }

  run(jobs: readonly CpuJob[], local: () => void): void {
    if (jobs.length > this.ready()) {
      throw new CpuWorkerError(`${jobs.length} jobs for ${this.ready()} ready workers`);
    }
    this.#lastUse = performance.now();
    const seq = this.#seq = (this.#seq + 1) | 0;
    const posted: Helper[] = [];
    let error: unknown = null;
    try {
      for (let i = 0; i < jobs.length; i++) {
        const h = this.#helpers[i];
        Atomics.store(h.ctl, CTL.error, 0);
        this.#send(h, jobs[i], seq);
        posted.push(h);
        this.dispatched++;
      }
      local();
    } catch (e) {
      error = e;
    }
    for (let i = 0; i < posted.length; i++) {
      const h = posted[i];
      this.#wait(h, seq, i, jobs[i].kernel);
      if (Atomics.load(h.ctl, CTL.error) === 1 && error === null) {
        const len = Atomics.load(h.ctl, CTL.errorLength);
        // TextDecoder refuses shared memory: decode a copy.
        const bytes = new Uint8Array(h.ctl.buffer, ERROR_OFFSET, len).slice();
        error = new CpuWorkerError(
          `worker ${i + 1}, kernel ${jobs[i].kernel}: ${new TextDecoder().decode(bytes)}`,
        );
      }
    }
    this.#lastUse = performance.now();
    if (error !== null) throw error;
  }

  /** Workers alive now (started, not yet stopped). */
  get running(): number {
    return this.#helpers.length;
  }

  close(): void {
    this.#stop();
    if (this.#state !== "failed") this.#state = "closed";
  }

  /** Hands `job` to `h`: through the job area when it is spinning, else by message. */
  #send(h: Helper, job: CpuJob, seq: number): void {
    const c = h.ctl;
    const claimed =
      Atomics.compareExchange(c, CTL.state, STATE.spinning, STATE.claimed) === STATE.spinning;
    if (claimed) {
      const text = encodeJob(job, (b) => {
        const id = this.#ids.get(b);
        return id !== undefined && h.known.has(id) ? id : undefined;
      });
      const bytes = text === null ? null : encoder.encode(text);
      if (bytes && bytes.length <= JOB_BYTES) {
        h.area.set(bytes);
        this.#signal(c, seq, bytes.length);
        this.handedOver++;
        return;
      }
    }
    // By message, with the ids of buffers new to this worker; a claimed worker is told to go and
    // read it.
    const buffers: [number, SharedArrayBuffer][] = [];
    forEachArray(job, (a) => {
      if (!(a.buffer instanceof SharedArrayBuffer)) return;
      let id = this.#ids.get(a.buffer);
      if (id === undefined) {
        this.#ids.set(a.buffer, id = this.#nextId++);
      }
      if (!h.known.has(id)) {
        h.known.add(id);
        buffers.push([id, a.buffer]);
      }
    });
    const { kernel, inputs, outputs, attrs } = job;
    h.worker.postMessage({ seq, kernel, inputs, outputs, attrs, buffers });
    if (claimed) this.#signal(c, seq, READ_MESSAGES);
  }

  #signal(c: Int32Array, seq: number, length: number): void {
    Atomics.store(c, CTL.jobSeq, seq);
    Atomics.store(c, CTL.jobLength, length);
    Atomics.store(c, CTL.jobReady, 1);
    Atomics.notify(c, CTL.jobReady);
  }

  #wait(h: Helper, seq: number, index: number, kernel: string): void {
    const c = h.ctl;
    if (Atomics.load(c, CTL.done) === seq) return;
    const t0 = performance.now();
    while (performance.now() - t0 < SPIN_MS) if (Atomics.load(c, CTL.done) === seq) return;
    for (;;) {
      const seen = Atomics.load(c, CTL.done);
      if (seen === seq) return;
      Atomics.wait(c, CTL.done, seen, 1000);
      if (Atomics.load(c, CTL.done) !== seq && performance.now() - t0 > STALL_MS) {
        this.#fail(`worker ${index + 1} did not finish kernel ${kernel} in ${STALL_MS} ms`);
        throw new CpuWorkerError(this.failure!);
      }
    }
  }

  #start(): void {
    try {
      // The npm build (tools/build_npm.ts) runs this module as .js beside a compiled worker.
      const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
      const url = new URL(`./cpu_worker.${ext}`, import.meta.url).href;
      for (let i = 1; i < this.threads; i++) {
        const ctl = new Int32Array(new SharedArrayBuffer(CTL_BYTES));
        const worker = new Worker(url, { type: "module", name: `jointag-cpu-${i}` });
        // An error outside a job (the module failed to load, ...) would end the process: keep
        // it, stop using workers, and go on single-threaded.
        worker.onerror = (e) => {
          e.preventDefault();
          this.#fail(`worker ${i}: ${e.message}`);
        };
        worker.postMessage({ ctl, spinMs: this.#spinMs });
        const area = new Uint8Array(ctl.buffer, JOB_OFFSET, JOB_BYTES);
        this.#helpers.push({ worker, ctl, area, known: new Set() });
      }
    } catch (e) {
      this.#fail(e instanceof Error ? e.message : String(e));
      return;
    }
    this.#state = "started";
    this.#lastUse = performance.now();
    const timer = setInterval(() => {
      if (performance.now() - this.#lastUse >= this.#idleMs) this.#stop();
    }, this.#idleMs / 4);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const h of this.#helpers) h.worker.terminate();
    this.#helpers = [];
    if (this.#state === "started") this.#state = "stopped";
  }

  #fail(reason: string): void {
    this.failure ??= reason;
    this.#stop();
    this.#state = "failed";
  }
}

/**
 * A pool of `threads − 1` workers for the CPU backend's TypeScript kernels, or null for one
 * thread (or where Web Workers and SharedArrayBuffer are missing).
 * @example
 * ```ts
 * const workers = createCpuWorkers(); // null for JOINTAG_THREADS=1
 * const blas = loadBlas({ threads: workers ? 1 : undefined });
 * const gemm = blas && workers ? parallelBlas(blas, workers) : blas ?? undefined;
 * const backend = new CpuBackend({ gemm, workers });
 * ```
 * @throws {CpuWorkerError} when the thread count is not a positive integer.
 */
export function createCpuWorkers(options: CpuWorkerOptions = {}): CpuWorkerPool | null {
  const threads = cpuThreads(options.threads);
  if (threads < 2 || typeof Worker !== "function" || typeof SharedArrayBuffer !== "function") {
    return null;
  }
  return new CpuWorkerPool(threads, options.idleMs, options.spinMs);
}
