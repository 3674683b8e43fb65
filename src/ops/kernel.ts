/**
 * How an op runs: `runKernel` checks its inputs, allocates the output on their backend and calls
 * the backend's kernel of that name; `withGrad` records the op in the reverse-mode graph when a
 * gradient will be needed. Every op file in this folder is built from these two.
 * @module
 */
import type { Backend } from "../core/backend.ts";
import type { KernelAttrsMap, KernelName } from "../core/kernel_contract.ts";
import type { DType } from "../core/dtype.ts";
import { getBackend, isGradEnabled } from "../core/engine.ts";
import { BackendError, DTypeError, fmtShape, ShapeError } from "../core/errors.ts";
import { type Edge, type GradFn, GraphNode } from "../core/graph_node.ts";
import { checkShape, sizeOf } from "../core/shape.ts";
import { Storage, Tensor } from "../core/tensor.ts";
// Every graph is built through `withGrad` below, so loading the driver here guarantees that any
// tensor with a graph can run `backward()`.
import "./backward.ts";

/** The backend shared by all inputs (or the default one when there are none). */
export function backendOf(op: string, inputs: readonly Tensor[], fallback?: Backend): Backend {
  if (inputs.length === 0) return fallback ?? getBackend();
  const b = inputs[0].backend;
  for (const t of inputs) {
    if (t.backend !== b) {
      throw new BackendError(
        b.name,
        op,
        `inputs live on different backends (${b.name} and ${t.backend.name}); move one first`,
      );
    }
  }
  return b;
}

/** Throws unless `t` has dtype `dtype`. */
export function expectDType(op: string, t: Tensor, dtype: DType, what = "input"): void {
  if (t.dtype !== dtype) {
    throw new DTypeError(op, `${what} ${fmtShape(t.shape)} must be ${dtype}, got ${t.dtype}`);
  }
}

/** Allocates a new tensor on `backend` (zeroed when `zero`). */
export function allocTensor(
  backend: Backend,
  shape: readonly number[],
  dtype: DType,
  zero = false,
): Tensor {
  checkShape("alloc", shape);
  const size = sizeOf(shape);
  return new Tensor(shape, new Storage(backend, backend.alloc(dtype, size, zero), dtype, size));
}

/** Runs kernel `name` (attributes typed by the kernel contract) on `inputs`, producing one new tensor of `shape`/`dtype`. */
export function runKernel<K extends KernelName>(
  name: K,
  inputs: readonly Tensor[],
  shape: readonly number[],
  dtype: DType,
  attrs: KernelAttrsMap[K],
  zero = false,
  backend: Backend = backendOf(name, inputs),
): Tensor {
  const out = allocTensor(backend, shape, dtype, zero);
  if (out.size > 0) backend.run(name, inputs.map((t) => t.handle), [out.handle], attrs);
  return out;
}

/** Runs kernel `name` producing several new tensors (e.g. layer norm's output, mean and rstd). */
export function runKernelN<K extends KernelName>(
  name: K,
  inputs: readonly Tensor[],
  outs: readonly { shape: readonly number[]; dtype: DType; zero?: boolean }[],
  attrs: KernelAttrsMap[K],
): Tensor[] {
  const backend = backendOf(name, inputs);
  const tensors = outs.map((o) => allocTensor(backend, o.shape, o.dtype, o.zero));
  backend.run(name, inputs.map((t) => t.handle), tensors.map((t) => t.handle), attrs);
  return tensors;
}

/** Runs kernel `name` writing into existing tensors (in-place updates such as optimizer steps). */
export function runKernelInto<K extends KernelName>(
  name: K,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  attrs: KernelAttrsMap[K],
): void {
  const backend = backendOf(name, [...inputs, ...outputs]);
  backend.run(name, inputs.map((t) => t.handle), outputs.map((t) => t.handle), attrs);
}

/**
 * Records `output = op(inputs)` for reverse mode when gradients are enabled and an input needs one.
 * `save` lists tensors the gradient rule needs; the node keeps them alive (as views) until the
 * backward pass or until the graph becomes unreachable. Returns `output`.
 */
export function withGrad(
  op: string,
  inputs: readonly Tensor[],
  output: Tensor,
  save: readonly Tensor[],
  gradFn: GradFn,
): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return output;
  const edges: Edge[] = inputs.map((t) => {
    if (!t.requiresGrad) return null;
    if (t.node) return { node: t.node };
    return { leaf: t };
  });
  const saved = save.map((t) => t.view(t.shape, false));
  output.requiresGrad = true;
  output.node = new GraphNode(op, output.shape, edges, saved, gradFn);
  return output;
}

/** Throws a ShapeError unless `cond`. */
export function check(cond: boolean, op: string, message: () => string): asserts cond {
  if (!cond) throw new ShapeError(op, message());
}
