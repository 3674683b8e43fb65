/**
 * The native BLAS of the test suite (src/io/deno/blas.ts). Tests FAIL when it does not load — CI
 * installs OpenBLAS so the fast CPU path is always tested — unless JOINTAG_ALLOW_NO_BLAS=1, which
 * turns the BLAS checks into a warning (machines without the library).
 * @module
 */
import type { Gemm } from "../../src/backend/cpu/gemm.ts";
import { blasStatus, loadBlas } from "../../src/io/deno/blas.ts";

/** The loaded BLAS GEMM, or null (with a warning) where JOINTAG_ALLOW_NO_BLAS=1 allows its absence. */
export function requireBlas(): Gemm | null {
  const g = loadBlas();
  if (g) return g;
  if (Deno.env.get("JOINTAG_ALLOW_NO_BLAS") === "1") {
    console.warn(`skipping native BLAS checks: ${blasStatus().reason}`);
    return null;
  }
  throw new Error(
    `loadBlas() returned null: ${blasStatus().reason} (set JOINTAG_ALLOW_NO_BLAS=1 to allow)`,
  );
}
