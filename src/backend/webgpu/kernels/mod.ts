/**
 * All WebGPU kernels by name. A family's file is mostly named as the op file in src/ops/ that uses
 * it; the exceptions: elementwise.ts (`map` and `fill`: src/ops/map.ts and the ops built on it,
 * src/ops/creation.ts), strided.ts (src/ops/shape_ops.ts), layer_norm.ts also holds
 * `residual_layer_norm`, adamw.ts holds `adamw` and `adamw_group` (src/nn/optim/adamw.ts), and
 * matmul.ts also serves src/ops/linear.ts and src/ops/head_matmul.ts.
 * @module
 */
import { adamwKernels } from "./adamw.ts";
import type { GpuKernels } from "../gpu_types.ts";
import type { KernelName } from "../../../core/kernel_contract.ts";
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
export const gpuKernels: GpuKernels<KernelName> = {
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
