/**
 * Parameter initialisers (host-side, from the seeded generator, so every backend starts equal).
 * @module
 */
import type { Backend } from "../core/backend.ts";
import { globalRandom, type Random } from "../core/random.ts";
import type { Tensor } from "../core/tensor.ts";
import { randn, tensor, uniform, zeros } from "../ops/creation.ts";

/** Where and from which generator to initialise. */
export interface InitOptions {
  /** Backend the parameter is created on (default: the current one, `getBackend()`). */
  backend?: Backend;
  /** Generator the values are drawn from (default: `globalRandom`, which `setSeed` seeds). */
  random?: Random;
  /**
   * Advance the generator as the initialization would, but leave the values zero: for parameters
   * whose weights are loaded before use (a pretrained encoder). The draws keep every later
   * initialization (the task heads) what it would be, and skip the transcendental functions of
   * millions of normal values (the embeddings of a 30,522-word vocabulary).
   */
  drawOnly?: boolean;
}

/** Normal(0, std) — BERT's `initializer_range` init; `zeroRow` zeroes one row (padding). */
export function normalInit(
  shape: number[],
  std: number,
  o: InitOptions & { zeroRow?: number } = {},
): Tensor {
  if (o.drawOnly) {
    (o.random ?? globalRandom).skipNormals(shape.reduce((a, b) => a * b, 1));
    return zeros(shape, { backend: o.backend });
  }
  if (o.zeroRow === undefined) {
    return randn(shape, { std, backend: o.backend, random: o.random ?? globalRandom });
  }
  const r = o.random ?? globalRandom;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = std * r.normal();
  const width = data.length / shape[0];
  data.fill(0, o.zeroRow * width, (o.zeroRow + 1) * width);
  return tensor(data, shape, { backend: o.backend });
}

/** U(-bound, bound) — PyTorch's default `nn.Linear` init uses bound = 1/√fan_in. */
export function uniformInit(shape: number[], bound: number, o: InitOptions = {}): Tensor {
  if (o.drawOnly) {
    (o.random ?? globalRandom).skipUniforms(shape.reduce((a, b) => a * b, 1));
    return zeros(shape, { backend: o.backend });
  }
  return uniform(shape, {
    low: -bound,
    high: bound,
    backend: o.backend,
    random: o.random ?? globalRandom,
  });
}

/** Zeros. */
export function zerosInit(shape: number[], o: InitOptions = {}): Tensor {
  return zeros(shape, { backend: o.backend });
}

/** Ones. */
export function onesInit(shape: number[], o: InitOptions = {}): Tensor {
  return tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape, {
    backend: o.backend,
  });
}
