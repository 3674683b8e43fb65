/**
 * The native GEMM split across the CPU worker pool: every large GEMM is cut by rows of C
 * (src/io/web/parallel_gemm.ts `runSplitGemm`, which splits the WebAssembly GEMM the same way),
 * the caller runs its rows through the BLAS and each worker runs its rows through the same
 * library, opened in the worker (cpu_worker.ts); the BLAS itself runs one thread.
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
import type { CpuWorkers } from "../../backend/cpu/parallel.ts";
import { runSplitGemm } from "../web/parallel_gemm.ts";
import type { BlasGemm } from "./blas.ts";

/** Worker job names of the split GEMM (run by cpu_worker.ts). */
export const BLAS_JOBS = { sgemm: "blas.sgemm", dgemm: "blas.dgemm" } as const;

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
      runSplitGemm(workers, args, BLAS_JOBS.sgemm, attrs, (part) => blas.sgemm(part));
    },
    dgemm(args: GemmArgs<Float64Array>): void {
      runSplitGemm(workers, args, BLAS_JOBS.dgemm, attrs, (part) => blas.dgemm(part));
    },
  };
}
