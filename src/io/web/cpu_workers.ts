/**
 * A pool of Web Workers that run the CPU backend's TypeScript kernels, and parts of its GEMMs
 * (parallel_gemm.ts; Deno's BLAS in src/io/deno/parallel_blas.ts), next to the calling thread (see
 * src/backend/cpu/parallel.ts for what splits and how). Only Web-standard APIs (Worker,
 * SharedArrayBuffer, Atomics, postMessage), so one pool serves Deno and browser pages alike; the
 * host says which worker script to start and, in Deno, how to keep the idle timer from holding
 * the process open (src/io/deno/cpu_workers.ts). A page can share memory with workers only when
 * it is cross-origin isolated (served with COOP/COEP, as src/io/deno/static_server.ts does);
 * elsewhere {@link createCpuWorkerPool} gives null and the backend runs on one thread.
 *
 * Protocol (cpu_worker_protocol.ts): a job goes to a worker through the shared job area when the
 * worker is still spinning (microseconds) or sleeping in `Atomics.wait` (tens of microseconds)
 * after its last job, else by `postMessage` (views of SharedArrayBuffers are shared, not copied;
 * hundreds of microseconds to reach its event loop). The
 * calling thread runs its own part, then waits on the worker's control block until the worker
 * stores the job's sequence number: it spins briefly, then blocks in `Atomics.wait`, except on a
 * page's main thread, where `Atomics.wait` throws: there it keeps spinning on `Atomics.load`
 * (the kernels are synchronous, so it could not yield to the event loop anyway). A worker that
 * throws stores the message there, and the caller rethrows it.
 *
 * Workers start on first use, without blocking: until one reports ready, kernels run whole on the
 * calling thread. Workers idle for `idleMs` are stopped (a live worker keeps a Deno process from
 * exiting) and restarted on the next kernel that splits.
 * @module
 */
import type { CpuJob, CpuWorkers } from "../../backend/cpu/parallel.ts";
import { heapMemoryOf } from "../../backend/cpu/wasm_heap.ts";
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

/** Options of {@link createCpuWorkerPool}. */
export interface CpuWorkerPoolOptions {
  /** Threads in all, the calling one included (a positive integer; below 2 means no pool). */
  threads: number;
  /**
   * The worker script: src/io/web/cpu_worker.ts (a page: its bundle, dist/web/cpu_worker.js) or
   * src/io/deno/cpu_worker.ts (which adds the BLAS jobs). Started as a module worker.
   */
  workerUrl: string | URL;
  /**
   * Stop workers unused this long (ms; default 1000), so they never hold a Deno process open (a
   * program that neither disposes its backend nor calls `Deno.exit` ends up to 1.25× this late).
   * `Infinity`: never (a page, which no live worker keeps open).
   */
  idleMs?: number;
  /**
   * How long a worker polls for the next job after one before it sleeps (ms; default 0). A job
   * for a polling worker starts in microseconds, for a sleeping one in tens of microseconds; but
   * a polling thread takes processor time from every other thread, this process's main thread
   * included, whenever the machine is busy. Measured on the 2-core development machine, 2
   * threads, quiet: polls of 0 / 0.2 / 1 / 5 ms gave Tiny CPU-BLAS steps of 48.3 / 51.0 / 50.8 /
   * 53.2 ms (one thread 59.4) and Mini 188.8 / 187.3 / 189.7 / 189.1 ms (one thread 284.2); with
   * another process busy on one core, the demo trained in about 1.0 s without polling and
   * 1.8–2.3 s with 5 ms (one thread 0.8 s).
   */
  spinMs?: number;
  /**
   * How long a worker then sleeps in `Atomics.wait`, ready to be woken with the next job in tens
   * of microseconds, before it goes back to its event loop, where a job costs a message (ms;
   * default 1000). It uses no processor time.
   */
  sleepMs?: number;
  /** Keeps the idle timer from holding the process open (Deno: `Deno.unrefTimer`). */
  unrefTimer?: (timer: number) => void;
  /**
   * Whether the calling thread waits for workers in `Atomics.wait` (default: whether this thread
   * may: not a page's main thread); false spins on `Atomics.load` instead.
   */
  blockingWait?: boolean;
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
/** The caller polls this long before it blocks (a futex wake costs tens of microseconds). */
const SPIN_MS = 0.05;

interface Helper {
  worker: Worker;
  ctl: Int32Array;
  /** The job area. */
  area: Uint8Array;
  /** Ids of the buffers (and heap memories) this worker has been sent. */
  known: Set<number>;
}

const encoder = new TextEncoder();

let blockingAllowed: boolean | undefined;

/**
 * Whether this thread may block in `Atomics.wait`: a browser's main thread may not (it throws a
 * TypeError), workers and Deno's main thread may. Tried once with a wait that returns at once
 * (the word is not the expected value), which is exact where a check for `document` is not.
 */
export function canBlockInAtomicsWait(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/** The worker pool (see the module note). */
export class CpuWorkerPool implements CpuWorkers {
  readonly threads: number;
  /** Whether the caller blocks in `Atomics.wait` (else spins) while workers finish. */
  readonly blockingWait: boolean;
  readonly #url: string;
  readonly #idleMs: number;
  readonly #spinMs: number;
  readonly #sleepMs: number;
  readonly #unref: ((timer: number) => void) | undefined;
  #helpers: Helper[] = [];
  /**
   * Buffer ids (the job area names arrays by them). The CPU backend's storage is a few arena
   * chunks (src/backend/cpu/host_arena.ts) kept until it is disposed, which also stops the
   * workers: a worker never holds a buffer the backend has let go. Buffers of the WebAssembly
   * heap (src/backend/cpu/wasm_heap.ts) go with the id of their memory, itself sent once, so the
   * worker runs the in-place passes on them too.
   */
  #ids = new WeakMap<SharedArrayBuffer | WebAssembly.Memory, number>();
  #nextId = 1;
  #state: "stopped" | "started" | "closed" | "failed" = "stopped";
  #seq = 0;
  #lastUse = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Why the workers could not run, if they could not. */
  failure: string | null = null;
  /** Jobs handed to workers so far (for tests and logs). */
  dispatched = 0;
  /** Of those, the ones handed over through the job area to a spinning or sleeping worker. */
  handedOver = 0;
  /** Of those, the ones that woke a sleeping worker. */
  woken = 0;

  /**
   * Creates the pool; the worker threads start on first use (`ready()`), not here.
   * @param options threads (≥ 2), worker script and timings: see {@link CpuWorkerPoolOptions}
   */
  constructor(options: CpuWorkerPoolOptions) {
    this.threads = options.threads;
    this.#url = new URL(options.workerUrl).href;
    this.#idleMs = options.idleMs ?? 1000;
    this.#spinMs = options.spinMs ?? 0;
    this.#sleepMs = options.sleepMs ?? 1000;
    this.#unref = options.unrefTimer;
    this.blockingWait = options.blockingWait ?? canBlockInAtomicsWait();
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

  /** Hands `job` to `h`: through the job area when it is spinning or sleeping, else by message. */
  #send(h: Helper, job: CpuJob, seq: number): void {
    const c = h.ctl;
    const claimed = this.#claim(c);
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
    const buffers: [number, SharedArrayBuffer, number][] = [];
    const memories: [number, WebAssembly.Memory][] = [];
    const listed = new Set<number>();
    forEachArray(job, (a) => {
      if (!(a.buffer instanceof SharedArrayBuffer)) return;
      const id = this.#idOf(a.buffer);
      const memory = heapMemoryOf(a.buffer);
      // A heap buffer goes with every message: each message's arrays arrive on new buffer
      // objects (one per buffer per message), which the worker must learn are the heap's.
      if (listed.has(id) || (h.known.has(id) && !memory)) return;
      h.known.add(id);
      listed.add(id);
      const memoryId = memory ? this.#idOf(memory) : 0;
      if (memory && !h.known.has(memoryId)) {
        h.known.add(memoryId);
        memories.push([memoryId, memory]);
      }
      buffers.push([id, a.buffer, memoryId]);
    });
    const { kernel, inputs, outputs, attrs } = job;
    h.worker.postMessage({ seq, kernel, inputs, outputs, attrs, buffers, memories });
    if (claimed) this.#signal(c, seq, READ_MESSAGES);
  }

  /**
   * Claims a spinning or sleeping worker for a job (a sleeper is woken now, so it is up by the
   * time the job is written); false when it is IDLE in its event loop.
   */
  #claim(c: Int32Array): boolean {
    const was = Atomics.compareExchange(c, CTL.state, STATE.spinning, STATE.claimed);
    if (was === STATE.spinning) return true;
    if (was !== STATE.sleeping) return false;
    if (Atomics.compareExchange(c, CTL.state, STATE.sleeping, STATE.claimed) !== STATE.sleeping) {
      return false;
    }
    Atomics.notify(c, CTL.state);
    this.woken++;
    return true;
  }

  #idOf(x: SharedArrayBuffer | WebAssembly.Memory): number {
    let id = this.#ids.get(x);
    if (id === undefined) this.#ids.set(x, id = this.#nextId++);
    return id;
  }

  #signal(c: Int32Array, seq: number, length: number): void {
    Atomics.store(c, CTL.jobSeq, seq);
    Atomics.store(c, CTL.jobLength, length);
    Atomics.store(c, CTL.jobReady, 1);
    Atomics.notify(c, CTL.jobReady);
  }

  /**
   * Returns once `h` has finished job `seq`: polls, then blocks in `Atomics.wait` (or, where this
   * thread may not block, keeps polling), and declares the pool broken after {@link STALL_MS}.
   */
  #wait(h: Helper, seq: number, index: number, kernel: string): void {
    const c = h.ctl;
    if (Atomics.load(c, CTL.done) === seq) return;
    const t0 = performance.now();
    while (performance.now() - t0 < SPIN_MS) if (Atomics.load(c, CTL.done) === seq) return;
    for (;;) {
      const seen = Atomics.load(c, CTL.done);
      if (seen === seq) return;
      if (this.blockingWait) Atomics.wait(c, CTL.done, seen, 1000);
      if (Atomics.load(c, CTL.done) !== seq && performance.now() - t0 > STALL_MS) {
        this.#fail(`worker ${index + 1} did not finish kernel ${kernel} in ${STALL_MS} ms`);
        throw new CpuWorkerError(this.failure!);
      }
    }
  }

  #start(): void {
    try {
      for (let i = 1; i < this.threads; i++) {
        const ctl = new Int32Array(new SharedArrayBuffer(CTL_BYTES));
        const worker = new Worker(this.#url, { type: "module", name: `jointag-cpu-${i}` });
        // An error outside a job (the module failed to load, ...) would end a Deno process:
        // keep it, stop using workers, and go on single-threaded.
        worker.onerror = (e) => {
          e.preventDefault();
          this.#fail(`worker ${i}: ${e.message}`);
        };
        worker.postMessage({ ctl, spinMs: this.#spinMs, sleepMs: this.#sleepMs });
        const area = new Uint8Array(ctl.buffer, JOB_OFFSET, JOB_BYTES);
        this.#helpers.push({ worker, ctl, area, known: new Set() });
      }
    } catch (e) {
      this.#fail(e instanceof Error ? e.message : String(e));
      return;
    }
    this.#state = "started";
    this.#lastUse = performance.now();
    if (!Number.isFinite(this.#idleMs)) return;
    const timer = setInterval(() => {
      if (performance.now() - this.#lastUse >= this.#idleMs) this.#stop();
    }, this.#idleMs / 4);
    this.#unref?.(timer as unknown as number);
    this.#timer = timer;
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const h of this.#helpers) {
      // A sleeping worker is set IDLE and woken first: terminate() does not end an
      // `Atomics.wait` in Deno, and the thread would hold the process open until it times out.
      Atomics.store(h.ctl, CTL.state, STATE.idle);
      Atomics.notify(h.ctl, CTL.state);
      h.worker.terminate();
    }
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
 * Checks a thread count.
 * @throws {CpuWorkerError} when `threads` is not a positive integer; `what` names it.
 */
export function checkThreads(threads: number, what = "threads"): number {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new CpuWorkerError(`${what}=${JSON.stringify(threads)}: expected a positive integer`);
  }
  return threads;
}

/**
 * Whether workers can share memory with this thread: Web Workers and SharedArrayBuffer exist, and
 * (in a browser) the page is cross-origin isolated (without COOP/COEP a browser hides
 * SharedArrayBuffer or refuses to post it).
 */
export function sharedMemoryWorkers(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof Worker === "function" && typeof SharedArrayBuffer === "function" &&
    g.crossOriginIsolated !== false;
}

/**
 * A pool of `threads − 1` workers for the CPU backend, or null for one thread, or where workers
 * cannot share memory ({@link sharedMemoryWorkers}).
 * @example
 * ```ts
 * const workerUrl = new URL("./cpu_worker.js", import.meta.url); // the bundled worker
 * const workers = createCpuWorkerPool({ threads: 2, workerUrl, idleMs: Infinity });
 * const wasm = createWasmGemm()!;
 * const gemm = workers ? parallelWasm(wasm, workers) : wasm;
 * const backend = new CpuBackend({ gemm, workers });
 * ```
 * @throws {CpuWorkerError} when the thread count is not a positive integer.
 */
export function createCpuWorkerPool(options: CpuWorkerPoolOptions): CpuWorkerPool | null {
  if (checkThreads(options.threads) < 2 || !sharedMemoryWorkers()) return null;
  return new CpuWorkerPool(options);
}
