/**
 * The CPU backend's passes in WebAssembly SIMD128 (wasm/passes.as.ts, built into the committed
 * wasm/passes.wasm by `deno task build:wasm`): one instance per thread, made on first use, used by
 * the kernels in ./kernels/ where it beats their TypeScript loop, on every GEMM path.
 *
 * WebAssembly reads only its own memory, so each call copies its operands in and results out (one
 * `set` each): about a tenth of a nanosecond per float, against the several nanoseconds per element
 * of the compute-bound passes moved here.
 *
 * - `softmax` (float32, not log, mask columns contiguous, rows of 16 or more): a float32
 *   polynomial exponential and float64 sums, within 1e-7 absolute and 2e-6 relative of the
 *   TypeScript kernel (test/backend/cpu_kernels_test.ts); 2.1x its speed on the attention's
 *   2048 x 128 masked rows, copies included.
 *
 * No Deno API: runs in the browser and in the worker threads alike.
 * @module
 */
import { passesWasm } from "../../generated/wasm.ts";

interface PassesExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  softmax(x: number, mask: number, maskRows: number, rows: number, cols: number, y: number): void;
}

/** The passes of one thread's instance. */
export interface WasmPasses {
  /**
   * Softmax over each row of `cols` floats of `x` into `y`: plus the row's mask at element offset
   * `maskRows[r]` of `mask` (`cols` contiguous floats) when a mask is given.
   */
  softmax(
    x: Float32Array,
    mask: Float32Array | null,
    maskRows: Int32Array | null,
    rows: number,
    cols: number,
    y: Float32Array,
  ): void;
}

const PAGE = 65536;
const ALIGN = 64;
const alignUp = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

let instance: WasmPasses | null | undefined;
let enabled = true;

/** This thread's passes, or null where the engine has no WebAssembly SIMD (or they are off). */
export function wasmPasses(): WasmPasses | null {
  if (!enabled) return null;
  if (instance === undefined) instance = create();
  return instance;
}

/**
 * Turns the WASM passes off (or on again) on this thread, so the kernels run their TypeScript
 * loops (tests and benchmarks compare the two). Worker threads keep their own setting.
 */
export function setWasmPasses(on: boolean): void {
  enabled = on;
}

function create(): WasmPasses | null {
  if (typeof WebAssembly !== "object" || !WebAssembly.validate(passesWasm)) return null;
  const ex = new WebAssembly.Instance(new WebAssembly.Module(passesWasm))
    .exports as unknown as PassesExports;
  const heap = ex.heapBase();
  let f32 = new Float32Array(ex.memory.buffer);
  let i32 = new Int32Array(ex.memory.buffer);

  /** Grows the memory to at least `bytes` and refreshes the views. */
  function reserve(bytes: number): void {
    const have = ex.memory.buffer.byteLength;
    if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (f32.buffer !== ex.memory.buffer) {
      f32 = new Float32Array(ex.memory.buffer);
      i32 = new Int32Array(ex.memory.buffer);
    }
  }

  return {
    softmax(x, mask, maskRows, rows, cols, y) {
      const n = rows * cols;
      const xPtr = alignUp(heap), mPtr = alignUp(xPtr + n * 4);
      const rPtr = alignUp(mPtr + (mask ? mask.length * 4 : 0));
      reserve(alignUp(rPtr + (mask ? rows * 4 : 0)));
      f32.set(x.subarray(0, n), xPtr / 4);
      if (mask && maskRows) {
        f32.set(mask, mPtr / 4);
        for (let r = 0; r < rows; r++) i32[rPtr / 4 + r] = maskRows[r] * 4;
      }
      ex.softmax(xPtr, mask ? mPtr : 0, mask ? rPtr : 0, rows, cols, xPtr);
      y.set(f32.subarray(xPtr / 4, xPtr / 4 + n));
    },
  };
}
