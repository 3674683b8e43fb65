/**
 * All WebGPU kernels by name; each family's file is named as the op file in src/ops/ that uses it.
 * @module
 */
import { adamwKernels } from "./adamw.ts";
import type { GpuKernel } from "../gpu_types.ts";
import { crossEntropyKernels } from "./cross_entropy.ts";
import { dropoutKernels } from "./dropout.ts";
import { elementwiseKernels } from "./elementwise.ts";
import { gatherKernels } from "./gather.ts";
import { layerNormKernels } from "./layer_norm.ts";
import { matmulKernels } from "./matmul.ts";
import { reduceKernels } from "./reduce.ts";
import { softmaxKernels } from "./softmax.ts";
import { stridedKernels } from "./strided.ts";

/** Kernel table of the WebGPU backend. */
export const gpuKernels: Record<string, GpuKernel> = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...stridedKernels,
  ...matmulKernels,
  ...gatherKernels,
  ...softmaxKernels,
  ...layerNormKernels,
  ...dropoutKernels,
  ...crossEntropyKernels,
  ...adamwKernels,
};
