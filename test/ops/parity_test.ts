/**
 * Parity of every op's forward and backward (relative error ≤ 1e-4 in f32) between the CPU backend
 * with the TypeScript GEMM (reference), the real WebGPU backend (Mesa's software adapter here), the
 * CPU backend with the WebAssembly GEMM and, where OpenBLAS is installed, with the native BLAS, over
 * the same op table as the gradient checks.
 */
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { tidy } from "../../src/core/engine.ts";
import { Random } from "../../src/core/random.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { mul, sum, tensor } from "../../src/ops/mod.ts";
import { opCases } from "./op_cases.ts";
import { gpu } from "../helpers/webgpu.ts";
import { noBlas, optionalBlas } from "../helpers/blas.ts";
import { relErr } from "../helpers/rel_err.ts";
import { createWasmGemm } from "../../src/backend/cpu/wasm_gemm.ts";

const cpu = new CpuBackend();
const blas = optionalBlas();
const cpuBlas = blas ? new CpuBackend({ gemm: blas }) : null;
const cpuWasm = new CpuBackend({ gemm: createWasmGemm() ?? undefined });

function build(backend: Backend, ci: number): Tensor[] {
  return opCases[ci].inputs.map((s, i) => {
    if (s.ints) return tensor(Int32Array.from(s.ints), s.shape, { backend, dtype: "i32" });
    const r = new Random(ci * 100 + i);
    const n = s.shape.reduce((a, b) => a * b, 1);
    const d = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      d[j] = s.noGrad
        ? (r.uniform() < 0.3 ? -10000 : 0)
        : (s.shift ?? 0) + (s.scale ?? 1) * r.normal();
    }
    return tensor(d, s.shape, { backend, requiresGrad: !s.noGrad });
  });
}

interface CaseResult {
  y: ArrayLike<number>;
  grads: (ArrayLike<number> | null)[];
}

async function runCase(backend: Backend, ci: number): Promise<CaseResult> {
  const c = opCases[ci];
  const inputs = build(backend, ci);
  const out = tidy(() => c.f(...inputs));
  const w = tensor(
    new Random(99).shuffle(Array.from({ length: out.size }, (_, i) => (i % 7) - 3)),
    out.shape,
    { backend },
  );
  const loss = tidy(() => sum(mul(out, w)));
  loss.backward();
  const y = await out.data();
  const grads = await Promise.all(
    inputs.map((t) => t.grad ? t.grad.data() : Promise.resolve(null)),
  );
  for (const t of [...inputs, out, w, loss]) {
    t.grad?.dispose();
    t.dispose();
  }
  return { y, grads };
}

function expectParity(name: string, a: CaseResult, b: CaseResult): void {
  const e = relErr(b.y, a.y);
  if (!(e <= 1e-4)) throw new Error(`${name}: forward rel err ${e}`);
  a.grads.forEach((ga, i) => {
    const gb = b.grads[i];
    if ((ga === null) !== (gb === null)) throw new Error(`${name}: grad ${i} presence differs`);
    if (ga && gb) {
      const eg = relErr(gb, ga);
      if (!(eg <= 1e-4)) throw new Error(`${name}: grad ${i} rel err ${eg}`);
    }
  });
}

for (const [ci, c] of opCases.entries()) {
  Deno.test({
    name: `parity cpu vs webgpu and cpu-wasm: ${c.name}`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const reference = await runCase(cpu, ci);
      expectParity(`${c.name} (webgpu)`, reference, await runCase(await gpu(), ci));
      expectParity(`${c.name} (cpu-wasm)`, reference, await runCase(cpuWasm, ci));
    },
  });
}

Deno.test({
  name: "parity cpu vs cpu-blas: every op",
  ignore: noBlas(blas),
  fn: async () => {
    for (const [ci, c] of opCases.entries()) {
      expectParity(`${c.name} (cpu-blas)`, await runCase(cpu, ci), await runCase(cpuBlas!, ci));
    }
  },
});

Deno.test({
  name: "WebGPU splits element-wise work whose tensors exceed one storage binding",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { createWebGPUBackendForTesting } = await import(
      "../../src/backend/webgpu/webgpu_backend.ts"
    );
    const { dropout, add } = await import("../../src/ops/mod.ts");
    // A 64 KiB binding limit makes a 40,000-element tensor take three chunks.
    const small = (await createWebGPUBackendForTesting({ maxBindingBytes: 65536 }))!;
    const n = 40_000;
    const r = new Random(5);
    const xa = Float32Array.from({ length: n }, () => r.normal());
    const ya = Float32Array.from({ length: n }, () => r.normal());
    for (
      const [name, f] of [
        ["add", (x: Tensor, y: Tensor) => add(x, y)],
        ["dropout", (x: Tensor) => dropout(x, 0.5, { seed: 3 })],
      ] as const
    ) {
      const want = await tidy(() =>
        f(tensor(xa, [n], { backend: cpu }), tensor(ya, [n], { backend: cpu }))
      ).data();
      const got = await tidy(() =>
        f(tensor(xa, [n], { backend: small }), tensor(ya, [n], { backend: small }))
      ).data();
      const e = relErr(got, want);
      if (!(e <= 1e-6)) throw new Error(`${name}: rel err ${e} with split bindings`);
    }
    // More than 65,535 workgroups of 256 threads: the launch is split over a 2-D grid.
    const big = 65_536 * 256 + 3;
    const ones = tensor(new Float32Array(big).fill(1), [big], { backend: await gpu() });
    const two = await tidy(() => add(ones, ones)).data();
    if (two[0] !== 2 || two[big - 1] !== 2 || two[big >> 1] !== 2) {
      throw new Error("2-D grid split failed");
    }
    small.dispose();
  },
});

Deno.test({
  name: "linear with fused GELU (evaluation) equals gelu(linear) on both backends",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { linear, gelu } = await import("../../src/ops/mod.ts");
    const { noGrad } = await import("../../src/core/engine.ts");
    const r = new Random(17);
    const xs = Float32Array.from({ length: 5 * 7 * 33 }, () => r.normal());
    const ws = Float32Array.from({ length: 37 * 33 }, () => 0.3 * r.normal());
    const bs = Float32Array.from({ length: 37 }, () => r.normal());
    const want = await tidy(() =>
      gelu(
        linear(
          tensor(xs, [5, 7, 33], { backend: cpu }),
          tensor(ws, [37, 33], { backend: cpu }),
          tensor(bs, [37], { backend: cpu }),
        ),
      )
    ).data();
    for (const b of [cpu, await gpu()]) {
      const got = await noGrad(() =>
        tidy(() =>
          linear(
            tensor(xs, [5, 7, 33], { backend: b }),
            tensor(ws, [37, 33], { backend: b }),
            tensor(bs, [37], { backend: b }),
            {
              activation: "gelu",
            },
          )
        )
      ).data();
      const e = relErr(got, want);
      if (!(e <= 1e-5)) throw new Error(`${b.name}: fused GELU rel err ${e}`);
    }
  },
});
