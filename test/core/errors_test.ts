/**
 * Bad input gives errors that name the op and the shapes, on both backends.
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { setBackend } from "../../src/core/engine.ts";
import { DTypeError, ShapeError } from "../../src/core/errors.ts";
import { add, crossEntropy, embedding, matmul, reshape, tensor, zeros } from "../../src/ops/mod.ts";
import { gpu } from "../helpers/webgpu.ts";

for (const name of ["cpu", "webgpu"]) {
  Deno.test({
    name: `bad input errors name the op and shapes (${name})`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      setBackend(name === "cpu" ? new CpuBackend() : await gpu());
      const a = zeros([2, 3]);
      const b = zeros([4, 5]);
      assert.throws(
        () => add(a, b),
        (e: Error) => e instanceof ShapeError && /add.*\[2, 3\].*\[4, 5\]/.test(e.message),
      );
      assert.throws(
        () => matmul(a, b),
        (e: Error) => e instanceof ShapeError && /matmul.*\[2, 3\].*\[4, 5\]/.test(e.message),
      );
      assert.throws(() => reshape(a, [4, 2]), /reshape: cannot reshape \[2, 3\] to \[4, 2\]/);
      const ids = tensor(Int32Array.from([0, 7]), [2]);
      assert.throws(
        () => embedding(b, ids),
        (e: Error) => e instanceof ShapeError && /id 7 .*\[4, 5\]/.test(e.message),
      );
      assert.throws(
        () => embedding(b, a),
        (e: Error) =>
          e instanceof DTypeError && /embedding.*ids \[2, 3\] must be i32/.test(e.message),
      );
      const t = tensor(Int32Array.from([0, 9]), [2]);
      assert.throws(
        () => crossEntropy(zeros([2, 3]), t),
        /crossEntropy: target 9 .*logits \[2, 3\]/,
      );
      assert.throws(() => tensor([1, 2, 3], [2, 2]), /tensor: 3 values do not fill shape \[2, 2\]/);
    },
  });
}
