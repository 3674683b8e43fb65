/**
 * Native GEMM through a system CBLAS (OpenBLAS, Apple Accelerate, ...) via `Deno.dlopen`.
 *
 * `loadBlas()` returns a {@link Gemm} backed by `cblas_sgemm` / `cblas_dgemm`, or `null` when no
 * library can be used; {@link blasStatus} then says why in one line (no `--allow-ffi`, library
 * not found, ...) so the caller can print a notice and fall back to the JS GEMM.
 *
 * Environment (read only when `--allow-env` grants it):
 * - `JOINTAG_BLAS`: path or soname of the library to try first; `none` disables native BLAS.
 * - `JOINTAG_THREADS`: BLAS thread count (default `navigator.hardwareConcurrency`); applied
 *   with `openblas_set_num_threads` when the library has it.
 * - `OPENBLAS_CORETYPE`: respected as set; see {@link BlasOptions.fixCoreType} for when it is set.
 *
 * @module
 */

import { readEnv, threadsFromEnv } from "./env.ts";
import {
  checkGemmArgs,
  foldBroadcastBatch,
  type Gemm,
  type GemmArgs,
  GemmArgsError,
  scaleMatrix,
} from "../../backend/cpu/gemm.ts";

/** Options of {@link loadBlas}; every field overrides the matching environment variable. */
export interface BlasOptions {
  /** Libraries to try, in order (default: `JOINTAG_BLAS`, then the platform's usual names). */
  paths?: string[];
  /** BLAS threads (default: `JOINTAG_THREADS`, else `navigator.hardwareConcurrency`). */
  threads?: number;
  /**
   * OpenBLAS DYNAMIC_ARCH builds fall back to the SSE3 "Prescott" kernels on x86-64 CPUs newer
   * than the build knows (e.g. OpenBLAS 0.3.21 on Sapphire Rapids, where single-thread sgemm
   * measured 32 GFLOP/s with them vs 140 GFLOP/s with the AVX-512 kernels). When true (default) and `OPENBLAS_CORETYPE` is
   * unset, a library that reports such a fallback core on a CPU that supports AVX2
   * or AVX-512 (per glibc's CPU feature API) is reloaded with `OPENBLAS_CORETYPE` set to the
   * matching kernel family. Needs `--allow-env` (to set it); silently skipped without it.
   */
  fixCoreType?: boolean;
}

/** A loaded native GEMM, with what was loaded (for logs and benchmarks). */
export interface BlasGemm extends Gemm {
  /** The path or soname that was opened. */
  readonly library: string;
  /** BLAS threads in effect (as reported by the library when it can tell, else requested). */
  readonly threads: number;
  /** OpenBLAS kernel family (`openblas_get_corename`), or `""` for other libraries. */
  readonly core: string;
}

/** Outcome of the last {@link loadBlas} call. */
export interface BlasStatus {
  /** Whether a library was loaded. */
  ok: boolean;
  /** One line: what was loaded, or why nothing was. */
  reason: string;
}

// CBLAS enum values (cblas.h); identical in OpenBLAS, Accelerate, MKL and netlib CBLAS.
const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;
/** BLAS integers are 32-bit in the LP64 interfaces we bind. */
const INT_MAX = 0x7fffffff;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // m
      "i32", // n
      "i32", // k
      "f32", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
  cblas_dgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f64",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f64",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
  openblas_get_corename: { parameters: [], result: "pointer", optional: true },
} as const;

type BlasLib = Deno.DynamicLibrary<typeof SYMBOLS>;

const LIBC_SYMBOLS = {
  __x86_get_cpuid_feature_leaf: { parameters: ["u32"], result: "pointer", optional: true },
} as const;

/** Raised when `JOINTAG_THREADS` / `threads` is not a positive integer. */
export class BlasOptionError extends Error {
  /**
   * Creates the error; the message shows `field=value` and what was expected.
   * @param field the option or environment variable
   * @param value its offending value
   */
  constructor(field: string, value: unknown) {
    super(`${field}=${JSON.stringify(value)}: expected a positive integer`);
    this.name = "BlasOptionError";
  }
}

let lastStatus: BlasStatus = { ok: false, reason: "loadBlas() not called yet" };
/** Opened libraries by path: dlopen once per process (reloading re-runs library init). */
const opened = new Map<string, { lib: BlasLib; note: string }>();

/** Why the last {@link loadBlas} returned null, or what it loaded. */
export function blasStatus(): BlasStatus {
  return lastStatus;
}

/** The platform's usual CBLAS libraries, most preferred first. */
export function defaultBlasPaths(os: typeof Deno.build.os = Deno.build.os): string[] {
  switch (os) {
    case "darwin":
      return [
        "/System/Library/Frameworks/Accelerate.framework/Accelerate",
        "/System/Library/Frameworks/Accelerate.framework/Versions/A/Accelerate",
        "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        "/usr/local/opt/openblas/lib/libopenblas.dylib",
      ];
    case "windows":
      return ["openblas.dll", "libopenblas.dll"];
    default:
      return ["libopenblas.so.0", "libblas.so.3", "libopenblas.so", "libcblas.so.3"];
  }
}

function resolveThreads(options: BlasOptions): number {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new BlasOptionError("threads", options.threads);
    }
    return options.threads;
  }
  return threadsFromEnv((text) => new BlasOptionError("JOINTAG_THREADS", text)) ??
    Math.max(1, navigator.hardwareConcurrency || 1);
}

/** OpenBLAS kernel families that use no AVX: what DYNAMIC_ARCH picks for CPUs it does not know. */
const SSE_ONLY_CORES = new Set([
  "prescott",
  "core2",
  "penryn",
  "dunnington",
  "nehalem",
  "atom",
  "opteron",
  "opteron_sse3",
  "barcelona",
  "bobcat",
]);

/**
 * Best OpenBLAS kernel family this CPU and OS can run, or null when unknown. Uses glibc's public
 * `<sys/platform/x86.h>` API (`__x86_get_cpuid_feature_leaf`, glibc >= 2.33), which reports
 * *usable* features (CPUID and OS register-state support), through FFI, so no extra permission
 * is needed (/proc/cpuinfo would need --allow-all in Deno).
 */
function cpuCoreType(): string | null {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") return null;
  let libc: Deno.DynamicLibrary<typeof LIBC_SYMBOLS>;
  try {
    libc = Deno.dlopen("libc.so.6", LIBC_SYMBOLS);
  } catch {
    return null;
  }
  try {
    const leaf = libc.symbols.__x86_get_cpuid_feature_leaf;
    if (!leaf) return null;
    // struct cpuid_feature { uint32 cpuid[4]; uint32 active[4]; } with registers eax, ebx, ecx,
    // edx; we read `active`. Leaf indices: 0 = CPUID 1, 1 = CPUID 7, 6 = CPUID (7, ecx=1).
    const active = (index: number, reg: number): number => {
      const p = leaf(index);
      return p ? new Deno.UnsafePointerView(p).getUint32(16 + 4 * reg) : 0;
    };
    const ecx1 = active(0, 2), ebx7 = active(1, 1), eax7s1 = active(6, 0);
    const bit = (x: number, b: number) => ((x >>> b) & 1) === 1;
    // Same feature tests OpenBLAS's dynamic.c applies to the CPUs it recognizes.
    const avx512 = bit(ebx7, 16) && bit(ebx7, 17) && bit(ebx7, 28) && bit(ebx7, 30) &&
      bit(ebx7, 31); // F, DQ, CD, BW, VL
    if (avx512) return bit(eax7s1, 5) ? "COOPERLAKE" : "SKYLAKEX"; // AVX512_BF16
    if (bit(ebx7, 5) && bit(ecx1, 12) && bit(ecx1, 28)) return "HASWELL"; // AVX2, FMA, AVX
    return null;
  } finally {
    libc.close();
  }
}

function coreName(lib: BlasLib): string {
  const fn = lib.symbols.openblas_get_corename;
  if (!fn) return "";
  const p = fn();
  return p ? Deno.UnsafePointerView.getCString(p) : "";
}

/**
 * Opens `path`; if it is an OpenBLAS that fell back to SSE-only kernels on an AVX CPU, reopens it
 * with OPENBLAS_CORETYPE set (the variable is read only when the library initializes).
 */
function openLibrary(path: string, fixCoreType: boolean): { lib: BlasLib; note: string } {
  const lib = Deno.dlopen(path, SYMBOLS);
  const detected = coreName(lib);
  if (!fixCoreType || !SSE_ONLY_CORES.has(detected.toLowerCase())) return { lib, note: "" };
  const want = cpuCoreType();
  if (!want) return { lib, note: "" };
  const envState = Deno.permissions.querySync({ name: "env", variable: "OPENBLAS_CORETYPE" }).state;
  if (envState !== "granted") {
    return {
      lib,
      note:
        ` (slow SSE-only ${detected} kernels on a CPU that runs ${want} ones: allow env access or ` +
        `set OPENBLAS_CORETYPE=${want} for about 4x the speed)`,
    };
  }
  if (Deno.env.get("OPENBLAS_CORETYPE") !== undefined) return { lib, note: "" }; // user's choice
  lib.close();
  Deno.env.set("OPENBLAS_CORETYPE", want);
  const again = Deno.dlopen(path, SYMBOLS);
  // If something else in the process holds the library, close() did not unload it and the
  // reopened handle still runs the old kernels; say so rather than claim a fix.
  const now = coreName(again);
  return {
    lib: again,
    note: SSE_ONLY_CORES.has(now.toLowerCase())
      ? ` (OpenBLAS runs SSE-only ${now} kernels; it was already loaded, so setting ` +
        `OPENBLAS_CORETYPE=${want} before start would be about 4x faster)`
      : ` (OpenBLAS detected ${detected}; forced OPENBLAS_CORETYPE=${want})`,
  };
}

function checkInt32(op: string, args: GemmArgs<Float32Array | Float64Array>): void {
  for (const f of ["m", "n", "k", "lda", "ldb", "ldc"] as const) {
    if (args[f] > INT_MAX) {
      throw new GemmArgsError(op, `${f}=${args[f]} exceeds the 32-bit BLAS integer range`, args);
    }
  }
}

/** Passes `arr` from `offset` on: a "buffer" FFI argument points at the view's first element. */
function from<T extends Float32Array | Float64Array>(arr: T, offset: number): T {
  return (offset === 0 ? arr : arr.subarray(offset)) as T;
}

function makeGemm(lib: BlasLib, library: string, threads: number, core: string): BlasGemm {
  const { cblas_sgemm, cblas_dgemm } = lib.symbols;
  function run<T extends Float32Array | Float64Array>(
    op: string,
    raw: GemmArgs<T>,
    call: typeof cblas_dgemm | typeof cblas_sgemm,
  ): void {
    checkGemmArgs(op, raw);
    checkInt32(op, raw);
    const args = foldBroadcastBatch(raw);
    const { m, n, k, batch, alpha, beta, a, b, c, lda, ldb, ldc } = args;
    if (m === 0 || n === 0 || batch === 0) return;
    if (k === 0 || alpha === 0) {
      // BLAS implementations differ on these degenerate cases (NaN handling, lda checks with
      // k = 0); do them here so every provider agrees exactly.
      for (let bi = 0; bi < batch; bi++) {
        scaleMatrix(c, args.cOffset + bi * args.strideC, m, n, ldc, beta);
      }
      return;
    }
    const ta = args.transA ? CBLAS_TRANS : CBLAS_NO_TRANS;
    const tb = args.transB ? CBLAS_TRANS : CBLAS_NO_TRANS;
    // One cblas call per matrix, in order: strideC = 0 then means sequential accumulation.
    for (let bi = 0; bi < batch; bi++) {
      call(
        CBLAS_ROW_MAJOR,
        ta,
        tb,
        m,
        n,
        k,
        alpha,
        from(a, args.aOffset + bi * args.strideA),
        lda,
        from(b, args.bOffset + bi * args.strideB),
        ldb,
        beta,
        from(c, args.cOffset + bi * args.strideC),
        ldc,
      );
    }
  }
  const base = library.split("/").pop() ?? library;
  return {
    name: `blas ${base}${core ? ` ${core}` : ""} (${threads} threads)`,
    library,
    threads,
    core,
    sgemm(args: GemmArgs<Float32Array>): void {
      run("sgemm", args, cblas_sgemm);
    },
    dgemm(args: GemmArgs<Float64Array>): void {
      run("dgemm", args, cblas_dgemm);
    },
  };
}

/**
 * Loads a native CBLAS GEMM, or returns null (see {@link blasStatus} for the reason).
 *
 * Tries `options.paths`, else `JOINTAG_BLAS` then {@link defaultBlasPaths}; the first library
 * that opens with both `cblas_sgemm` and `cblas_dgemm` wins. Each library is opened once per
 * process; the thread count is a process-wide setting of the library, so the latest call's
 * count applies to every {@link BlasGemm} from that library.
 *
 * @throws {BlasOptionError} when the thread count is not a positive integer.
 */
export function loadBlas(options: BlasOptions = {}): BlasGemm | null {
  const threads = resolveThreads(options);
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    lastStatus = { ok: false, reason: "native BLAS disabled: run with --allow-ffi to use it" };
    return null;
  }
  let paths = options.paths;
  if (!paths) {
    const env = readEnv("JOINTAG_BLAS");
    if (env?.toLowerCase() === "none") {
      lastStatus = { ok: false, reason: "native BLAS disabled by JOINTAG_BLAS=none" };
      return null;
    }
    paths = [...(env ? [env] : []), ...defaultBlasPaths()];
  }
  const failures: string[] = [];
  for (const path of paths) {
    let entry = opened.get(path);
    if (!entry) {
      try {
        entry = openLibrary(path, options.fixCoreType ?? true);
      } catch (e) {
        failures.push(`${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
        continue;
      }
      opened.set(path, entry);
    }
    const { lib, note } = entry;
    lib.symbols.openblas_set_num_threads?.(threads);
    const actual = lib.symbols.openblas_get_num_threads?.() ?? threads;
    const gemm = makeGemm(lib, path, actual, coreName(lib));
    const skipped = failures.length ? `; skipped ${failures.join("; ")}` : "";
    lastStatus = { ok: true, reason: `native BLAS: ${gemm.name} from ${path}${note}${skipped}` };
    return gemm;
  }
  lastStatus = {
    ok: false,
    reason: `native BLAS not found (tried ${failures.join("; ")})`,
  };
  return null;
}
