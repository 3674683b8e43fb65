/**
 * The shape of a CPU kernel: typed arrays in, typed arrays (pre-allocated) out, plain attributes.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { KernelAttrs } from "../../backend.ts";
import type { CpuBackend } from "../cpu_backend.ts";

/** A CPU kernel. */
export type CpuKernel = (
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  backend: CpuBackend,
) => void;
