/**
 * Reference implementation of the benchmarked training step in TF.js 4.22 (dev-only): the same
 * BERT (post-LN, exact-erf GELU, additive padding mask, dropout 0.1 inside, 0.3 before the heads),
 * the same two heads, loss (mean of the two masked cross-entropies), inputs (bench/bench_inputs.ts)
 * and AdamW (TF.js's Adam plus the decoupled weight decay applied by hand, as torch.optim.AdamW:
 * p ← p·(1 − lr·wd) before the Adam update, no decay on biases and LayerNorm weights).
 * @module
 */
import type { BenchInputs, ModelShape } from "../bench_inputs.ts";
import type { Tf } from "./load_tfjs.ts";

/** A built TF.js model and optimizer, ready to step. */
export interface TfjsStep {
  /** Runs one step, waits for the device, returns the loss. */
  step(): Promise<number>;
  parameters: number;
  dispose(): void;
}

/** Seeded normal init (TF.js's own seeded initializer). */
function normal(tf: Tf, shape: number[], seed: number) {
  return tf.randomNormal(shape, 0, 0.02, "float32", seed);
}

/** Variable names are global in TF.js: each build gets its own prefix. */
let builds = 0;

/** Builds the TF.js model of `shape` on TF.js's current backend. */
export function buildTfjsStep(tf: Tf, shape: ModelShape, inputs: BenchInputs): TfjsStep {
  const { batch: b, seq: t } = inputs;
  const h = shape.hidden;
  const nh = shape.heads;
  const d = h / nh;
  const vars: { name: string; v: Tf; decay: boolean }[] = [];
  let seed = 1;
  const prefix = `${shape.name}_${builds++}/`;
  const weight = (name: string, s: number[]) => {
    const v = tf.variable(normal(tf, s, seed++), true, prefix + name);
    vars.push({ name, v, decay: true });
    return v;
  };
  const bias = (name: string, n: number, value = 0) => {
    const v = tf.variable(tf.fill([n], value), true, prefix + name);
    vars.push({ name, v, decay: false });
    return v;
  };
  const linear = (name: string, i: number, o: number) => ({
    w: weight(`${name}.weight`, [i, o]),
    b: bias(`${name}.bias`, o),
  });
  const layerNorm = (name: string) => ({
    g: bias(`${name}.weight`, h, 1),
    b: bias(`${name}.bias`, h),
  });
  const wordEmb = weight("word_embeddings", [shape.vocab, h]);
  const posEmb = weight("position_embeddings", [512, h]);
  const typeEmb = weight("token_type_embeddings", [2, h]);
  const embLn = layerNorm("embeddings.LayerNorm");
  const layers = Array.from({ length: shape.layers }, (_, l) => ({
    q: linear(`l${l}.query`, h, h),
    k: linear(`l${l}.key`, h, h),
    v: linear(`l${l}.value`, h, h),
    ao: linear(`l${l}.attention.output.dense`, h, h),
    aln: layerNorm(`l${l}.attention.output.LayerNorm`),
    up: linear(`l${l}.intermediate.dense`, h, shape.intermediate),
    down: linear(`l${l}.output.dense`, shape.intermediate, h),
    oln: layerNorm(`l${l}.output.LayerNorm`),
  }));
  const ner = linear("ner", h, inputs.nerLabels);
  const pos = linear("pos", h, inputs.posLabels);

  const ids = tf.tensor2d(inputs.ids, [b, t], "int32");
  const positions = tf.range(0, t, 1, "int32");
  const types = tf.zeros([b * t], "int32");
  // Additive mask [B, 1, 1, T]: 0 for tokens, float32 min for padding (HF's extended mask).
  const extMask = tf.tensor4d(
    Float32Array.from(inputs.mask, (m) => (m ? 0 : -3.4028234663852886e38)),
    [b, 1, 1, t],
  );
  const labels = (y: Int32Array, n: number) => {
    const valid = Float32Array.from(y, (v) => (v >= 0 ? 1 : 0));
    const safe = Int32Array.from(y, (v) => (v >= 0 ? v : 0));
    const count = valid.reduce((s, v) => s + v, 0);
    return {
      onehot: tf.oneHot(tf.tensor1d(safe, "int32"), n),
      weight: tf.tensor2d(valid, [b * t, 1]).div(count),
    };
  };
  const nerY = labels(inputs.ner, inputs.nerLabels);
  const posY = labels(inputs.pos, inputs.posLabels);

  const dense = (x: Tf, p: { w: Tf; b: Tf }) => tf.add(tf.matMul(x, p.w), p.b);
  const ln = (x: Tf, p: { g: Tf; b: Tf }) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-12))), p.g), p.b);
  };
  const gelu = (x: Tf) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  const heads = (x: Tf) => tf.transpose(tf.reshape(x, [b, t, nh, d]), [0, 2, 1, 3]);
  const ce = (logits: Tf, y: { onehot: Tf; weight: Tf }) =>
    tf.sum(tf.mul(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), y.onehot), -1, true)), y.weight));

  const loss = () => {
    const emb = tf.add(
      tf.add(tf.gather(wordEmb, tf.reshape(ids, [b * t])), tf.gather(typeEmb, types)),
      tf.tile(tf.gather(posEmb, positions), [b, 1]),
    );
    let x = tf.dropout(ln(emb, embLn), 0.1); // [B·T, H]
    for (const L of layers) {
      const q = heads(dense(x, L.q));
      const k = heads(dense(x, L.k));
      const v = heads(dense(x, L.v));
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)), extMask);
      const probs = tf.dropout(tf.softmax(scores), 0.1);
      const ctx = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [b * t, h]);
      const a = ln(tf.add(tf.dropout(dense(ctx, L.ao), 0.1), x), L.aln);
      const f = dense(gelu(dense(a, L.up)), L.down);
      x = ln(tf.add(tf.dropout(f, 0.1), a), L.oln);
    }
    const hd = tf.dropout(x, 0.3);
    return tf.mul(tf.add(ce(dense(hd, ner), nerY), ce(dense(hd, pos), posY)), 0.5);
  };

  const lr = 5e-5;
  const wd = 0.01;
  const adam = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  const varList = vars.map((x) => x.v);
  return {
    parameters: vars.reduce((n, x) => n + x.v.size, 0),
    async step(): Promise<number> {
      const l = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, varList);
        // Decoupled decay first, as torch.optim.AdamW does.
        for (const x of vars) if (x.decay) x.v.assign(tf.mul(x.v, 1 - lr * wd));
        adam.applyGradients(grads);
        return value;
      });
      const v = (await l.data())[0];
      l.dispose();
      return v;
    },
    dispose(): void {
      adam.dispose();
      for (const x of vars) x.v.dispose();
      for (
        const x of [
          ids,
          positions,
          types,
          extMask,
          nerY.onehot,
          nerY.weight,
          posY.onehot,
          posY.weight,
        ]
      ) {
        x.dispose();
      }
    },
  };
}
