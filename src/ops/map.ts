/**
 * Element-wise ops share one kernel, `map`: each op supplies its scalar expression twice — as WGSL
 * text (inputs `a`, `b`, `c`, scalar params `p.x..p.w`) and as a JS function — and the backends
 * apply it with NumPy broadcasting. Keeping both forms side by side in the op's file is what makes
 * CPU/WebGPU parity a property of one line each. The element-wise ops are in binary.ts, unary.ts,
 * gelu.ts and where.ts (other files call `map` with an expression of their own); there is no
 * kernel file per op.
 *
 * Kernel `map`: CPU src/backend/cpu/kernels/elementwise.ts — hand-written row loops for some
 * expression keys (`SPECIAL`: add, sub, mul, div, add_scalar, mul_scalar; `SPECIAL_F32`, float32
 * only: gelu and gelu_grad in src/backend/cpu/kernels/gelu_f32.ts), a generic loop calling the JS
 * expression for the rest; only the row-loop expressions split across worker threads
 * (`elementwiseSplits` and `mapHasRowLoop` there). WebGPU src/backend/webgpu/kernels/elementwise.ts
 * + shaders/map.wgsl, with the WGSL expression spliced in and the shared WGSL functions it names (`wgslFunctions`) prepended.
 * @module
 */
import type { DType } from "../core/dtype.ts";
import {
  broadcastShapes,
  broadcastStrides,
  coalesce,
  sameShape,
  stridesOf,
} from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { runKernel } from "./kernel.ts";
import type { MapAttrs, MapExpr, WgslFunction } from "../core/kernel_contract.ts";

export type { MapAttrs, MapExpr, WgslFunction };

/** Applies `expr` element-wise to broadcast `inputs`; returns a new tensor. */
export function map(
  op: string,
  expr: MapExpr,
  inputs: readonly Tensor[],
  params: readonly number[] = [],
  outDType: DType = "f32",
): Tensor {
  let shape: number[] = inputs[0].shape.slice();
  for (let i = 1; i < inputs.length; i++) shape = broadcastShapes(op, shape, inputs[i].shape);
  const flat = inputs.every((t) => sameShape(t.shape, shape));
  let attrShape: number[] = [];
  let strides: number[][] = [];
  if (!flat) {
    const c = coalesce(shape, [
      stridesOf(shape),
      ...inputs.map((t) => broadcastStrides(t.shape, shape)),
    ]);
    attrShape = c.shape;
    strides = c.strides.slice(1);
  }
  const attrs: MapAttrs = {
    expr,
    shape: attrShape,
    strides,
    inDTypes: inputs.map((t) => t.dtype),
    outDType,
    params: [...params, 0, 0, 0, 0].slice(0, 4),
    flat,
  };
  return runKernel("map", inputs, shape, outDType, attrs);
}
