/**
 * chooseBackend: BLAS when it loads, the plain TypeScript GEMM with a one-line notice when it
 * does not (a library path that does not exist stands in for a machine without OpenBLAS).
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { jsGemm } from "../../src/backend/cpu/gemm_js.ts";
import { noBlas, optionalBlas } from "../helpers/blas.ts";
import { blasHint, chooseBackend } from "../../src/io/deno/device.ts";

Deno.test("chooseBackend(cpu) without a BLAS library: TypeScript GEMM and a notice", async () => {
  const c = await chooseBackend("cpu", { paths: ["/nonexistent/libjointag_no_blas.so"] });
  assert.ok(c.backend instanceof CpuBackend);
  assert.equal((c.backend as CpuBackend).gemm, jsGemm);
  assert.equal(c.blas, null);
  assert.ok(c.notice, "a notice is given");
  assert.match(c.notice!, /libjointag_no_blas\.so/);
  assert.ok(c.notice!.includes(blasHint()), c.notice!);
  assert.equal(c.notice!.split("\n").length, 1);
  assert.match(c.reason, /TypeScript GEMM/);
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
