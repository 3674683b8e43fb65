/**
 * The WebAssembly GEMM on the CPU backend's heap (./wasm_heap.ts): when A, B, C (and the bias)
 * all lie on one heap memory, ./wasm_gemm.ts runs the product where they lie instead of copying
 * them into its module's memory and C back. The same kernel source built to import the shared
 * heap memory (wasm/sgemm_heap.wasm and wasm/sgemm_heap_relaxed.wasm, the flags of
 * wasm/inplace.wasm in tools/build_wasm.ts), so the same code and the same bits as the copying
 * path, relaxed or not as the calling GEMM.
 *
 * One instance per thread, heap memory and build (a worker instantiates on its copy of the memory
 * object); the module has no data of its own in the shared memory, and its packing workspace is
 * this thread's scratch (./wasm_inplace.ts `inplaceScratch`). No Deno API: runs in the browser
 * and in the worker threads alike.
 * @module
 */
import {
  sgemmHeapRelaxedWasm as relaxedBytes,
  sgemmHeapWasm as simdBytes,
} from "../../generated/wasm.ts";
import type { GemmArgs } from "./gemm.ts";
import { heapMemoryOf } from "./wasm_heap.ts";
import { inplaceScratch } from "./wasm_inplace.ts";

/**
 * The GEMM exports of wasm/sgemm_heap*.wasm (pointers are byte offsets in the heap memory) and of
 * the copying builds wasm/sgemm*.wasm (offsets in their own memory).
 */
export interface SgemmKernel {
  workBytes(m: number, n: number, k: number): number;
  sgemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
    bias: number,
  ): void;
}

/** The compiled builds (null: this engine refuses one), by relaxed or not. */
const modules = new Map<boolean, WebAssembly.Module | null>();
/** This thread's instances per heap memory, by relaxed or not. */
const instances = new WeakMap<WebAssembly.Memory, Map<boolean, SgemmKernel>>();

function instanceOn(memory: WebAssembly.Memory, relaxed: boolean): SgemmKernel | null {
  let mine = instances.get(memory);
  if (!mine) instances.set(memory, mine = new Map());
  let ex = mine.get(relaxed);
  if (!ex) {
    if (!modules.has(relaxed)) modules.set(relaxed, compile(relaxed));
    const module = modules.get(relaxed);
    if (!module) return null;
    ex = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SgemmKernel;
    mine.set(relaxed, ex);
  }
  return ex;
}

function compile(relaxed: boolean): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(relaxed ? relaxedBytes : simdBytes);
  } catch {
    return null;
  }
}

/**
 * Runs `args` (checked, batch folded, k ≥ 1, alpha ≠ 0) on the heap when A, B, C and the bias
 * are views of one heap memory: the relaxed-SIMD build or not, as `relaxed`. False when it
 * cannot (an operand elsewhere, no module, no scratch): the caller then copies.
 */
export function heapSgemm(args: GemmArgs<Float32Array>, relaxed: boolean): boolean {
  const memory = heapMemoryOf(args.a.buffer);
  if (!memory || heapMemoryOf(args.b.buffer) !== memory) return false;
  if (heapMemoryOf(args.c.buffer) !== memory) return false;
  if (args.bias && heapMemoryOf(args.bias.buffer) !== memory) return false;
  const ex = instanceOn(memory, relaxed);
  const work = ex && inplaceScratch(memory, ex.workBytes(args.m, args.n, args.k));
  if (!ex || work === null) return false;
  const { a, b, c, bias } = args;
  const at = {
    a: a.byteOffset,
    b: b.byteOffset,
    c: c.byteOffset,
    work,
    bias: bias?.byteOffset ?? 0,
  };
  for (let bi = 0; bi < args.batch; bi++) sgemmAt(ex, args, bi, at);
  return true;
}

/**
 * Byte addresses in a module's memory: where element 0 of A, B and C would lie (their offsets and
 * strides in `GemmArgs` count from there), the packing workspace and the bias row (0: none).
 */
export interface SgemmAddresses {
  a: number;
  b: number;
  c: number;
  work: number;
  bias: number;
}

/** The kernel `ex` on matrix `bi` of the batch of `args`, its operands at `at`. */
export function sgemmAt(
  ex: SgemmKernel,
  args: GemmArgs<Float32Array>,
  bi: number,
  at: SgemmAddresses,
): void {
  ex.sgemm(
    args.transA ? 1 : 0,
    args.transB ? 1 : 0,
    args.m,
    args.n,
    args.k,
    args.alpha,
    at.a + (args.aOffset + bi * args.strideA) * 4,
    args.lda,
    at.b + (args.bOffset + bi * args.strideB) * 4,
    args.ldb,
    args.beta,
    at.c + (args.cOffset + bi * args.strideC) * 4,
    args.ldc,
    at.work,
    at.bias,
  );
}
