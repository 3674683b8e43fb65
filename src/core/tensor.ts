/**
 * The Tensor: a shape, a dtype and a reference-counted buffer on one backend, plus the autograd
 * fields (`requiresGrad`, `grad`, the graph `node` that made it). Ops live in `src/ops/`; this file
 * holds only what every op needs.
 * @module
 */
import type { Backend, Handle } from "./backend.ts";
import type { DType, TypedArray } from "./dtype.ts";
import { type Disposable, keep, track } from "./engine.ts";
import { DisposedError, fmtShape } from "./errors.ts";
import { sizeOf } from "./shape.ts";
import type { GraphNode } from "./graph_node.ts";

/** A device buffer shared by a tensor and its views (reshape, detach, saved-for-backward). */
export class Storage {
  /** Tensors (and views) sharing the buffer; the buffer is freed when this drops to zero. */
  refs = 1;
  /** Wraps a buffer just allocated on `backend`, with one reference. */
  constructor(
    readonly backend: Backend,
    readonly handle: Handle,
    readonly dtype: DType,
    readonly size: number,
  ) {}

  /** Drops one reference; frees the buffer at zero. */
  release(): void {
    if (--this.refs === 0) this.backend.free(this.handle);
  }
}

let nextId = 0;

type BackwardFn = (root: Tensor, grad?: Tensor) => void;
let backwardImpl: BackwardFn | null = null;

/** Installs the reverse-mode driver (src/ops/backward.ts does this when it loads). */
export function registerBackward(fn: BackwardFn): void {
  backwardImpl = fn;
}

/**
 * An n-dimensional array on a backend. Create with `tensor()`, `zeros()`, `randn()`…; free with
 * `dispose()` or by creating it inside `tidy()`.
 */
export class Tensor implements Disposable {
  /** Unique id, for debugging and graph bookkeeping. */
  readonly id: number = nextId++;
  /** Number of elements. */
  readonly size: number;
  /** Whether gradients flow to this tensor (parameters, and results of ops on them). */
  requiresGrad = false;
  /** Accumulated gradient of a leaf with `requiresGrad`, after `backward()`. */
  grad: Tensor | null = null;
  /** The graph node that produced this tensor (null for leaves and under `noGrad`). */
  node: GraphNode | null = null;
  /** Scope that will dispose this tensor (see `tidy`). */
  scope: Set<Disposable> | null = null;
  /** Optional host copy of the data (kept for small i32 inputs such as token ids). */
  hostData: Int32Array | null = null;
  #storage: Storage | null;

  /** Wraps a storage; prefer the creation functions. Registers with the current scope. */
  constructor(readonly shape: readonly number[], storage: Storage, tracked = true) {
    this.size = sizeOf(shape);
    this.#storage = storage;
    if (tracked) track(this);
  }

  /** Element type. */
  get dtype(): DType {
    return this.storage.dtype;
  }

  /** Number of dims. */
  get rank(): number {
    return this.shape.length;
  }

  /** The backend the data lives on. */
  get backend(): Backend {
    return this.storage.backend;
  }

  /** The underlying storage; throws if disposed. */
  get storage(): Storage {
    if (!this.#storage) throw new DisposedError(`tensor #${this.id} ${fmtShape(this.shape)}`);
    return this.#storage;
  }

  /** The backend buffer handle. */
  get handle(): Handle {
    return this.storage.handle;
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.#storage === null;
  }

  /** A new tensor sharing this buffer with another shape of the same size (no copy, no graph). */
  view(shape: readonly number[] = this.shape, tracked = true): Tensor {
    const s = this.storage;
    s.refs++;
    const t = new Tensor(shape, s, tracked);
    t.hostData = this.hostData;
    return t;
  }

  /** The same data cut off from the graph (like `torch.Tensor.detach`). */
  detach(): Tensor {
    return this.view();
  }

  /** Reads the data back to the host (f32 → Float32Array, or Float64Array in the CPU f64 mode). */
  async data(): Promise<TypedArray> {
    const s = this.storage;
    return await s.backend.read(s.handle, s.dtype, this.size);
  }

  /** Reads the data as a flat plain array (row-major), mostly for tests and printing. */
  async array(): Promise<number[]> {
    return Array.from(await this.data());
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) {
      throw new Error(`item(): tensor ${fmtShape(this.shape)} has ${this.size} elements, not 1`);
    }
    return (await this.data())[0];
  }

  /** Computes gradients of this tensor (a scalar, or pass `grad`) with respect to the leaves. */
  backward(grad?: Tensor): void {
    if (!backwardImpl) {
      throw new Error("backward(): the autograd driver (src/ops/backward.ts) is not loaded");
    }
    backwardImpl(this, grad);
  }

  /** Frees the buffer (once its views are gone too) and releases the graph node. Idempotent. */
  dispose(): void {
    if (!this.#storage) return;
    this.#storage.release();
    this.#storage = null;
    if (this.node) {
      this.node.release();
      this.node = null;
    }
    if (this.scope) {
      this.scope.delete(this);
      this.scope = null;
    }
  }

  /** Marks this tensor as not owned by any `tidy` scope. */
  keep(): this {
    keep(this);
    return this;
  }

  /** A short description; use `await t.print()` for values. */
  toString(): string {
    const state = this.isDisposed ? "disposed" : this.backend.name;
    return `Tensor(${fmtShape(this.shape)}, ${this.isDisposed ? "?" : this.dtype}, ${state}${
      this.requiresGrad ? ", requiresGrad" : ""
    })`;
  }

  /** Reads the values and formats them (first 20 per row at most). */
  async print(): Promise<string> {
    const d = await this.data();
    const last = this.shape[this.shape.length - 1] ?? 1;
    const rows: string[] = [];
    for (let i = 0; i < Math.min(d.length, last * 20); i += last) {
      rows.push(
        Array.from(d.subarray(i, Math.min(i + last, i + 20)), (v) => v.toPrecision(5)).join(", "),
      );
    }
    return `${this.toString()}\n[${rows.join("\n ")}${d.length > last * 20 ? "\n ..." : ""}]`;
  }
}
