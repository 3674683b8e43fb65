/**
 * Creating tensors: from host data, constants, ranges and seeded random values. Random values are
 * drawn on the host from one seeded generator and uploaded, so every backend gets identical numbers.
 *
 * Kernel `fill` (`full` and `ones` with a non-zero value): CPU
 * src/backend/cpu/kernels/elementwise.ts, WebGPU src/backend/webgpu/kernels/elementwise.ts +
 * shaders/fill.wgsl. Zeros are a zeroed allocation (`Backend.alloc`), everything else an upload
 * (`Backend.upload`): no kernel.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { DType } from "../core/dtype.ts";
import { getBackend } from "../core/engine.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { globalRandom, type Random } from "../core/random.ts";
import { checkShape, sizeOf } from "../core/shape.ts";
import { Storage, Tensor } from "../core/tensor.ts";
import { runKernel } from "./kernel.ts";

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type (default f32; integer data given as Int32Array defaults to i32). */
  dtype?: DType;
  /** Backend (default: `getBackend()`). */
  backend?: Backend;
  /** Mark as a leaf that receives gradients. */
  requiresGrad?: boolean;
}

/**
 * A tensor from host data (flat, row-major) and a shape (default: 1-D of the data's length).
 * Int32 tensors keep a host copy of their values (`hostData`) for ops that need them on the host.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 * ```
 */
export function tensor(
  data: ArrayLike<number>,
  shape?: readonly number[],
  options: CreateOptions = {},
): Tensor {
  const s = shape ?? [data.length];
  checkShape("tensor", s);
  if (sizeOf(s) !== data.length) {
    throw new ShapeError("tensor", `${data.length} values do not fill shape ${fmtShape(s)}`);
  }
  const dtype = options.dtype ?? (data instanceof Int32Array ? "i32" : "f32");
  const backend = options.backend ?? getBackend();
  const t = new Tensor(s, new Storage(backend, backend.upload(dtype, data), dtype, data.length));
  if (dtype === "i32") t.hostData = Int32Array.from(data);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/** A scalar (shape []) tensor. */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return tensor([value], [], options);
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  checkShape("full", shape);
  const dtype = options.dtype ?? "f32";
  const backend = options.backend ?? getBackend();
  const t = value === 0
    ? new Tensor(
      shape,
      new Storage(backend, backend.alloc(dtype, sizeOf(shape), true), dtype, sizeOf(shape)),
    )
    : runKernel("fill", [], shape, dtype, { value }, false, backend);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/** Zeros. */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** Ones. */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** Zeros with the shape, dtype and backend of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, backend: t.backend });
}

/** Ones with the shape, dtype and backend of `t`. */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, backend: t.backend });
}

/** `[start, start+step, …)` up to `stop` (exclusive), like `torch.arange`. */
export function arange(
  start: number,
  stop?: number,
  step = 1,
  options: CreateOptions = {},
): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = options.dtype ?? "i32";
  const data = dtype === "i32" ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return tensor(data, [n], { ...options, dtype });
}

/** Normal(mean, std) values from the seeded generator (default: the library-wide one). */
export function randn(
  shape: readonly number[],
  options: CreateOptions & { mean?: number; std?: number; random?: Random } = {},
): Tensor {
  const r = options.random ?? globalRandom;
  const data = new Float32Array(sizeOf(shape));
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  for (let i = 0; i < data.length; i++) data[i] = mean + std * r.normal();
  return tensor(data, shape, { ...options, dtype: "f32" });
}

/** Uniform [low, high) values from the seeded generator. */
export function uniform(
  shape: readonly number[],
  options: CreateOptions & { low?: number; high?: number; random?: Random } = {},
): Tensor {
  const r = options.random ?? globalRandom;
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * r.uniform();
  return tensor(data, shape, { ...options, dtype: "f32" });
}
