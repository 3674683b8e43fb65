/**
 * CPU kernel `adamw_group` (src/nn/optim/adamw.ts): every parameter of a step in one call, each
 * through the single-parameter `adamw` kernel (on the CPU a call costs nothing to save).
 * Inputs [hyper with decay, hyper without, grad 0, …], outputs [param 0, m 0, v 0, …].
 * @module
 */
import { adamwKernels } from "./adamw.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";

const adamwGroup: CpuKernel<"adamw_group"> = (
  [hDecay, hNoDecay, ...grads],
  outputs,
  attrs,
  backend,
) => {
  const { decay } = attrs;
  grads.forEach((g, i) =>
    adamwKernels.adamw(
      [g, decay[i] ? hDecay : hNoDecay],
      outputs.slice(3 * i, 3 * i + 3),
      {},
      backend,
    )
  );
};

/** The grouped optimizer kernel by name. */
export const adamwGroupKernels: CpuKernels<"adamw_group"> = { adamw_group: adamwGroup };
