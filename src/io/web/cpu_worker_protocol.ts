/**
 * What the calling thread and one CPU worker (cpu_workers.ts, cpu_worker_loop.ts) share: a
 * control block of int32 words, an error message and a job area, all in one SharedArrayBuffer,
 * and the job encoding of that area.
 *
 * A job reaches a worker in one of two ways. A worker that just finished a job spins for a while
 * (state SPINNING) reading the control words, then sleeps in `Atomics.wait` on its state word
 * (SLEEPING) for a while longer, and the main thread hands it the next job through the job area:
 * it claims the worker (SPINNING or SLEEPING → CLAIMED, a compare-exchange the worker races to go
 * IDLE; a sleeper is woken by `Atomics.notify`), writes the job and stores its sequence number — a
 * few microseconds for a spinning worker, tens for a sleeping one, against hundreds for a message
 * to a worker's event loop. Arrays are named there by buffer id, so this works only for buffers
 * the worker has been sent before; otherwise, and whenever the worker is IDLE in its event loop,
 * the job goes by `postMessage` with its arrays and their buffers' ids.
 * @module
 */
import type { TypedArray } from "../../core/dtype.ts";

/** Int32 word indices of the control block. */
export const CTL = {
  /** 1 once the worker listens for jobs. */
  ready: 0,
  /** Sequence number of the last finished job. */
  done: 1,
  /** 1 when that job threw. */
  error: 2,
  /** Bytes of its message at ERROR_OFFSET. */
  errorLength: 3,
  /** One of {@link STATE}. */
  state: 4,
  /** Sequence number of the job in the job area. */
  jobSeq: 5,
  /** Bytes of that job's encoding, or {@link READ_MESSAGES}. */
  jobLength: 6,
  /** 1 once the main thread has written a claimed worker's job (stored last); the worker clears it. */
  jobReady: 7,
} as const;

/** Worker states (word CTL.state). */
export const STATE = {
  /** In its event loop: jobs go by postMessage. */
  idle: 0,
  /** Polling the control block for a job. */
  spinning: 1,
  /** Claimed by the main thread: a job (or READ_MESSAGES) follows. */
  claimed: 2,
  /** Blocked in `Atomics.wait` on this word: claimed like a spinning worker, then notified. */
  sleeping: 3,
} as const;

/** Job length telling a claimed worker to go back to its event loop, where a message waits. */
export const READ_MESSAGES = -1;

/** Byte offset of the error message. */
export const ERROR_OFFSET = 64;
/** Longest error message kept (bytes). */
export const ERROR_BYTES = 960;
/** Byte offset of the job area. */
export const JOB_OFFSET = ERROR_OFFSET + ERROR_BYTES;
/** Bytes of the job area: longer encodings go by postMessage. */
export const JOB_BYTES = 1 << 16;
/** Bytes of a control block. */
export const CTL_BYTES = JOB_OFFSET + JOB_BYTES;

const KINDS = [Float32Array, Float64Array, Int32Array] as const;

/** A job: a kernel (or host job) name, its arrays and plain attributes (which may hold arrays). */
export interface WireJob {
  kernel: string;
  inputs: TypedArray[];
  outputs: TypedArray[];
  attrs: Record<string, unknown>;
}

/** Calls `f` on every typed array of `job` (attributes searched through plain objects/arrays). */
export function forEachArray(job: WireJob, f: (a: TypedArray) => void): void {
  const visit = (v: unknown, depth: number): void => {
    if (ArrayBuffer.isView(v)) f(v as TypedArray);
    else if (depth < 4 && v !== null && typeof v === "object") {
      for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
    }
  };
  for (const a of job.inputs) f(a);
  for (const a of job.outputs) f(a);
  visit(job.attrs, 0);
}

/**
 * The job as JSON with each array as `{"$": [kind, buffer id, byte offset, length]}` and each
 * number JSON cannot hold (±∞, NaN, −0) as `{"#": "…"}`, or null when an array's buffer has no id
 * (`idOf` returns undefined) or is of another kind.
 */
export function encodeJob(
  job: WireJob,
  idOf: (b: SharedArrayBuffer) => number | undefined,
): string | null {
  let ok = true;
  const text = JSON.stringify(job, (_key, v) => {
    if (typeof v === "number") {
      return Number.isFinite(v) && !Object.is(v, -0)
        ? v
        : { "#": `${Object.is(v, -0) ? "-0" : v}` };
    }
    if (!ArrayBuffer.isView(v)) return v;
    const kind = KINDS.findIndex((k) => v instanceof k);
    const id = v.buffer instanceof SharedArrayBuffer ? idOf(v.buffer) : undefined;
    if (kind < 0 || id === undefined) {
      ok = false;
      return null;
    }
    return { $: [kind, id, v.byteOffset, (v as TypedArray).length] };
  });
  return ok ? text : null;
}

/** The job of {@link encodeJob}'s JSON, its arrays rebuilt on the worker's buffers by id. */
export function decodeJob(text: string, buffers: ReadonlyMap<number, SharedArrayBuffer>): WireJob {
  return JSON.parse(text, (_key, v) => {
    if (v === null || typeof v !== "object") return v;
    if (typeof v["#"] === "string") return Number(v["#"]);
    if (!Array.isArray(v.$)) return v;
    const [kind, id, offset, length] = v.$ as number[];
    const b = buffers.get(id);
    if (!b) throw new Error(`job names unknown buffer ${id}`);
    return kind === 0
      ? new Float32Array(b, offset, length)
      : kind === 1
      ? new Float64Array(b, offset, length)
      : new Int32Array(b, offset, length);
  });
}
