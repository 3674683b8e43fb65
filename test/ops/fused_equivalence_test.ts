/**
 * Fused ops equal the unfused compositions they replace, forward and backward, on both backends:
 * `residualLayerNorm` = layerNorm(dropout(x) + residual) with the same seed, and the in-place head
 * matmuls = reshape/permute + batched matmul (BERT attention before the fusion).
 */
import assert from "node:assert/strict";
import type { Backend } from "../../src/core/backend.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { tidy } from "../../src/core/engine.ts";
import { Random } from "../../src/core/random.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import * as ops from "../../src/ops/mod.ts";
import { gpu } from "../helpers/webgpu.ts";
import { relErr } from "../helpers/rel_err.ts";

function randomTensor(backend: Backend, shape: readonly number[], seed: number): Tensor {
  const r = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return ops.tensor(Float32Array.from({ length: n }, () => r.normal()), shape, {
    backend,
    requiresGrad: true,
  });
}

/** Output and input gradients of `f` (loss = Σ output · weights, fixed pseudo-random weights). */
async function run(
  backend: Backend,
  shapes: number[][],
  f: (...xs: Tensor[]) => Tensor,
): Promise<Float32Array[]> {
  const xs = shapes.map((s, i) => randomTensor(backend, s, 10 + i));
  const out = tidy(() => {
    const y = f(...xs);
    const w = randomTensor(backend, y.shape, 99);
    ops.sum(ops.mul(y, w)).backward();
    return y;
  });
  const result = [await out.data(), ...await Promise.all(xs.map((x) => x.grad!.data()))];
  out.dispose();
  for (const x of xs) x.dispose();
  return result as Float32Array[];
}

async function expectSame(
  name: string,
  shapes: number[][],
  fused: (...xs: Tensor[]) => Tensor,
  unfused: (...xs: Tensor[]) => Tensor,
) {
  for (const backend of [new CpuBackend(), await gpu()]) {
    const a = await run(backend, shapes, fused);
    const b = await run(backend, shapes, unfused);
    a.forEach((x, i) => {
      const e = relErr(x, b[i]);
      assert.ok(
        e <= 1e-5,
        `${name} on ${backend.name}: ${i === 0 ? "output" : `grad ${i - 1}`} ${e}`,
      );
    });
  }
}

Deno.test({
  name: "residualLayerNorm equals layerNorm(dropout(x) + residual) with the same seed",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    expectSame(
      "residualLayerNorm",
      [[3, 5, 16], [3, 5, 16], [16], [16]],
      (x, r, g, b) => ops.residualLayerNorm(x, r, g, b, 1e-12, { p: 0.25, seed: 77 }),
      (x, r, g, b) => ops.layerNorm(ops.add(ops.dropout(x, 0.25, { seed: 77 }), r), g, b, 1e-12),
    ),
});

Deno.test({
  name: "attentionScores/attentionContext equal split-heads permute + matmul",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const [b, t, heads, d] = [2, 6, 3, 4];
    const split = (x: Tensor) => ops.permute(ops.reshape(x, [b, t, heads, d]), [0, 2, 1, 3]); // [B, h, T, d]
    await expectSame(
      "attentionScores",
      [[b, t, heads * d], [b, t, heads * d]],
      (q, k) => ops.attentionScores(q, k, heads, 0.5),
      (q, k) => ops.mulScalar(ops.matmul(split(q), split(k), { transB: true }), 0.5),
    );
    await expectSame(
      "attentionContext",
      [[b, heads, t, t], [b, t, heads * d]],
      (p, v) => ops.attentionContext(p, v, heads),
      (p, v) => ops.reshape(ops.permute(ops.matmul(p, split(v)), [0, 2, 1, 3]), [b, t, heads * d]),
    );
  },
});
