/**
 * The native BLAS of the test suite (src/io/deno/blas.ts), an optional component: tests that need
 * it pass `ignore: noBlas(blas)` and are skipped, with the install command in the suite's summary,
 * where it does not load (test/helpers/optional.ts; JOINTAG_STRICT=1 makes that a failure).
 * @module
 */
import type { Gemm } from "../../src/backend/cpu/gemm.ts";
import { blasStatus, loadBlas } from "../../src/io/deno/blas.ts";
import { without } from "./optional.ts";

/** The loaded BLAS GEMM, or null where no library loads. */
export function optionalBlas(): Gemm | null {
  return loadBlas();
}

/** The `ignore` value of a test that needs the BLAS `g` (true, recorded, when it is null). */
export function noBlas(g: Gemm | null): boolean {
  return without("openblas", g, g ? "" : blasStatus().reason);
}
