/**
 * `jointag/deno`: the Deno side of jointag — the file system for model folders
 * ({@link DenoFileSystem}), the Hugging Face cache location and token from the environment, the
 * native BLAS through FFI, CPU worker threads, the device choice of the CLI
 * ({@link chooseBackend}: GPU, CPU + BLAS, CPU + WebAssembly, software WebGPU, TypeScript CPU),
 * terminal output and a static file server. Everything here needs Deno (and its permissions);
 * the other entry points do not.
 *
 * @example
 * ```ts
 * import { setBackend } from "jointag";
 * import { chooseBackend } from "jointag/deno";
 * const { backend, reason } = await chooseBackend("auto");
 * console.error(`device: ${reason}`);
 * setBackend(backend);
 * ```
 * @module
 */
export {
  type BlasGemm,
  BlasOptionError,
  type BlasOptions,
  type BlasStatus,
  blasStatus,
  defaultBlasPaths,
  loadBlas,
} from "./src/io/deno/blas.ts";
export {
  cpuThreads,
  CpuWorkerError,
  type CpuWorkerOptions,
  CpuWorkerPool,
  createCpuWorkers,
} from "./src/io/deno/cpu_workers.ts";
export { blasHint, chooseBackend, type DeviceChoice } from "./src/io/deno/device.ts";
export { DenoFileSystem } from "./src/io/deno/fs.ts";
export {
  cacheRootFromEnv,
  type EnvGetter,
  HomeNotFoundError,
  hubOptionsFromEnv,
} from "./src/io/deno/hub_env.ts";
export { BLAS_JOBS, parallelBlas } from "./src/io/deno/parallel_blas.ts";
export { parallelWasm, WASM_JOB } from "./src/io/web/parallel_gemm.ts";
export {
  resolveStaticPath,
  serveStatic,
  type StaticServer,
  type StaticServerOptions,
} from "./src/io/deno/static_server.ts";
export {
  DenoAppendFileSystem,
  stderrIsTerminal,
  stdoutIsTerminal,
  writeStderr,
  writeStdout,
} from "./src/io/deno/terminal.ts";
