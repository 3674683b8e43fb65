/**
 * Seeded train/dev split.
 * @module
 */
import { TaggingArgumentError } from "../errors.ts";
import { Rng } from "./random.ts";

/** Options for {@link trainDevSplit}. */
export interface SplitOptions {
  /** Fraction of items that go to dev, in [0, 1]; default 0.1 (the seed project's 90/10). */
  devFraction?: number;
  /** PRNG seed; default 42 (as in the seed project). */
  seed?: number;
}

/** Result of {@link trainDevSplit}; both parts keep the input order. */
export interface Split<T> {
  /** Training items. */
  train: T[];
  /** Development items. */
  dev: T[];
  /** Input indices of `train`, ascending. */
  trainIndices: Int32Array;
  /** Input indices of `dev`, ascending. */
  devIndices: Int32Array;
}

/**
 * Splits `items` into train and dev: `round(n * devFraction)` items chosen by a seeded
 * permutation go to dev. Each part keeps corpus order so outputs diff cleanly; shuffle for
 * training separately.
 * @throws TaggingArgumentError for a fraction outside [0, 1].
 */
export function trainDevSplit<T>(items: readonly T[], options: SplitOptions = {}): Split<T> {
  const fraction = options.devFraction ?? 0.1;
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new TaggingArgumentError(
      "trainDevSplit",
      `devFraction must be in [0, 1], got ${fraction}`,
    );
  }
  const n = items.length;
  const nDev = Math.round(n * fraction);
  const perm = new Rng(options.seed ?? 42).permutation(n);
  const devIndices = perm.slice(0, nDev).sort();
  const trainIndices = perm.slice(nDev).sort();
  return {
    train: Array.from(trainIndices, (i) => items[i]),
    dev: Array.from(devIndices, (i) => items[i]),
    trainIndices,
    devIndices,
  };
}
