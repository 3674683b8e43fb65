/**
 * The WebAssembly SIMD128 GEMM (wasm/sgemm.as.ts, built into the committed wasm/sgemm.wasm and
 * wasm/sgemm_relaxed.wasm by `deno task build:wasm`, imported from src/generated/wasm.ts): a
 * {@link Gemm} for every engine with WebAssembly SIMD (Deno, Node, browsers), 5–10× the
 * TypeScript GEMM. Float64 GEMMs (the
 * gradient checks' precision) go to the TypeScript GEMM.
 *
 * WebAssembly reads only its own memory, so each call copies the touched range of A and B (and of
 * C when beta ≠ 0) into the module's memory with one `set` each, runs the product there and copies
 * C's rows back; a bias row ({@link GemmArgs.bias}) is added in the kernel's store, so C is not
 * preset and copied in. The copies cost 10–15% of a 768 × 192 × 64 product (the demo's shapes) and less
 * of larger ones. Copying C back row by row, never the gaps between rows, matters when the rows of C
 * are split across threads: another thread's rows may lie between.
 *
 * Operands on the CPU backend's WebAssembly heap (A, B, C and the bias all views of its shared
 * memory) need no copies: the same kernel built on the heap memory runs where they lie
 * (./wasm_gemm_heap.ts), with the same bits. The copies stay for operands elsewhere.
 *
 * No Deno API: runs in the browser too. The relaxed-SIMD build (fused multiply-add) is used where
 * the engine validates it; results are bit-identical across thread counts either way.
 * @module
 */
import { sgemmRelaxedWasm as relaxedBytes, sgemmWasm as simdBytes } from "../../generated/wasm.ts";
import {
  checkGemmArgs,
  extent,
  foldBroadcastBatch,
  type Gemm,
  type GemmArgs,
  GemmArgsError,
  scaleMatrix,
} from "./gemm.ts";
import { jsGemm } from "./gemm_js.ts";
import { heapSgemm, type SgemmAddresses, sgemmAt, type SgemmKernel } from "./wasm_gemm_heap.ts";

/** The copying build's exports: the GEMM, its own memory and where its free memory starts. */
interface SgemmExports extends SgemmKernel {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

/** Options of {@link createWasmGemm}. */
export interface WasmGemmOptions {
  /** Use the relaxed-SIMD build where the engine has it (default true). */
  relaxed?: boolean;
}

/** A WebAssembly GEMM instance (one per thread: each has its own memory). */
export interface WasmGemm extends Gemm {
  /** Whether this instance runs the relaxed-SIMD (fused multiply-add) build. */
  readonly relaxed: boolean;
}

const PAGE = 65536;
/** Byte alignment of each region placed in the module's memory (a cache line). */
const ALIGN = 64;

/** Whether this engine runs WebAssembly SIMD128 (and so the WASM GEMM). */
export function wasmSimdSupported(): boolean {
  return typeof WebAssembly === "object" && WebAssembly.validate(simdBytes);
}

/** Whether this engine validates relaxed SIMD (the fused multiply-add build). */
export function wasmRelaxedSupported(): boolean {
  return typeof WebAssembly === "object" && WebAssembly.validate(relaxedBytes);
}

let modules: { simd?: WebAssembly.Module; relaxed?: WebAssembly.Module } = {};

function compiled(relaxed: boolean): WebAssembly.Module {
  if (relaxed) return modules.relaxed ??= new WebAssembly.Module(relaxedBytes);
  return modules.simd ??= new WebAssembly.Module(simdBytes);
}

/** Forgets the compiled modules (tests). */
export function resetWasmModules(): void {
  modules = {};
}

function alignUp(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}

/**
 * A new WASM GEMM, or null where WebAssembly SIMD is missing.
 * @example
 * ```ts
 * const gemm = createWasmGemm();
 * const backend = new CpuBackend({ gemm: gemm ?? undefined });
 * ```
 */
export function createWasmGemm(options: WasmGemmOptions = {}): WasmGemm | null {
  if (!wasmSimdSupported()) return null;
  const relaxed = (options.relaxed ?? true) && wasmRelaxedSupported();
  const mem = new SgemmInstance(compiled(relaxed));
  return {
    name: `wasm simd128${relaxed ? " relaxed-fma" : ""}`,
    relaxed,
    sgemmBias: true,
    sgemm: (args) => wasmSgemm(mem, relaxed, args),
    dgemm: (args) => jsGemm.dgemm(args),
  };
}

/** One instance of the module with a float32 view of its memory, kept current as it grows. */
class SgemmInstance {
  readonly ex: SgemmExports;
  /** First byte past the module's own data: where the operands may go. */
  readonly heap: number;
  f32: Float32Array;

  constructor(module: WebAssembly.Module) {
    this.ex = new WebAssembly.Instance(module).exports as unknown as SgemmExports;
    this.heap = this.ex.heapBase();
    this.f32 = new Float32Array(this.ex.memory.buffer);
  }

  /** Grows the memory to at least `bytes` and refreshes the view. */
  reserve(bytes: number): void {
    const memory = this.ex.memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.f32.buffer !== memory.buffer) this.f32 = new Float32Array(memory.buffer);
  }
}

/** Where one call's operands were copied: C's first element copied, its byte address, and all. */
interface Placement {
  cLo: number;
  cPtr: number;
  addresses: SgemmAddresses;
}

/**
 * {@link Gemm.sgemm} on `mem` (built relaxed or not): in place on the heap where the operands lie
 * there, else copy in, one kernel call per matrix of the batch, copy C back.
 */
function wasmSgemm(mem: SgemmInstance, relaxed: boolean, raw: GemmArgs<Float32Array>): void {
  checkGemmArgs("sgemm", raw);
  const args = foldBroadcastBatch(raw);
  const { m, n, k, batch, alpha } = args;
  if (m === 0 || n === 0 || batch === 0) return;
  if (args.bias && args.bias.length < n) {
    throw new GemmArgsError("sgemm", `bias has ${args.bias.length} < n elements`, args);
  }
  if (k === 0 || alpha === 0) {
    scaleAndBias(args);
    return;
  }
  if (heapSgemm(args, relaxed)) return;
  const at = placeOperands(mem, args);
  for (let bi = 0; bi < batch; bi++) sgemmAt(mem.ex, args, bi, at.addresses);
  copyBack(args, mem.f32, at.cPtr / 4 - at.cLo);
}

/** C = beta·C (+ bias): the product is zero (k = 0 or alpha = 0), so no kernel runs. */
function scaleAndBias(args: GemmArgs<Float32Array>): void {
  const { m, n, ldc, beta } = args;
  for (let bi = 0; bi < args.batch; bi++) {
    scaleMatrix(args.c, args.cOffset + bi * args.strideC, m, n, ldc, beta);
    if (args.bias) addRows(args.c, args.bias, args.cOffset + bi * args.strideC, m, n, ldc);
  }
}

/**
 * Lays out the touched ranges of A, B and C (C only read when beta ≠ 0) and the bias in the
 * module's memory, each region aligned, grows the memory to fit them and the scratch space, and
 * copies them in.
 */
function placeOperands(mem: SgemmInstance, args: GemmArgs<Float32Array>): Placement {
  const { m, n, k, batch, lda, ldb, ldc, transA, transB } = args;
  const aLo = args.aOffset, bLo = args.bOffset, cLo = args.cOffset;
  const aHi = extent(args.aOffset, args.strideA, batch, transA ? k : m, transA ? m : k, lda);
  const bHi = extent(args.bOffset, args.strideB, batch, transB ? n : k, transB ? k : n, ldb);
  const cHi = extent(args.cOffset, args.strideC, batch, m, n, ldc);
  const aPtr = alignUp(mem.heap), bPtr = alignUp(aPtr + (aHi - aLo) * 4);
  const cPtr = alignUp(bPtr + (bHi - bLo) * 4), biasPtr = alignUp(cPtr + (cHi - cLo) * 4);
  const work = alignUp(biasPtr + (args.bias ? n * 4 : 0));
  mem.reserve(work + mem.ex.workBytes(m, n, k));
  mem.f32.set(args.a.subarray(aLo, aHi), aPtr / 4);
  mem.f32.set(args.b.subarray(bLo, bHi), bPtr / 4);
  if (args.beta !== 0) mem.f32.set(args.c.subarray(cLo, cHi), cPtr / 4);
  if (args.bias) mem.f32.set(args.bias.subarray(0, n), biasPtr / 4);
  // Element i of an operand is at its copy's start + (i − first copied) · 4.
  const addresses = {
    a: aPtr - aLo * 4,
    b: bPtr - bLo * 4,
    c: cPtr - cLo * 4,
    work,
    bias: args.bias ? biasPtr : 0,
  };
  return { cLo, cPtr, addresses };
}

/** Adds the bias row to each of the m rows of n at `base` (pitch `ldc`) of `c`. */
function addRows(
  c: Float32Array,
  bias: Float32Array,
  base: number,
  m: number,
  n: number,
  ldc: number,
): void {
  for (let r = 0, at = base; r < m; r++, at += ldc) {
    for (let j = 0; j < n; j++) c[at + j] += bias[j];
  }
}

/** Copies C's m x n matrices (not the gaps between rows) from `mem` (index = C index + shift). */
function copyBack(args: GemmArgs<Float32Array>, mem: Float32Array, shift: number): void {
  const { m, n, ldc, c } = args;
  const batch = args.strideC === 0 ? 1 : args.batch;
  if (ldc === n && (batch === 1 || args.strideC === m * n)) {
    const lo = args.cOffset, hi = lo + batch * m * n;
    c.set(mem.subarray(lo + shift, hi + shift), lo);
    return;
  }
  for (let bi = 0; bi < batch; bi++) {
    for (let r = 0, at = args.cOffset + bi * args.strideC; r < m; r++, at += ldc) {
      c.set(mem.subarray(at + shift, at + shift + n), at);
    }
  }
}
