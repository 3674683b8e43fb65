/**
 * CPU kernel `residual_layer_norm` (src/ops/layer_norm.ts `residualLayerNorm`):
 * s = dropout(x) + residual, then the layer norm of s. On the CPU the fusion saves no pass worth
 * having, so it reuses the `dropout` and `layer_norm` kernels (the same mask bits, the same
 * arithmetic) with the sum as the only extra pass. An optional `rowOffset` attribute says that the
 * row arrays start at that row of the whole tensor (a worker's share, see
 * `residualLayerNormSplits`): the dropout mask is then taken at the global element index. On
 * the WebAssembly heap the sum runs in place in WebAssembly (float32 adds, the same bits).
 * @module
 */
import { dropoutKernels } from "./dropout.ts";
import { layerNormKernels } from "./layer_norm.ts";
import type { CpuKernel, CpuKernels } from "./types.ts";
import { type CpuSplits, rowSplit } from "../split_parts.ts";
import { inplaceFor } from "../wasm_inplace.ts";

const residualLayerNorm: CpuKernel<"residual_layer_norm"> = (
  [x, residual, gamma, beta],
  [y, mean, rstd, sum],
  attrs,
  backend,
) => {
  const a = attrs;
  if (a.p > 0) {
    const indexOffset = ((attrs.rowOffset as number | undefined) ?? 0) * a.cols;
    dropoutKernels.dropout([x], [sum], { p: a.p, seed: a.seed, indexOffset }, backend);
  } else sum.set(x);
  const n = a.rows * a.cols;
  const wasm = inplaceFor(sum, residual);
  if (wasm) wasm.addInPlace(sum.byteOffset, residual.byteOffset, n);
  else for (let i = 0; i < n; i++) sum[i] += residual[i];
  layerNormKernels.layer_norm([sum, gamma, beta], [y, mean, rstd], attrs, backend);
};

/** The fused residual + layer-norm kernel by name. */
export const residualLayerNormKernels: CpuKernels<"residual_layer_norm"> = {
  residual_layer_norm: residualLayerNorm,
};

/**
 * The residual layer norm split by rows (../split_parts.ts `rowSplit`): x, the residual, y and the
 * sum by rows, mean and rstd one per row, γ and β read whole; `rowOffset` puts the dropout mask at
 * the global element index.
 */
export const residualLayerNormSplits: CpuSplits<"residual_layer_norm"> = {
  residual_layer_norm: rowSplit("residual_layer_norm", 32768, {
    inputs: ["c", "c", 0, 0],
    outputs: ["c", 1, 1, "c"],
  }),
};
