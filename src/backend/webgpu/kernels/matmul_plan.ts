/**
 * Planning of batched matrix multiplications for the WebGPU backend: picks a WGSL kernel variant,
 * expands its template (shaders/matmul_*.wgsl) and computes uniforms and the dispatch size.
 *
 * Pure module: no Deno API and no GPUDevice calls, so it bundles for the browser and is testable
 * without a GPU. The caller creates (and caches by `plan.key`) the pipeline from `plan.code`.
 *
 * @module
 */

import {
  erfWgsl as erfSrc,
  matmulRegisterWgsl as registerSrc,
  matmulTiledWgsl as tiledSrc,
} from "../../../generated/shaders.ts";
import { expandWgslTemplate } from "../wgsl_template.ts";

export { expandWgslTemplate, WgslTemplateError } from "../wgsl_template.ts";

import {
  type MatmulAttrs,
  type MatmulLayout,
  matmulLayout,
} from "../../../core/kernel_contract.ts";

/**
 * One batched matmul C[b] = epilogue(op(A[b]) . op(B[b]) + bias) (+ C[b] if accumulate), row-major.
 * A is [m, k] per batch ([k, m] if transA), B is [k, n] ([n, k] if transB), C is [batch, m, n].
 */
export interface MatmulSpec extends MatmulAttrs {
  /** Add bias[n] (binding 4) to every row. */
  bias?: boolean;
  /** Element-wise function after the bias: exact-erf GELU or nothing. */
  epilogue?: "none" | "gelu";
  /** Also store the value before the epilogue's GELU in binding 5 (laid out like C). */
  savePre?: boolean;
  /** C += result (gradient accumulation) instead of C = result. */
  accumulate?: boolean;
  /**
   * Mixed precision: operands rounded to f16 and multiplied in f16, sums in f32 (the device must
   * have the `shader-f16` feature). Storage and epilogue stay f32.
   */
  f16?: boolean;
  /**
   * "software" for CPU-emulated adapters (llvmpipe/lavapipe, SwiftShader: the adapter's
   * `info.isFallbackAdapter`, or its description naming them), "gpu" for real GPUs.
   */
  device: "software" | "gpu";
}

/**
 * A ready-to-dispatch matmul. Bind group layout: 0 = A (read-only storage), 1 = B (read-only
 * storage), 2 = C (read_write storage), 3 = uniforms (uniform buffer, `uniforms` bytes),
 * 4 = bias (read-only storage, only if `spec.bias`), 5 = the value before GELU (read_write storage,
 * only if `spec.savePre`). Buffers are bound whole (offset 0).
 */
export interface MatmulPlan {
  /** Identifies the compiled pipeline: equal keys always come with equal `code`. */
  key: string;
  /** Complete WGSL module. */
  code: string;
  /** Compute entry point in `code`. */
  entryPoint: string;
  /** Arguments of dispatchWorkgroups; each is within maxComputeWorkgroupsPerDimension. */
  workgroups: [number, number, number];
  /** Contents of the uniform buffer (binding 3): shape and strides, so shapes never recompile. */
  uniforms: Uint32Array<ArrayBuffer>;
  /** Human-readable kernel choice, e.g. "register tm32 v4 wg8 b:n4 c:vec4". */
  variant: string;
}

/** Device limits the planner needs (a subset of GPUSupportedLimits). */
export interface MatmulLimits {
  /** Largest argument of dispatchWorkgroups per dimension. */
  maxComputeWorkgroupsPerDimension: number;
  /**
   * SIMD width of the adapter (GPUAdapterInfo.subgroupMaxSize where available; 8 if left out).
   * On software adapters one workgroup of the register kernel is exactly one SIMD vector.
   */
  subgroupMaxSize?: number;
}

/**
 * Optional overrides of the kernel choice (benchmarks, tests). Anything left out is chosen by the
 * planner from the spec.
 */
export interface MatmulTuning {
  /** "register" (no workgroup memory; default for software) or "tiled" (default for gpu). */
  kernel?: "register" | "tiled";
  /** register: rows of C per workgroup. */
  tm?: number;
  /** register: vec4 column groups per invocation (4 * v columns). */
  v?: number;
  /** register: invocations per workgroup. */
  wgx?: number;
  /** register: force scalar B loads even where vec4 loads are possible (benchmarks). */
  scalarB?: boolean;
  /** tiled: outputs per invocation along each axis (tile = 16 * rt). */
  rt?: number;
  /** tiled: k values staged in workgroup memory per step. */
  bk?: number;
}

/** Thrown for a spec the planner cannot serve; the message names the op and the shapes. */
export class MatmulSpecError extends Error {
  /** @param message what is wrong, naming the offending spec fields */
  constructor(message: string) {
    super(message);
    this.name = "MatmulSpecError";
  }
}

/** Number of u32 values in MatmulParams (the uniform struct of both kernels). */
export const MATMUL_UNIFORM_WORDS = 20;

const isCount = (x: number, min: number) => Number.isInteger(x) && x >= min && x <= 0xffffffff;

function describe(spec: MatmulSpec): string {
  const a = spec.transA ? `[${spec.k}, ${spec.m}]` : `[${spec.m}, ${spec.k}]`;
  const b = spec.transB ? `[${spec.n}, ${spec.k}]` : `[${spec.k}, ${spec.n}]`;
  return `matmul(batch ${spec.batch}, A${a}${
    spec.transA ? "^T" : ""
  } stride ${spec.aBatchStride}, ` +
    `B${b}${spec.transB ? "^T" : ""} stride ${spec.bBatchStride})`;
}

function validate(spec: MatmulSpec, limits: MatmulLimits): void {
  const bad: string[] = [];
  if (!isCount(spec.batch, 1)) bad.push(`batch=${spec.batch}`);
  if (!isCount(spec.m, 1)) bad.push(`m=${spec.m}`);
  if (!isCount(spec.n, 1)) bad.push(`n=${spec.n}`);
  if (!isCount(spec.k, 0)) bad.push(`k=${spec.k}`);
  if (!isCount(spec.aBatchStride, 0)) bad.push(`aBatchStride=${spec.aBatchStride}`);
  if (!isCount(spec.bBatchStride, 0)) bad.push(`bBatchStride=${spec.bBatchStride}`);
  if (spec.device !== "software" && spec.device !== "gpu") bad.push(`device=${spec.device}`);
  const epilogue = spec.epilogue ?? "none";
  if (epilogue !== "none" && epilogue !== "gelu") bad.push(`epilogue=${epilogue}`);
  if (!isCount(limits.maxComputeWorkgroupsPerDimension, 1)) {
    bad.push(`maxComputeWorkgroupsPerDimension=${limits.maxComputeWorkgroupsPerDimension}`);
  }
  if (bad.length > 0) {
    throw new MatmulSpecError(`${describe(spec)}: invalid ${bad.join(", ")}`);
  }
  const l = matmulLayout(spec);
  const strides = [
    l.aBatchStride,
    l.aHeadStride,
    l.lda,
    l.bBatchStride,
    l.bHeadStride,
    l.ldb,
    l.cBatchStride,
    l.cHeadStride,
    l.ldc,
  ];
  if (!isCount(l.heads, 1) || spec.batch % l.heads !== 0) bad.push(`heads=${l.heads}`);
  if (!strides.every((x) => isCount(x, 0))) bad.push(`strides=${strides.join(",")}`);
  if (!Number.isFinite(l.alpha)) bad.push(`alpha=${l.alpha}`);
  if (bad.length > 0) {
    throw new MatmulSpecError(`${describe(spec)}: invalid ${bad.join(", ")}`);
  }
  // Indices are u32 in WGSL: every element of A, B and C must be addressable.
  const outer = spec.batch / l.heads - 1;
  const last = (o: number, h: number, ld: number, rows: number, cols: number) =>
    outer * o + (l.heads - 1) * h + (rows - 1) * ld + cols;
  const [ar, ac] = spec.transA ? [spec.k, spec.m] : [spec.m, spec.k];
  const [br, bc] = spec.transB ? [spec.n, spec.k] : [spec.k, spec.n];
  if (
    last(l.aBatchStride, l.aHeadStride, l.lda, ar, ac) > 0xffffffff ||
    last(l.bBatchStride, l.bHeadStride, l.ldb, br, bc) > 0xffffffff ||
    last(l.cBatchStride, l.cHeadStride, l.ldc, spec.m, spec.n) > 0xffffffff
  ) {
    throw new MatmulSpecError(`${describe(spec)}: more than 2^32 elements in one operand`);
  }
}

/** Whether vec4 loads/stores fit: every matrix start and row pitch a multiple of 4 elements. */
function vec4Aligned(...xs: number[]): boolean {
  return xs.every((x) => x % 4 === 0);
}

/**
 * Spreads `total` (row block, batch) pairs over dispatch y and z so neither exceeds `max`.
 * Returns [dispatchY, dispatchZ] with dispatchY * dispatchZ >= total.
 */
function spreadYZ(total: number, max: number, spec: MatmulSpec): [number, number] {
  const y = Math.min(total, max);
  const z = Math.ceil(total / y);
  if (z > max) {
    throw new MatmulSpecError(
      `${describe(spec)}: needs ${total} row-block x batch workgroups, more than ${max}^2`,
    );
  }
  return [y, z];
}

/**
 * Register-kernel block for software adapters, from measurements on lavapipe (AVX2, 8 lanes; see
 * bench/matmul_webgpu_bench.ts): 4 * V columns per invocation, V = 8 is ~25% faster than V = 4
 * where n fills it (each divergent B load feeds twice the FMAs), but lanes past n are wasted
 * work, so narrow outputs (hidden 128/384, attention heads of 64) get smaller V. TM = 32 beats
 * 16 by ~10% and is within noise of 64, whose pipelines take 4-5x longer to compile (15-40 s).
 */
function softwareBlock(
  spec: MatmulSpec,
  lanes: number,
  bMode: string,
): { tm: number; v: number; wgx: number } {
  const tm = spec.m > 16 ? 32 : spec.m > 8 ? 16 : spec.m > 4 ? 8 : 4;
  const cols = (v: number) => 4 * v * lanes;
  // With B transposed (k4 loads) V = 8 measured no faster than 4 and compiles 2.5x longer.
  const v = bMode !== "k4" && (spec.n % cols(8) === 0 || spec.n >= 4 * cols(8))
    ? 8
    : spec.n >= cols(4)
    ? 4
    : spec.n >= cols(2)
    ? 2
    : 1;
  return { tm, v, wgx: lanes };
}

function intBetween(x: number, lo: number, hi: number, what: string, spec: MatmulSpec): number {
  if (!Number.isInteger(x) || x < lo || x > hi) {
    throw new MatmulSpecError(`${describe(spec)}: tuning ${what}=${x} outside [${lo}, ${hi}]`);
  }
  return x;
}

/**
 * Plans one batched matmul: kernel variant, WGSL code, pipeline key, uniforms and dispatch size.
 *
 * The caller allocates A with at least (batch-1)*aBatchStride + m*k elements (likewise B), C with
 * batch*m*n and bias with n, binds them as documented on {@link MatmulPlan} and dispatches
 * `plan.workgroups`. Pipelines should be cached by `plan.key`.
 *
 * @param spec shapes, layout, fused epilogue and device class
 * @param limits the device's maxComputeWorkgroupsPerDimension
 * @param tuning optional overrides of the kernel choice (benchmarks and tests)
 * @returns the plan
 * @throws MatmulSpecError if the spec is invalid or cannot be dispatched within the limits
 */
export function planMatmul(
  spec: MatmulSpec,
  limits: MatmulLimits,
  tuning: MatmulTuning = {},
): MatmulPlan {
  validate(spec, limits);
  const max = limits.maxComputeWorkgroupsPerDimension;
  const kernel = tuning.kernel ?? (spec.device === "software" ? "register" : "tiled");
  const bias = spec.bias ?? false;
  const gelu = (spec.epilogue ?? "none") === "gelu";
  const accumulate = spec.accumulate ?? false;
  const f16 = spec.f16 ?? false;
  const savePre = spec.savePre ?? false;
  const epilogueKey = `${bias ? "_bias" : ""}${gelu ? "_gelu" : ""}${savePre ? "_pre" : ""}${
    accumulate ? "_acc" : ""
  }${f16 ? "_f16" : ""}`;
  const epilogueNote = epilogueKey.replaceAll("_", " +");
  const l: MatmulLayout = matmulLayout(spec);
  const [aRowStride, aKStride] = spec.transA ? [1, l.lda] : [l.lda, 1];
  const [bKStride, bColStride] = spec.transB ? [1, l.ldb] : [l.ldb, 1];
  const tail = gelu ? "\n" + erfSrc : "";

  let code: string;
  let key: string;
  let variant: string;
  let tileRows: number;
  let dispatchX: number;
  if (kernel === "register") {
    const vecB = vec4Aligned(l.bBatchStride, l.bHeadStride, l.ldb) && !tuning.scalarB;
    const bMode = !spec.transB && vecB && spec.n % 4 === 0
      ? "n4"
      : spec.transB && vecB && spec.k % 4 === 0
      ? "k4"
      : "scalar";
    const lanes = Math.min(64, Math.max(4, limits.subgroupMaxSize ?? 8));
    const auto = softwareBlock(spec, lanes, bMode);
    const tm = intBetween(tuning.tm ?? auto.tm, 1, 256, "tm", spec);
    const v = intBetween(tuning.v ?? auto.v, 1, 16, "v", spec);
    const wgx = intBetween(tuning.wgx ?? auto.wgx, 1, 256, "wgx", spec);
    const cVec = vec4Aligned(spec.n, l.cBatchStride, l.cHeadStride, l.ldc);
    const flags = {
      B_N4: bMode === "n4",
      B_K4: bMode === "k4",
      B_SCALAR: bMode === "scalar",
      C_VEC: cVec,
      BIAS: bias,
      GELU: gelu,
      ACCUMULATE: accumulate,
      F16: f16,
      SAVE_PRE: savePre,
    };
    code =
      expandWgslTemplate(registerSrc, { TM: tm, V: v, WGX: wgx }, flags, "matmul_register.wgsl") +
      tail;
    key = `matmul_register_tm${tm}_v${v}_wg${wgx}_b${bMode}_c${
      cVec ? "vec4" : "f32"
    }${epilogueKey}`;
    variant = `register tm${tm} v${v} wg${wgx} b:${bMode} c:${
      cVec ? "vec4" : "f32"
    }${epilogueNote}`;
    tileRows = tm;
    dispatchX = Math.ceil(spec.n / (4 * v * wgx));
  } else if (kernel === "tiled") {
    const rt = intBetween(tuning.rt ?? 4, 1, 8, "rt", spec);
    const tile = 16 * rt;
    const bk = intBetween(tuning.bk ?? 16, 1, 64, "bk", spec);
    if ((tile * bk) % 256 !== 0) {
      throw new MatmulSpecError(
        `${describe(spec)}: tuning tile ${tile} x bk ${bk} not a multiple of 256`,
      );
    }
    const flags = {
      TRANS_A: spec.transA,
      TRANS_B: spec.transB,
      BIAS: bias,
      GELU: gelu,
      ACCUMULATE: accumulate,
      F16: f16,
      SAVE_PRE: savePre,
    };
    const consts = { TILE: tile, RT: rt, BK: bk, LOADS: (tile * bk) / 256 };
    code = expandWgslTemplate(tiledSrc, consts, flags, "matmul_tiled.wgsl") + tail;
    const ab = `${spec.transA ? "t" : "n"}${spec.transB ? "t" : "n"}`;
    key = `matmul_tiled_t${tile}_k${bk}_${ab}${epilogueKey}`;
    variant = `tiled ${tile}x${tile} rt${rt} bk${bk} ${ab}${epilogueNote}`;
    tileRows = tile;
    dispatchX = Math.ceil(spec.n / tile);
  } else {
    throw new MatmulSpecError(`${describe(spec)}: unknown kernel ${String(kernel)}`);
  }
  if (dispatchX > max) {
    throw new MatmulSpecError(
      `${describe(spec)}: n needs ${dispatchX} workgroups in x, limit ${max}`,
    );
  }
  const rowBlocks = Math.ceil(spec.m / tileRows);
  const [dispatchY, dispatchZ] = spreadYZ(rowBlocks * spec.batch, max, spec);
  const uniforms = new Uint32Array([
    spec.m,
    spec.n,
    spec.k,
    spec.batch,
    l.aBatchStride,
    l.bBatchStride,
    aRowStride,
    aKStride,
    bKStride,
    bColStride,
    rowBlocks,
    dispatchY,
    l.heads,
    l.aHeadStride,
    l.bHeadStride,
    l.cBatchStride,
    l.cHeadStride,
    l.ldc,
    0,
    0,
  ]);
  new Float32Array(uniforms.buffer)[18] = l.alpha;
  return {
    key,
    code,
    entryPoint: "main",
    workgroups: [dispatchX, dispatchY, dispatchZ],
    uniforms,
    variant,
  };
}
