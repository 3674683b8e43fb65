/**
 * Entry script of a Web-standard CPU worker (started by cpu_workers.ts): the CPU kernels and the
 * WebAssembly GEMM's parts, no host jobs, so no Deno API and no FFI. A page starts its bundle,
 * dist/web/cpu_worker.js (tools/build_web.ts); Deno starts src/io/deno/cpu_worker.ts instead.
 * @module
 */
import { serveCpuJobs } from "./cpu_worker_loop.ts";

serveCpuJobs();
