/**
 * The shape of a CPU kernel: typed arrays in, typed arrays (pre-allocated) out, plain attributes.
 * @module
 */
import type { TypedArray } from "../../../core/dtype.ts";
import type { KernelAttrs } from "../../../core/backend.ts";
import type { KernelAttrsMap, KernelName } from "../../../core/kernel_contract.ts";
import type { CpuBackend } from "../cpu_backend.ts";

/** The CPU kernel of name `K`, taking that kernel's attributes. */
export type CpuKernel<K extends KernelName> = (
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrsMap[K],
  backend: CpuBackend,
) => void;

/** CPU kernels by name, each typed by its name's attributes. */
export type CpuKernels<K extends KernelName> = { readonly [N in K]: CpuKernel<N> };

/**
 * A CPU kernel called by a name known only at run time (jobs from helper threads, tests): its
 * attributes are checked by the kernel, not by the compiler.
 */
export type DynamicCpuKernel = (
  inputs: TypedArray[],
  outputs: TypedArray[],
  attrs: KernelAttrs,
  backend: CpuBackend,
) => void;
