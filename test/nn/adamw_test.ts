/**
 * AdamW: equal to torch.optim.AdamW (fixture from tools/adamw_fixture.py: decay and no-decay
 * groups, odd sizes, 3 steps) on both backends; and the grouped WebGPU kernel (several parameters
 * per dispatch, a parameter too large for one binding on its own, a clipping scale) equal to the
 * CPU's per-parameter kernel.
 */
import assert from "node:assert/strict";
import type { Backend } from "../../src/core/backend.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { createWebGPUBackendForTesting } from "../../src/backend/webgpu/webgpu_backend.ts";
import { Random } from "../../src/core/random.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { AdamW } from "../../src/nn/optim/adamw.ts";
import { tensor } from "../../src/ops/mod.ts";
import { gpu } from "../helpers/webgpu.ts";
import { relErr } from "../helpers/rel_err.ts";

interface Fixture {
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  no_decay: string[];
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  steps: { grads: Record<string, number[]>; params: Record<string, number[]> }[];
}

const fixture: Fixture = JSON.parse(await Deno.readTextFile("test/fixtures/nn/adamw.json"));

function setGrad(p: Tensor, g: Tensor): void {
  p.grad?.dispose();
  p.grad = g;
}

for (const name of ["cpu", "webgpu"]) {
  Deno.test({
    name: `AdamW matches torch.optim.AdamW over 3 steps (${name})`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const backend: Backend = name === "cpu" ? new CpuBackend() : await gpu();
      const params = Object.entries(fixture.shapes).map(([n, shape]): [string, Tensor] => [
        n,
        tensor(fixture.init[n], shape, { backend, requiresGrad: true }).keep(),
      ]);
      const opt = new AdamW(params, {
        lr: fixture.lr,
        betas: fixture.betas,
        eps: fixture.eps,
        weightDecay: fixture.weight_decay,
        noDecay: (n) => fixture.no_decay.includes(n),
      });
      for (const [s, step] of fixture.steps.entries()) {
        for (const [n, p] of params) {
          setGrad(p, tensor(step.grads[n], p.shape, { backend }).keep());
        }
        opt.step();
        for (const [n, p] of params) {
          const e = relErr(await p.data(), step.params[n]);
          assert.ok(e <= 2e-6, `step ${s + 1}, ${n}: rel err ${e}`);
        }
      }
      opt.dispose();
      for (const [, p] of params) {
        p.grad?.dispose();
        p.dispose();
      }
    },
  });
}

Deno.test({
  name: "grouped WebGPU AdamW (many parameters, split binding, clip scale) equals the CPU's",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // A 64 KiB binding limit sends the 20,000-element parameter through the chunked single kernel.
    // GPU kernel variants (grouped dispatches) even on a software adapter.
    const small =
      (await createWebGPUBackendForTesting({ maxBindingBytes: 65536, kernels: "gpu" }))!;
    const sizes = [20_000, 17, 42, 64, 8, 3, 128, 96, 5, 256, 12, 1, 384, 40, 7, 16, 30, 4];
    const run = async (backend: Backend) => {
      const r = new Random(3);
      const params = sizes.map((n, i): [string, Tensor] => [
        i % 3 === 0 ? `p${i}.bias` : `p${i}.weight`,
        tensor(Float32Array.from({ length: n }, () => r.normal()), [n], {
          backend,
          requiresGrad: true,
        }).keep(),
      ]);
      const opt = new AdamW(params, {
        lr: 0.02,
        weightDecay: 0.05,
        noDecay: (n) => n.endsWith("bias"),
      });
      for (let s = 0; s < 2; s++) {
        for (const [, p] of params) {
          const g = Float32Array.from({ length: p.size }, () => r.normal());
          setGrad(p, tensor(g, p.shape, { backend }).keep());
        }
        const scale = tensor([0.5], [1], { backend });
        opt.step(scale);
        scale.dispose();
      }
      const out = await Promise.all(params.map(([, p]) => p.data()));
      const state = await opt.state();
      opt.dispose();
      for (const [, p] of params) {
        p.grad?.dispose();
        p.dispose();
      }
      return { out, state };
    };
    const want = await run(new CpuBackend());
    const got = await run(small);
    small.dispose();
    got.out.forEach((x, i) => {
      const e = relErr(x, want.out[i]);
      assert.ok(e <= 1e-6, `parameter ${i} (${sizes[i]}): rel err ${e}`);
      const m = relErr(got.state.moments[i].v, want.state.moments[i].v);
      assert.ok(m <= 1e-6, `parameter ${i} v: rel err ${m}`);
    });
  },
});
