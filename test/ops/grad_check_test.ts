import { Random } from "../../src/core/random.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { tensor } from "../../src/ops/mod.ts";
import { f64, gradCheck, leaf } from "../helpers/grad_check.ts";
import { opCases } from "./op_cases.ts";

for (const [ci, c] of opCases.entries()) {
  Deno.test(`grad check (f64 CPU): ${c.name}`, () => {
    const inputs: Tensor[] = c.inputs.map((s, i) => {
      if (s.ints) return tensor(Int32Array.from(s.ints), s.shape, { backend: f64, dtype: "i32" });
      const t = leaf(s.shape, ci * 100 + i, s.scale ?? 1, s.shift ?? 0);
      if (s.noGrad) {
        t.requiresGrad = false;
        // masks: 0 or -10000 like BERT's extended attention mask
        const d = t.handle as Float64Array;
        const r = new Random(i);
        for (let j = 0; j < d.length; j++) d[j] = r.uniform() < 0.3 ? -10000 : 0;
      }
      return t;
    });
    gradCheck(c.name, c.f, inputs, c.tol ?? 1e-6);
    for (const t of inputs) t.dispose();
  });
}
