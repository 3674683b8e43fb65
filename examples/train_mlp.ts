/**
 * A small end-to-end example: a two-layer MLP learns three interleaved rings on the best available
 * backend (`createBackend("auto")`), printing the loss as it goes.
 *
 *   deno run -A examples/train_mlp.ts
 * @module
 */
import {
  AdamW,
  createBackend,
  crossEntropy,
  Linear,
  Module,
  Random,
  setBackend,
  tanh,
  type Tensor,
  tensor,
  tidy,
} from "../mod.ts";

class Mlp extends Module {
  l1: Linear;
  l2: Linear;
  constructor(random: Random) {
    super();
    this.l1 = this.child("l1", new Linear(2, 32, { random }));
    this.l2 = this.child("l2", new Linear(32, 3, { random }));
  }
  forward(x: Tensor): Tensor {
    return this.l2.forward(tanh(this.l1.forward(x)));
  }
}

const { backend, reason } = await createBackend("auto");
setBackend(backend);
console.log(`device: ${reason}`);

const r = new Random(0);
const n = 600;
const xs = new Float32Array(n * 2);
const ys = new Int32Array(n);
for (let i = 0; i < n; i++) {
  const c = i % 3;
  const radius = 0.5 + c + 0.15 * r.normal();
  const a = r.uniform() * 2 * Math.PI;
  xs[2 * i] = radius * Math.cos(a);
  xs[2 * i + 1] = radius * Math.sin(a);
  ys[i] = c;
}
const x = tensor(xs, [n, 2]);
const y = tensor(ys, [n]);
const model = new Mlp(new Random(1));
const opt = new AdamW(model.namedParameters(), { lr: 0.03, weightDecay: 0 });
for (let step = 0; step <= 300; step++) {
  const loss = tidy(() => {
    const l = crossEntropy(model.forward(x), y);
    l.backward();
    opt.step();
    model.zeroGrad();
    return l;
  });
  if (step % 50 === 0) console.log(`step ${step}: loss ${(await loss.item()).toFixed(4)}`);
  loss.dispose();
}
