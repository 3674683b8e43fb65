/**
 * GEMMs split across the CPU worker pool (cpu_workers.ts): every large GEMM is cut by rows of C
 * (src/backend/cpu/parallel.ts `splitGemm`), the caller runs its rows and each worker runs its
 * rows through the same kind of GEMM, its own instance. Splitting by rows keeps every element
 * the same dot product over the same k, so the results are bit-identical to the whole GEMM
 * (test/backend/cpu_parallel_test.ts checks this on the step's shapes). Here: the shared splitter
 * and the WebAssembly GEMM, which runs in browsers too; Deno's native BLAS uses the same splitter
 * in src/io/deno/parallel_blas.ts.
 * @module
 */
import type { GemmArgs } from "../../backend/cpu/gemm.ts";
import { allShared, type CpuWorkers, splitGemm } from "../../backend/cpu/parallel.ts";
import type { WasmGemm } from "../../backend/cpu/wasm_gemm.ts";

/** Worker job name of the split WebAssembly GEMM (attrs `{ args, relaxed }`). */
export const WASM_JOB = "wasm.sgemm";

/**
 * Runs `args` split by rows: the caller's part through `local`, the others as `kernel` jobs with
 * `attrs` and the part's arguments (`args`) on the workers. Whole on the caller when too small to
 * split (`minMacs`: least multiply-adds per part), on arrays that are not shared, or while the
 * workers start.
 */
export function runSplitGemm<T extends Float32Array | Float64Array>(
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
 * Least multiply-adds per part of a split WebAssembly GEMM: about 15 µs of one core at its ~32
 * GFLOP/s, several times a worker's round trip. A fourth of the BLAS's (which is 3-6x faster per
 * core), so the attention's per-sequence products (128 x 64 x 128 per head pair) split too.
 */
export const WASM_GEMM_MIN_PART = 1 << 19;

/**
 * The WebAssembly GEMM split by rows across `workers`: each worker runs its part in its own
 * instance (same build: relaxed or not), so the bits equal one thread's. Float64 GEMMs stay on
 * the caller (the TypeScript GEMM: gradient checks only). `minMacs`: least multiply-adds per part
 * (default {@link WASM_GEMM_MIN_PART}).
 * @example
 * ```ts
 * const workers = createCpuWorkerPool({ threads: 2, workerUrl })!;
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
      runSplitGemm(workers, args, WASM_JOB, attrs, (part) => wasm.sgemm(part), minMacs);
    },
    dgemm: (args) => wasm.dgemm(args),
  };
}
