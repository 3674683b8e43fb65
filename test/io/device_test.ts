/**
 * chooseBackend: BLAS when it loads, the WebAssembly GEMM with a one-line notice when it does not
 * (a library path that does not exist stands in for a machine without OpenBLAS); createBackend's
 * ranking of the CPU GEMMs against WebGPU.
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { jsGemm } from "../../src/backend/cpu/gemm_js.ts";
import { createBackend } from "../../src/backend/select.ts";
import { noBlas, optionalBlas } from "../helpers/blas.ts";
import { blasHint, chooseBackend } from "../../src/io/deno/device.ts";

Deno.test("chooseBackend(cpu) without a BLAS library: the WASM GEMM, named, and a notice", async () => {
  const c = await chooseBackend("cpu", { paths: ["/nonexistent/libjointag_no_blas.so"] });
  try {
    assert.ok(c.backend instanceof CpuBackend);
    assert.match((c.backend as CpuBackend).gemm.name, /^wasm simd128/);
    assert.equal(c.blas, null);
    assert.ok(c.notice, "a notice is given");
    assert.match(c.notice!, /WebAssembly SIMD matmuls .*libjointag_no_blas\.so/);
    assert.ok(c.notice!.includes(blasHint()), c.notice!);
    assert.equal(c.notice!.split("\n").length, 1);
    assert.match(c.reason, /CPU with wasm simd128.*requested; no native BLAS/);
  } finally {
    c.backend.dispose();
  }
});

Deno.test("createBackend(auto): native BLAS > WASM GEMM > a software adapter > TypeScript", async () => {
  const fake = (name: string) => ({ name, sgemm: jsGemm.sgemm, dgemm: jsGemm.dgemm });
  const both = await createBackend("auto", { gemm: fake("native"), wasmGemm: fake("wasm") });
  const wasm = await createBackend("auto", { wasmGemm: fake("wasm"), gemmUnavailable: "none" });
  const neither = await createBackend("cpu");
  try {
    for (const [c, want] of [[both, "native"], [wasm, "wasm"]] as const) {
      if (!(c.backend instanceof CpuBackend)) {
        // Only a real GPU outranks the CPU paths.
        assert.match(c.reason, /WebGPU on a GPU/);
        continue;
      }
      assert.equal(c.backend.gemm.name, want);
      assert.match(c.reason, new RegExp(`CPU with ${want}`));
    }
    assert.match(wasm.reason, /no native BLAS \(none\)/);
    assert.equal((neither.backend as CpuBackend).gemm, jsGemm);
    assert.match(neither.reason, /TypeScript GEMM/);
  } finally {
    for (const c of [both, wasm, neither]) c.backend.dispose();
  }
});

const blas = optionalBlas();

Deno.test({
  name: "chooseBackend(cpu) with the system BLAS: no notice, the BLAS GEMM in the backend",
  ignore: noBlas(blas),
  async fn() {
    const c = await chooseBackend("cpu");
    assert.ok(c.backend instanceof CpuBackend);
    assert.equal(c.notice, null);
    assert.ok(c.blas);
    assert.equal((c.backend as CpuBackend).gemm, c.blas);
    assert.match(c.reason, /blas/);
  },
});
