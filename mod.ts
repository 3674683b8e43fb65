/**
 * jointag: a tensor library with reverse-mode autograd whose kernels run as WGSL compute shaders
 * on WebGPU, with a CPU backend (TypeScript, WebAssembly SIMD or a native BLAS GEMM). The same
 * modules run in Deno, Node and browsers. The other entry points: `jointag/bert` (a BERT that
 * loads Hugging Face checkpoints, its tokenizer and the hub cache), `jointag/tagging` (the
 * multi-task NER + POS tagger: corpora, training, metrics, prediction, `compare`) and
 * `jointag/deno` (file system, BLAS through FFI, worker threads and the device choice, for Deno).
 * The CPU backend's worker pool itself is Web-standard (`createCpuWorkerPool`, `parallelWasm`):
 * a cross-origin-isolated page uses it as Deno does.
 *
 * @example
 * ```ts
 * import { createBackend, matmul, setBackend, sum, tensor } from "jointag";
 * setBackend((await createBackend("auto")).backend);
 * const w = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
 * const loss = sum(matmul(w, w));
 * loss.backward();
 * console.log(await w.grad!.data());
 * ```
 * @module
 */
export type { Backend, Handle, KernelAttrs, MemoryInfo } from "./src/core/backend.ts";
export type {
  AdamWGroupAttrs,
  CrossEntropyAttrs,
  DropoutAttrs,
  FillAttrs,
  GatherAttrs,
  KernelAttrsMap,
  KernelName,
  LayerNormAttrs,
  MapAttrs,
  MatmulAttrs,
  NoAttrs,
  ReduceAttrs,
  ResidualLayerNormAttrs,
  SegmentSumAttrs,
  SoftmaxAttrs,
  SoftmaxGradAttrs,
  SplitAttrs,
  StridedAttrs,
} from "./src/core/kernel_contract.ts";
export { CpuBackend, type CpuBackendOptions } from "./src/backend/cpu/cpu_backend.ts";
export type { CpuJob, CpuWorkers } from "./src/backend/cpu/parallel.ts";
export type { Gemm, GemmArgs } from "./src/backend/cpu/gemm.ts";
export { jsGemm } from "./src/backend/cpu/gemm_js.ts";
export {
  type KernelProfile,
  WebGPUBackend,
  type WebGPUBackendOptions,
} from "./src/backend/webgpu/webgpu_backend.ts";
export type {
  Binding,
  BufferRange,
  Dispatch,
  GpuContext,
  GpuHandle,
} from "./src/backend/webgpu/gpu_types.ts";
export {
  type BackendChoice,
  createBackend,
  type CreateBackendOptions,
  type DeviceKind,
  DeviceUnavailableError,
} from "./src/backend/select.ts";
export type { DType, TypedArray } from "./src/core/dtype.ts";
export {
  type Disposable,
  getBackend,
  isGradEnabled,
  keep,
  noGrad,
  setBackend,
  tidy,
} from "./src/core/engine.ts";
export {
  AutogradError,
  BackendError,
  DisposedError,
  DTypeError,
  fmtShape,
  ShapeError,
} from "./src/core/errors.ts";
export { globalRandom, Random, type RandomState, setSeed } from "./src/core/random.ts";
export { Storage, Tensor } from "./src/core/tensor.ts";
export { type Edge, type GradFn, GraphNode } from "./src/core/graph_node.ts";
export {
  abs,
  add,
  addScalar,
  arange,
  attentionContext,
  attentionScores,
  backward,
  broadcastTo,
  cast,
  concat,
  type CreateOptions,
  crossEntropy,
  div,
  dropout,
  type DropoutOptions,
  embedding,
  exp,
  full,
  gelu,
  greater,
  layerNorm,
  linear,
  type LinearOpOptions,
  log,
  logSoftmax,
  map,
  type MapExpr,
  maskedFill,
  matmul,
  type MatmulOptions,
  max,
  mean,
  mul,
  mulScalar,
  neg,
  notEqualScalar,
  ones,
  onesLike,
  permute,
  pow,
  randn,
  relu,
  reshape,
  residualLayerNorm,
  type ResidualLayerNormOptions,
  rsqrt,
  scalar,
  sigmoid,
  slice,
  softmax,
  sqrt,
  squeeze,
  sub,
  sum,
  sumToShape,
  tanh,
  tensor,
  transpose,
  uniform,
  unsqueeze,
  type WgslFunction,
  where,
  zeros,
  zerosLike,
} from "./src/ops/mod.ts";
export {
  AdamW,
  type AdamWOptions,
  type AdamWState,
  bertNoDecay,
  clipGradNorm,
  Dropout,
  Embedding,
  type HostTensor,
  type InitOptions,
  LayerNorm,
  Linear,
  type LinearOptions,
  linearWarmupDecay,
  Module,
  normalInit,
  onesInit,
  uniformInit,
  zerosInit,
} from "./src/nn/mod.ts";
export {
  createWasmGemm,
  type WasmGemm,
  type WasmGemmOptions,
  wasmSimdSupported,
} from "./src/backend/cpu/wasm_gemm.ts";
export {
  CpuWorkerError,
  CpuWorkerPool,
  type CpuWorkerPoolOptions,
  createCpuWorkerPool,
  sharedMemoryWorkers,
} from "./src/io/web/cpu_workers.ts";
export { parallelWasm } from "./src/io/web/parallel_gemm.ts";
export { BertConfig, BertModel, BertTokenizer, loadCheckpointFromFiles } from "./bert.ts";
