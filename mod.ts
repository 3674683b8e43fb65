/**
 * jointag: a tensor library with reverse-mode autograd whose kernels run as WGSL compute shaders
 * on WebGPU (with a CPU reference backend), a BERT on it that loads Hugging Face checkpoints
 * (`bert`), and a multi-task (NER + POS) tagger (`tagging`). The same modules run in Deno and in
 * the browser.
 *
 * @example
 * ```ts
 * import { createBackend, setBackend, tensor, matmul, sum } from "./mod.ts";
 * setBackend((await createBackend("auto")).backend);
 * const w = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
 * const loss = sum(matmul(w, w));
 * loss.backward();
 * console.log(await w.grad!.data());
 * ```
 * @module
 */
export type { Backend, MemoryInfo } from "./src/backend/backend.ts";
export { CpuBackend, type CpuBackendOptions } from "./src/backend/cpu/cpu_backend.ts";
export type { Gemm, GemmArgs } from "./src/backend/cpu/gemm.ts";
export { jsGemm } from "./src/backend/cpu/gemm_js.ts";
export { WebGPUBackend, type WebGPUBackendOptions } from "./src/backend/webgpu/webgpu_backend.ts";
export { type BackendChoice, createBackend, type DeviceKind } from "./src/backend/select.ts";
export type { DType } from "./src/core/dtype.ts";
export { getBackend, isGradEnabled, keep, noGrad, setBackend, tidy } from "./src/core/engine.ts";
export * from "./src/core/errors.ts";
export { globalRandom, Random, setSeed } from "./src/core/random.ts";
export { Tensor } from "./src/core/tensor.ts";
export * from "./src/ops/mod.ts";
export * from "./src/nn/mod.ts";
/** BERT: model, config, checkpoints, tokenizer (see src/bert/mod.ts). */
export * as bert from "./src/bert/mod.ts";
export { BertConfig, BertModel, BertTokenizer, loadCheckpointFromFiles } from "./src/bert/mod.ts";
/** The multi-task tagger: corpora, training, metrics, prediction (see src/tagging/mod.ts). */
export * as tagging from "./src/tagging/mod.ts";
