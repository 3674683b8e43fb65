/**
 * Reverse-mode semantics: accumulation across backward calls, noGrad, detach, freed graphs,
 * tidy scopes, and a graph that is dropped without backward releasing its saved buffers.
 */
import assert from "node:assert/strict";
import { CpuBackend } from "../../src/backend/cpu/cpu_backend.ts";
import { isGradEnabled, noGrad, setBackend, tidy } from "../../src/core/engine.ts";
import { AutogradError } from "../../src/core/errors.ts";
import { add, exp, mul, sum, tensor } from "../../src/ops/mod.ts";

const cpu = new CpuBackend();
setBackend(cpu);

Deno.test("gradients accumulate across backward() calls", async () => {
  setBackend(cpu);
  const x = tensor([1, 2, 3], [3], { requiresGrad: true });
  for (let i = 0; i < 2; i++) tidy(() => sum(mul(x, x)).backward());
  assert.deepEqual(Array.from(await x.grad!.data()), [4, 8, 12]);
  x.grad!.dispose();
  x.dispose();
});

Deno.test("noGrad records nothing and restores after async work", async () => {
  setBackend(cpu);
  const x = tensor([1, 2], [2], { requiresGrad: true });
  const y = noGrad(() => exp(x));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.node, null);
  await noGrad(async () => {
    await Promise.resolve();
    assert.equal(isGradEnabled(), false);
  });
  assert.equal(isGradEnabled(), true);
  x.dispose();
  y.dispose();
});

Deno.test("detach cuts the graph", async () => {
  setBackend(cpu);
  const x = tensor([2], [1], { requiresGrad: true });
  const y = tidy(() => add(mul(x, x.detach()), x));
  tidy(() => sum(y).backward());
  assert.deepEqual(Array.from(await x.grad!.data()), [3]); // d/dx (x·c + x) = c + 1
});

Deno.test("a second backward through a freed graph is an error that names the op", () => {
  setBackend(cpu);
  const x = tensor([1, 2], [2], { requiresGrad: true });
  const y = exp(x);
  const l1 = sum(y);
  l1.backward();
  const l2 = sum(y);
  assert.throws(
    () => l2.backward(),
    (e: Error) => e instanceof AutogradError && /exp/.test(e.message),
  );
});

Deno.test("tidy frees intermediates, keeps returned tensors; dropped graphs free saved buffers", () => {
  setBackend(cpu);
  const before = cpu.memory().liveBuffers;
  const x = tensor([1, 2, 3], [3], { requiresGrad: true });
  const kept = tidy(() => {
    const a = exp(x);
    const b = mul(a, a);
    return sum(b);
  });
  // x, kept and the buffers the graph saved for backward (exp's output, mul's inputs) are alive.
  assert.ok(cpu.memory().liveBuffers > before + 2);
  kept.dispose();
  assert.equal(cpu.memory().liveBuffers, before + 1);
  x.dispose();
  assert.equal(cpu.memory().liveBuffers, before);
});
