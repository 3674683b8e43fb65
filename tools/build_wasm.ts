/**
 * `deno task build:wasm`: compiles the AssemblyScript kernels in wasm/ (npm `assemblyscript`, a
 * pinned dev dependency) into the .wasm files committed beside them, then regenerates the module
 * the library imports them from (src/generated/wasm.ts, as `deno task build:assets` does). The
 * committed bytes are what runs: nothing is compiled at run time, and
 * test/backend/wasm_build_test.ts checks that a rebuild reproduces them.
 *
 *   deno task build:wasm           # writes wasm/*.wasm
 *   deno task build:wasm --check   # fails when a committed .wasm differs from a rebuild
 * @module
 */
import * as asc from "assemblyscript/asc";
import { WASM_MODULE, wasmModule } from "./build_assets.ts";

/** One output: the source, the .wasm it becomes, and the compiler flags that differ. */
export interface WasmTarget {
  source: string;
  output: string;
  flags: string[];
}

/** Flags of every build: optimized, no garbage collector (the kernels allocate nothing). */
const COMMON = ["-O3", "--runtime", "stub", "--noAssert", "--enable", "simd"];

/**
 * Flags of the builds that run on the CPU backend's shared heap memory
 * (src/backend/cpu/wasm_heap.ts): imported, shared, up to 4 GiB, declared with no minimum so any
 * heap memory fits.
 */
const HEAP_MEMORY = [
  ...["--enable", "threads", "--importMemory", "--sharedMemory"],
  ...["--initialMemory", "0", "--maximumMemory", "65536"],
];

/** The kernels, relative to the repository root. */
export const WASM_TARGETS: WasmTarget[] = [
  { source: "wasm/sgemm.as.ts", output: "wasm/sgemm.wasm", flags: [] },
  {
    source: "wasm/sgemm.as.ts",
    output: "wasm/sgemm_relaxed.wasm",
    flags: ["--enable", "relaxed-simd"],
  },
  // The same GEMM on the heap memory, for operands that lie there (no copies).
  { source: "wasm/sgemm.as.ts", output: "wasm/sgemm_heap.wasm", flags: HEAP_MEMORY },
  {
    source: "wasm/sgemm.as.ts",
    output: "wasm/sgemm_heap_relaxed.wasm",
    flags: [...HEAP_MEMORY, "--enable", "relaxed-simd"],
  },
  { source: "wasm/passes.as.ts", output: "wasm/passes.wasm", flags: [] },
  // The in-place passes run on the heap memory too.
  { source: "wasm/inplace.as.ts", output: "wasm/inplace.wasm", flags: HEAP_MEMORY },
];

/** Raised when the compiler reports an error. */
export class WasmBuildError extends Error {
  /**
   * @param target the output being built
   * @param detail the compiler's message
   */
  constructor(target: string, detail: string) {
    super(`${target}: ${detail}`);
    this.name = "WasmBuildError";
  }
}

const ROOT = new URL("../", import.meta.url);

/** Compiles one target (in memory) and returns its bytes. */
export async function compileWasm(target: WasmTarget): Promise<Uint8Array> {
  let bytes: Uint8Array | null = null;
  let stderr = "";
  const cwd = Deno.cwd();
  Deno.chdir(ROOT); // asc resolves the source against the working directory
  try {
    const r = await asc.main([target.source, "--outFile", "out.wasm", ...COMMON, ...target.flags], {
      writeFile(_name: string, contents: Uint8Array | string) {
        if (contents instanceof Uint8Array) bytes = contents;
      },
      stderr: { write: (s: string) => (stderr += s, true) } as never,
    });
    if (r.error) throw new WasmBuildError(target.output, `${r.error.message}\n${stderr}`);
  } finally {
    Deno.chdir(cwd);
  }
  if (!bytes) throw new WasmBuildError(target.output, "the compiler wrote no .wasm");
  return bytes;
}

/** Outputs whose committed bytes differ from a fresh build (empty when all match). */
export async function staleWasm(): Promise<string[]> {
  const stale: string[] = [];
  for (const t of WASM_TARGETS) {
    const built = await compileWasm(t);
    const committed = await Deno.readFile(new URL(t.output, ROOT)).catch(() => new Uint8Array());
    if (!equalBytes(built, committed)) stale.push(t.output);
  }
  return stale;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

if (import.meta.main) {
  if (Deno.args.includes("--check")) {
    const stale = await staleWasm();
    if (stale.length) {
      console.error(`stale (run deno task build:wasm): ${stale.join(", ")}`);
      Deno.exit(1);
    }
    console.log("wasm: committed bytes match a rebuild");
  } else {
    for (const t of WASM_TARGETS) {
      const bytes = await compileWasm(t);
      await Deno.writeFile(new URL(t.output, ROOT), bytes);
      console.log(`${t.output}: ${bytes.length} bytes`);
    }
    await Deno.writeTextFile(new URL(WASM_MODULE, ROOT), await wasmModule());
    console.log(`wrote ${WASM_MODULE}`);
  }
}
