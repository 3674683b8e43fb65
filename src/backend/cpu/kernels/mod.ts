/**
 * All CPU kernels by name, and the split policies of those that split across threads (registered
 * beside each kernel, see ../parallel.ts). Each family's file is named as the op file in src/ops/
 * that uses it.
 * @module
 */
import { adamwKernels, adamwSplits } from "./adamw.ts";
import { adamwGroupKernels, adamwGroupSplits } from "./adamw_group.ts";
import { crossEntropyKernels, crossEntropySplits } from "./cross_entropy.ts";
import { dropoutKernels, dropoutSplits } from "./dropout.ts";
import { elementwiseKernels, elementwiseSplits } from "./elementwise.ts";
import { gatherKernels } from "./gather.ts";
import { layerNormKernels, layerNormSplits } from "./layer_norm.ts";
import { matmulKernels } from "./matmul.ts";
import { reduceKernels, reduceSplits } from "./reduce.ts";
import { residualLayerNormKernels, residualLayerNormSplits } from "./residual_layer_norm.ts";
import { softmaxKernels, softmaxSplits } from "./softmax.ts";
import { stridedKernels } from "./strided.ts";
import type { KernelName } from "../../../core/kernel_contract.ts";
import type { CpuKernel, CpuKernels, DynamicCpuKernel } from "./types.ts";
import type { CpuSplits, DynamicCpuSplit } from "../split_parts.ts";

export type { CpuKernel, CpuKernels, DynamicCpuKernel };

/** Kernel table of the CPU backend, typed by the kernel contract. */
export const cpuKernelTable: CpuKernels<KernelName> = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...stridedKernels,
  ...matmulKernels,
  ...gatherKernels,
  ...softmaxKernels,
  ...layerNormKernels,
  ...residualLayerNormKernels,
  ...dropoutKernels,
  ...crossEntropyKernels,
  ...adamwKernels,
  ...adamwGroupKernels,
};

/**
 * The same table for calls by a name known only at run time (jobs run on helper threads, tests):
 * the one place where kernel attributes are not checked by the compiler.
 */
export const cpuKernels: Readonly<Record<string, DynamicCpuKernel>> =
  cpuKernelTable as unknown as Readonly<
    Record<string, DynamicCpuKernel>
  >;

/**
 * Split policy of every CPU kernel that splits across threads (GEMMs aside: ../parallel.ts
 * `splitGemm`), typed by the kernel contract; kernels left out stay whole.
 */
export const cpuSplitTable: CpuSplits<KernelName> = {
  ...elementwiseSplits,
  ...reduceSplits,
  ...softmaxSplits,
  ...layerNormSplits,
  ...residualLayerNormSplits,
  ...dropoutSplits,
  ...crossEntropySplits,
  ...adamwSplits,
  ...adamwGroupSplits,
};

/**
 * The same table for a name known only at run time (../parallel.ts `splitKernel`): as with
 * {@link cpuKernels}, the cast is where the attributes stop being checked by the compiler (each
 * policy takes its own kernel's attributes, which the dynamic caller cannot prove).
 */
export const cpuSplits: Readonly<Record<string, DynamicCpuSplit>> = cpuSplitTable as Readonly<
  Record<string, DynamicCpuSplit>
>;
