/**
 * Entry script of Deno's CPU worker (started by cpu_workers.ts): the Web-standard worker loop
 * (src/io/web/cpu_worker_loop.ts: CPU kernels, WebAssembly GEMM parts) plus the parts of split
 * BLAS GEMMs (parallel_blas.ts: kernel `blas.sgemm` / `blas.dgemm`, attrs `{ args, library }`),
 * run through the BLAS library opened here at one thread (the process already has it loaded).
 * @module
 */
import type { GemmArgs } from "../../backend/cpu/gemm.ts";
import { type BlasGemm, blasStatus, loadBlas } from "./blas.ts";
import { serveCpuJobs } from "../web/cpu_worker_loop.ts";
import { BLAS_JOBS } from "./parallel_blas.ts";

/** BLAS libraries by path, opened on first use. */
const libraries = new Map<string, BlasGemm>();

function blasAt(path: string): BlasGemm {
  let g = libraries.get(path);
  if (!g) {
    const loaded = loadBlas({ paths: [path], threads: 1 });
    if (!loaded) throw new Error(`worker could not open BLAS: ${blasStatus().reason}`);
    libraries.set(path, g = loaded);
  }
  return g;
}

serveCpuJobs({
  [BLAS_JOBS.sgemm]: (attrs) =>
    blasAt(attrs.library as string).sgemm(attrs.args as GemmArgs<Float32Array>),
  [BLAS_JOBS.dgemm]: (attrs) =>
    blasAt(attrs.library as string).dgemm(attrs.args as GemmArgs<Float64Array>),
});
