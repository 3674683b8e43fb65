/**
 * A small MLP learns XOR and a 3-class spiral-like toy problem to ≥ 99% accuracy on both backends,
 * and the WebGPU backend's live buffer bytes stay flat over 200 training steps.
 */
import assert from "node:assert/strict";
import type { Backend } from "../../src/core/backend.ts";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { setBackend, tidy } from "../../src/core/engine.ts";
import { Random } from "../../src/core/random.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { crossEntropy, tanh, tensor } from "../../src/ops/mod.ts";
import { AdamW, Linear, Module } from "../../src/nn/mod.ts";
import { gpu } from "../helpers/webgpu.ts";

class Mlp extends Module {
  l1: Linear;
  l2: Linear;
  constructor(inp: number, hidden: number, out: number, random: Random) {
    super();
    this.l1 = this.child("l1", new Linear(inp, hidden, { random }));
    this.l2 = this.child("l2", new Linear(hidden, out, { random }));
  }
  forward(x: Tensor): Tensor {
    return this.l2.forward(tanh(this.l1.forward(x)));
  }
}

function blobs(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  // Three interleaved rings: not linearly separable.
  const r = new Random(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const radius = 0.5 + c + 0.15 * r.normal();
    const a = r.uniform() * 2 * Math.PI;
    x[2 * i] = radius * Math.cos(a);
    x[2 * i + 1] = radius * Math.sin(a);
    y[i] = c;
  }
  return { x, y };
}

async function train(
  backend: Backend,
  x: Float32Array,
  y: Int32Array,
  classes: number,
  steps: number,
) {
  setBackend(backend);
  const n = y.length;
  const model = new Mlp(2, 16, classes, new Random(3));
  const opt = new AdamW(model.namedParameters(), { lr: 0.05, weightDecay: 0 });
  const xs = tensor(x, [n, 2]);
  const ys = tensor(y, [n]);
  const sizes: number[] = [];
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      const loss = crossEntropy(model.forward(xs), ys);
      loss.backward();
      opt.step();
      model.zeroGrad();
    });
    if (s >= 1) sizes.push(backend.memory().liveBytes);
  }
  const logits = await tidy(() => model.forward(xs)).data();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    }
    if (best === y[i]) correct++;
  }
  model.dispose();
  opt.dispose();
  xs.dispose();
  ys.dispose();
  return { accuracy: correct / n, sizes };
}

const XOR_X = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
const XOR_Y = Int32Array.from([0, 1, 1, 0]);

Deno.test("MLP learns XOR on the CPU backend", async () => {
  const { accuracy } = await train(new CpuBackend(), XOR_X, XOR_Y, 2, 200);
  assert.equal(accuracy, 1);
});

Deno.test(
  "MLP learns XOR on the WebGPU backend",
  { sanitizeResources: false, sanitizeOps: false },
  async () => {
    const { accuracy } = await train(await gpu(), XOR_X, XOR_Y, 2, 200);
    assert.equal(accuracy, 1);
  },
);

Deno.test("MLP reaches ≥ 99% on three rings, CPU and WebGPU", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const { x, y } = blobs(300, 11);
  for (const b of [new CpuBackend(), await gpu()]) {
    const { accuracy } = await train(b, x, y, 3, 300);
    assert.ok(accuracy >= 0.99, `${b.name}: accuracy ${accuracy}`);
  }
});

Deno.test("WebGPU live bytes stay flat over 200 training steps", {
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const { x, y } = blobs(60, 5);
  const { sizes } = await train(await gpu(), x, y, 3, 201);
  assert.equal(
    Math.max(...sizes),
    Math.min(...sizes),
    `live bytes varied: ${Math.min(...sizes)}..${Math.max(...sizes)}`,
  );
});
