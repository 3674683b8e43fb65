/**
 * The native GEMM (and the WebAssembly one, {@link parallelWasm}) split across the CPU worker pool: every large GEMM is cut by rows of C
 * (src/backend/cpu/parallel.ts `splitGemm`), the caller runs its rows through the BLAS and each
 * worker runs its rows through the same library, opened in the worker; the BLAS itself runs one
 * thread.
 *
 * Why not the BLAS's own threads: OpenBLAS's threads busy-wait after every call (for about 2²⁸
 * cycles) before they sleep, so on a machine with as many cores as threads they hold a core
 * during the TypeScript kernels that follow each matmul, and those kernels, split across the same
 * cores, ran barely faster (a MiniLM training step: the main thread's half of a softmax took as
 * long as the whole one did alone). With one thread per core, all of them ours, nothing spins.
 * Splitting by rows keeps every element the same dot product over the same k, so the results are
 * bit-identical to the whole GEMM (test/backend/cpu_parallel_test.ts checks this on the step's
 * shapes).
 * @module
 */
import type { GemmArgs } from "../../backend/cpu/gemm.ts";
import { allShared, type CpuWorkers, splitGemm } from "../../backend/cpu/parallel.ts";
import type { WasmGemm } from "../../backend/cpu/wasm_gemm.ts";
import type { BlasGemm } from "./blas.ts";

/** Worker job names of the split GEMM (run by cpu_worker.ts). */
export const BLAS_JOBS = { sgemm: "blas.sgemm", dgemm: "blas.dgemm" } as const;
/** Worker job name of the split WebAssembly GEMM (attrs `{ args, relaxed }`). */
export const WASM_JOB = "wasm.sgemm";

/**
 * Runs `args` split by rows: the caller's part through `local`, the others as `kernel` jobs with
 * `attrs` and the part's arguments on the workers. Whole on the caller when too small to split,
 * on arrays that are not shared, or while the workers start.
 */
function runSplit<T extends Float32Array | Float64Array>(
  workers: CpuWorkers,
  args: GemmArgs<T>,
  kernel: string,
  attrs: Record<string, unknown>,
  local: (part: GemmArgs<T>) => void,
  minMacs?: number,
): void {
  let parts = splitGemm(args, workers.threads, minMacs);
  const helpers = parts ? workers.ready() : 0;
  if (parts && helpers > 0 && allShared([args.a, args.b, args.c])) {
    if (parts.length > helpers + 1) parts = splitGemm(args, helpers + 1, minMacs);
    if (parts) {
      const [mine, ...theirs] = parts;
      const jobs = theirs.map((part) => ({
        kernel,
        inputs: [],
        outputs: [],
        attrs: { ...attrs, args: part },
      }));
      workers.run(jobs, () => local(mine));
      return;
    }
  }
  local(args);
}

/**
 * A {@link BlasGemm} that splits large GEMMs across `workers` and runs every part through
 * `blas` (which should be set to one thread: `loadBlas({ threads: 1 })`). GEMMs too small to
 * split, on arrays that are not shared, or while the workers start, run whole on the caller.
 * @example
 * ```ts
 * const workers = createCpuWorkers({ threads: 2 })!;
 * const gemm = parallelBlas(loadBlas({ threads: 1 })!, workers);
 * const backend = new CpuBackend({ gemm, workers });
 * ```
 */
export function parallelBlas(blas: BlasGemm, workers: CpuWorkers): BlasGemm {
  const attrs = { library: blas.library };
  return {
    name: blas.name.replace(/\(\d+ threads?\)$/, `(${workers.threads} threads, split by rows)`),
    library: blas.library,
    threads: workers.threads,
    core: blas.core,
    sgemm(args: GemmArgs<Float32Array>): void {
      runSplit(workers, args, BLAS_JOBS.sgemm, attrs, (part) => blas.sgemm(part));
    },
    dgemm(args: GemmArgs<Float64Array>): void {
      runSplit(workers, args, BLAS_JOBS.dgemm, attrs, (part) => blas.dgemm(part));
    },
  };
}

/**
 * Least multiply-adds per part of a split WebAssembly GEMM: about 15 µs of one core at its ~32
 * GFLOP/s, several times a worker's round trip. A fourth of the BLAS's (which is 3-6x faster per
 * core), so the attention's per-sequence products (128 x 64 x 128 per head pair) split too.
 */
export const WASM_GEMM_MIN_PART = 1 << 19;

/**
 * The WebAssembly GEMM split by rows across `workers` the same way: each worker runs its part in
 * its own instance (same build: relaxed or not), so the bits equal one thread's. Float64 GEMMs
 * stay on the caller (the TypeScript GEMM: gradient checks only). `minMacs`: least multiply-adds
 * per part (default {@link WASM_GEMM_MIN_PART}).
 * @example
 * ```ts
 * const workers = createCpuWorkers({ threads: 2 })!;
 * const backend = new CpuBackend({ gemm: parallelWasm(createWasmGemm()!, workers), workers });
 * ```
 */
export function parallelWasm(
  wasm: WasmGemm,
  workers: CpuWorkers,
  minMacs: number = WASM_GEMM_MIN_PART,
): WasmGemm {
  const attrs = { relaxed: wasm.relaxed };
  return {
    name: `${wasm.name} (${workers.threads} threads, split by rows)`,
    relaxed: wasm.relaxed,
    sgemmBias: wasm.sgemmBias,
    sgemm(args: GemmArgs<Float32Array>): void {
      runSplit(workers, args, WASM_JOB, attrs, (part) => wasm.sgemm(part), minMacs);
    },
    dgemm: (args) => wasm.dgemm(args),
  };
}
