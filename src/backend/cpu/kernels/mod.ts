/**
 * All CPU kernels by name. Each family's file is named as the op file in src/ops/ that uses it.
 * @module
 */
import { adamwKernels } from "./adamw.ts";
import { adamwGroupKernels } from "./adamw_group.ts";
import { crossEntropyKernels } from "./cross_entropy.ts";
import { dropoutKernels } from "./dropout.ts";
import { elementwiseKernels } from "./elementwise.ts";
import { gatherKernels } from "./gather.ts";
import { layerNormKernels } from "./layer_norm.ts";
import { matmulKernels } from "./matmul.ts";
import { reduceKernels } from "./reduce.ts";
import { residualLayerNormKernels } from "./residual_layer_norm.ts";
import { softmaxKernels } from "./softmax.ts";
import { stridedKernels } from "./strided.ts";
import type { KernelName } from "../../../core/kernel_contract.ts";
import type { CpuKernel, CpuKernels, DynamicCpuKernel } from "./types.ts";

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
