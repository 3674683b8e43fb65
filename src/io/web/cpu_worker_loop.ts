/**
 * The body of a CPU worker thread (started by cpu_workers.ts through an entry script:
 * ./cpu_worker.ts, or src/io/deno/cpu_worker.ts, which adds the BLAS jobs): runs kernels of the
 * CPU table, parts of split WebAssembly GEMMs (parallel_gemm.ts: kernel `wasm.sgemm`, attrs
 * `{ args, relaxed }`, through this thread's own WebAssembly GEMM instance) and the host's jobs, on
 * views of shared buffers; reports each job done through the control words (the calling thread
 * waits on them). Web-standard only: it runs in Deno's workers and a page's alike.
 *
 * Messages: `{ ctl, spinMs, sleepMs }` once (answered by setting READY); jobs
 * `{ seq, kernel, inputs, outputs, attrs, buffers, memories }` (`buffers`: [id, SharedArrayBuffer,
 * memory id] of the job's arrays, remembered for jobs handed over in the job area: the CPU
 * backend's arena chunks, which live as long as the worker; `memories`: [id, WebAssembly.Memory]
 * of the WebAssembly heap those buffers belong to, memory id 0 for none, each sent once). After
 * each job the worker spins for `spinMs` waiting for the next one in the job area (see
 * cpu_worker_protocol.ts), then sleeps up to `sleepMs` in `Atomics.wait` (a worker may block;
 * only a page's main thread may not), then goes back to its event loop.
 * @module
 */
import { CpuBackend } from "../../backend/cpu/cpu_backend.ts";
import { cpuKernels } from "../../backend/cpu/kernels/mod.ts";
import type { GemmArgs } from "../../backend/cpu/gemm.ts";
import { createWasmGemm, type WasmGemm } from "../../backend/cpu/wasm_gemm.ts";
import { adoptHeapBuffer } from "../../backend/cpu/wasm_heap.ts";
import {
  CTL,
  decodeJob,
  ERROR_BYTES,
  ERROR_OFFSET,
  JOB_OFFSET,
  READ_MESSAGES,
  STATE,
  type WireJob,
} from "./cpu_worker_protocol.ts";
import { WASM_JOB } from "./parallel_gemm.ts";

/** A job the host's worker adds (Deno: the BLAS GEMM's parts), called with the job's attrs. */
export type HostJob = (attrs: Record<string, unknown>) => void;

// The kernels' backend argument: the kernels that split use none of it (no GEMM, no workers, no
// storage: so no heap memory of this thread's own either).
const backend = new CpuBackend({ wasmHeap: false });
/** Buffers of earlier jobs by id (the job area names arrays by them). */
const buffers = new Map<number, SharedArrayBuffer>();
/** The heap memories those buffers belong to, by id (this thread's copies of the objects). */
const memories = new Map<number, WebAssembly.Memory>();
/** This thread's WebAssembly GEMM instances (relaxed build or not), made on first use. */
const wasmGemms = new Map<boolean, WasmGemm>();

function wasmAt(relaxed: boolean): WasmGemm {
  let g = wasmGemms.get(relaxed);
  if (!g) {
    const made = createWasmGemm({ relaxed });
    if (!made || made.relaxed !== relaxed) throw new Error("worker could not start the WASM GEMM");
    wasmGemms.set(relaxed, g = made);
  }
  return g;
}

function runJob(
  { kernel, inputs, outputs, attrs }: WireJob,
  hostJobs: Readonly<Record<string, HostJob>>,
): void {
  if (kernel === WASM_JOB) {
    wasmAt(attrs.relaxed as boolean).sgemm(attrs.args as GemmArgs<Float32Array>);
  } else if (Object.hasOwn(hostJobs, kernel)) {
    hostJobs[kernel](attrs);
  } else {
    const k = cpuKernels[kernel];
    if (!k) throw new Error(`no CPU kernel "${kernel}"`);
    k(inputs, outputs, attrs, backend);
  }
}

/** Runs a job and reports it; the worker is SPINNING from then on (see `awaitClaim`). */
function execute(c: Int32Array, seq: number, run: () => void): void {
  let error: unknown = null;
  try {
    run();
  } catch (err) {
    error = err;
  }
  if (error !== null) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const bytes = new TextEncoder().encode(text).subarray(0, ERROR_BYTES);
    new Uint8Array(c.buffer, ERROR_OFFSET, ERROR_BYTES).set(bytes);
    Atomics.store(c, CTL.errorLength, bytes.length);
    Atomics.store(c, CTL.error, 1);
  }
  // SPINNING before DONE: once the caller sees the job done, it may claim the worker.
  Atomics.store(c, CTL.state, STATE.spinning);
  Atomics.store(c, CTL.done, seq);
  Atomics.notify(c, CTL.done);
}

/** How long the worker polls, then sleeps, for the next job after one (ms). */
interface Patience {
  spinMs: number;
  sleepMs: number;
}

/**
 * Runs the jobs the calling thread hands over through the job area, waiting for each as
 * {@link Patience} says, and returns (IDLE) when none came in time, the next job went by message
 * or the pool stopped the worker.
 */
function serveHandedJobs(
  c: Int32Array,
  patience: Patience,
  hostJobs: Readonly<Record<string, HostJob>>,
): void {
  while (awaitClaim(c, patience)) {
    // The job follows the claim within microseconds: wait for its ready flag (stored last).
    while (Atomics.load(c, CTL.jobReady) === 0) Atomics.wait(c, CTL.jobReady, 0, 1);
    Atomics.store(c, CTL.jobReady, 0);
    const seq = Atomics.load(c, CTL.jobSeq);
    const length = Atomics.load(c, CTL.jobLength);
    if (length === READ_MESSAGES) {
      Atomics.store(c, CTL.state, STATE.idle);
      return;
    }
    // TextDecoder refuses shared memory: decode a copy.
    const text = new TextDecoder().decode(new Uint8Array(c.buffer, JOB_OFFSET, length).slice());
    execute(c, seq, () => runJob(decodeJob(text, buffers), hostJobs));
  }
}

/**
 * Waits, SPINNING, then SLEEPING, for the calling thread to claim this worker: true once it has,
 * false when the time ran out (the worker is IDLE then) or the pool set it IDLE to stop it.
 */
function awaitClaim(c: Int32Array, { spinMs, sleepMs }: Patience): boolean {
  const t0 = performance.now();
  while (performance.now() - t0 < spinMs) {
    if (Atomics.load(c, CTL.state) === STATE.claimed) return true;
  }
  if (Atomics.compareExchange(c, CTL.state, STATE.spinning, STATE.sleeping) !== STATE.spinning) {
    return Atomics.load(c, CTL.state) === STATE.claimed;
  }
  // Returns at once if the state already changed; a claim notifies.
  Atomics.wait(c, CTL.state, STATE.sleeping, sleepMs);
  const was = Atomics.compareExchange(c, CTL.state, STATE.sleeping, STATE.idle);
  return was === STATE.claimed;
}

/**
 * Makes this worker serve the pool's jobs: CPU kernels, the WebAssembly GEMM's parts and
 * `hostJobs` (job name → runner). Call once, from the worker's entry script.
 */
export function serveCpuJobs(hostJobs: Readonly<Record<string, HostJob>> = {}): void {
  let ctl: Int32Array | null = null;
  const patience: Patience = { spinMs: 0, sleepMs: 0 };
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null };
  scope.onmessage = (e: MessageEvent) => {
    const d = e.data;
    if (d.ctl) {
      ctl = d.ctl as Int32Array;
      patience.spinMs = d.spinMs as number;
      patience.sleepMs = d.sleepMs as number;
      Atomics.store(ctl, CTL.ready, 1);
      return;
    }
    for (const [id, m] of d.memories as [number, WebAssembly.Memory][]) memories.set(id, m);
    for (const [id, b, memoryId] of d.buffers as [number, SharedArrayBuffer, number][]) {
      buffers.set(id, b);
      const memory = memories.get(memoryId);
      if (memory) adoptHeapBuffer(b, memory);
    }
    execute(ctl!, d.seq, () => runJob(d as WireJob, hostJobs));
    serveHandedJobs(ctl!, patience, hostJobs);
  };
}
