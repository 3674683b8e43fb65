import assert from "node:assert/strict";
import { Random } from "../../src/core/random.ts";

Deno.test("Random.skipNormals / skipUniforms leave the generator where the draws would", () => {
  for (const spareFirst of [false, true]) {
    for (const n of [0, 1, 2, 3, 7, 1000, 1001]) {
      const drawn = new Random(5), skipped = new Random(5);
      if (spareFirst) {
        drawn.normal();
        skipped.normal();
      }
      for (let i = 0; i < n; i++) drawn.normal();
      skipped.skipNormals(n);
      const next = (r: Random) => [r.normal(), r.normal(), r.normal(), r.uniform()];
      assert.deepEqual(next(skipped), next(drawn), `n ${n}, spare first ${spareFirst}`);
    }
  }
  const drawn = new Random(9), skipped = new Random(9);
  for (let i = 0; i < 333; i++) drawn.uniform();
  skipped.skipUniforms(333);
  assert.deepEqual(skipped.getState(), drawn.getState());
});
