/**
 * The CPU worker pool in Deno: the Web-standard pool (src/io/web/cpu_workers.ts) started with
 * Deno's worker script (./cpu_worker.ts, which adds the split BLAS GEMM's jobs), its idle timer
 * unref'd so that live workers never hold the process open, and its thread count from the
 * environment (chooseBackend in device.ts wires it all).
 *
 * Environment (read only when `--allow-env` grants it): `JOINTAG_THREADS`, the thread count
 * shared with the BLAS (default `navigator.hardwareConcurrency`); 1 disables the pool.
 * @module
 */
import { threadsFromEnv } from "./env.ts";
import {
  checkThreads,
  CpuWorkerError,
  type CpuWorkerPool,
  createCpuWorkerPool,
} from "../web/cpu_workers.ts";

export { CpuWorkerError, CpuWorkerPool } from "../web/cpu_workers.ts";

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
   * How long a worker polls for the next job after one before it sleeps (ms; default 0: see
   * `CpuWorkerPoolOptions.spinMs`).
   */
  spinMs?: number;
  /**
   * How long a worker then sleeps in `Atomics.wait`, woken with the next job in tens of
   * microseconds, before it goes back to its event loop (ms; default 1000).
   */
  sleepMs?: number;
}

/**
 * Threads for the TypeScript kernels: `threads` if given, else `JOINTAG_THREADS`, else the core
 * count.
 * @throws {CpuWorkerError} when the count is not a positive integer.
 */
export function cpuThreads(threads?: number): number {
  if (threads !== undefined) return checkThreads(threads);
  const invalid = (text: string) =>
    new CpuWorkerError(`JOINTAG_THREADS=${JSON.stringify(text)}: expected a positive integer`);
  return threadsFromEnv(invalid) ?? Math.max(1, navigator.hardwareConcurrency || 1);
}

/** Deno's worker script; the npm build (tools/build_npm.ts) runs this module as .js beside it. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
  return new URL(`./cpu_worker.${ext}`, import.meta.url);
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
  const pool = createCpuWorkerPool({
    threads: cpuThreads(options.threads),
    workerUrl: workerUrl(),
    idleMs: options.idleMs,
    spinMs: options.spinMs,
    sleepMs: options.sleepMs,
    unrefTimer: (timer) => Deno.unrefTimer(timer),
  });
  if (pool) closeAtExit(pool);
  return pool;
}

/** Pools to close when the process ends (weakly held: a dropped pool needs no closing). */
const openPools = new Set<WeakRef<CpuWorkerPool>>();
let closingAtExit = false;

/**
 * Closes `pool` when the process ends (`unload`: the end of the program, `Deno.exit`, the end of
 * `deno test`), so that no worker thread is still inside V8, asleep in `Atomics.wait`, while the
 * process tears down.
 */
function closeAtExit(pool: CpuWorkerPool): void {
  if (!closingAtExit) {
    closingAtExit = true;
    globalThis.addEventListener("unload", () => {
      for (const ref of openPools) ref.deref()?.close();
      openPools.clear();
    });
  }
  for (const ref of openPools) if (!ref.deref()) openPools.delete(ref);
  openPools.add(new WeakRef(pool));
}
